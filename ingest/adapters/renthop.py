from ingest.adapters.base import Adapter


class RentHopAdapter(Adapter):
    """RentHop: rows carry data ids but thread messages do not, so messages get content-derived keys
    (Thread.message_keys); times are short relative text ("8h ago"). An expired session renders the login
    form in place (HTTP 200, no login-wall URL): detection sees the password form."""

    platform = "renthop"
