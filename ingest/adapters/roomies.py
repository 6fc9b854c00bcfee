from ingest.adapters.base import Adapter


class RoomiesAdapter(Adapter):
    """Roomies: the thread id is the last segment of the row link (/inbox/<id>); menu links that also
    contain /inbox/ carry role=menuitem and are skipped; times come from `time[datetime]` (UTC ISO).
    The composer form sits next to a "Report" submit button (role=menuitem) that must never be clicked.
    Listing pages are tried in order (/dashboard, /my-listings, ...) until one has listing cards."""

    platform = "roomies"
