from ingest.adapters.base import Adapter


class LeasebreakAdapter(Adapter):
    """Leasebreak: rows and messages carry data ids; `time[datetime]` has an Eastern offset and the text
    an abbreviated zone ("Nov 12, 2026 3:41 PM EST"). Listing pages are tried in order, paged with ?page=N."""

    platform = "leasebreak"
