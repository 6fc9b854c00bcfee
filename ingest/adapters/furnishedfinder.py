from ingest.adapters.base import Adapter


class FurnishedFinderAdapter(Adapter):
    """Furnished Finder: US numeric times in Central time without a zone ("11/12/2026 3:41 PM"); the
    login wall redirects to an unlisted URL, so detection relies on the password form."""

    platform = "furnishedfinder"
