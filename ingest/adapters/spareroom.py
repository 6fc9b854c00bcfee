from ingest.adapters.base import Adapter


class SpareRoomAdapter(Adapter):
    """SpareRoom (US site, Eastern times such as "Today 3:41pm", "Mon 11:02am", "12 Nov").

    The inbox is ordered by the newest *inbound* message even when our reply is newer, so rows are kept in
    page order and every row is returned, including threads whose last message is ours. Rows carry the
    thread id and the newest message id; messages carry ids as `id="msg_<id>"`. Adverts page by offset.
    """

    platform = "spareroom"
