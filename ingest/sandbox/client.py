"""Script a sandbox running in another process (the demo) over its HTTP control API.

`SandboxClient(root_url).platform("roomies")` has the same methods as PlatformState for scripting.
"""

import datetime as dt
import json
from urllib.request import Request, urlopen


class SandboxControlError(RuntimeError):
    pass


class SandboxClient:
    def __init__(self, root_url, *, timeout=10):
        self.root_url = root_url.rstrip("/")
        self.timeout = timeout

    def platform(self, name):
        return RemotePlatform(self, name)

    def call(self, platform, action, **kwargs):
        payload = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in kwargs.items()}
        request = Request(
            f"{self.root_url}/_sandbox/{platform}/{action}",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return self._open(request)

    def view(self, platform, name):
        return self._open(Request(f"{self.root_url}/_sandbox/{platform}/{name}"))

    def _open(self, request):
        from urllib.error import HTTPError

        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310  (local sandbox URL)
                return json.loads(response.read() or b"{}")
        except HTTPError as exc:
            raise SandboxControlError(f"{request.full_url}: {exc.code} {exc.read().decode(errors='replace')}") from exc


class RemotePlatform:
    def __init__(self, client, name):
        self.client = client
        self.name = name

    def add_lead_message(self, body, *, thread_id=None, lead_name="Jordan Lee", listing_id="", at=None):
        result = self.client.call(self.name, "lead", body=body, thread_id=thread_id, lead_name=lead_name,
                                  listing_id=listing_id, at=at)
        return result["thread_id"], result["message_id"]

    def add_our_message(self, thread_id, body, *, at=None):
        return self.client.call(self.name, "our_message", thread_id=thread_id, body=body, at=at)["message_id"]

    def add_listing(self, title, *, listing_id=None, price="$1,200/mo", status="active"):
        return self.client.call(self.name, "listing", title=title, listing_id=listing_id, price=price,
                                status=status)["listing_id"]

    def expire_sessions(self):
        self.client.call(self.name, "expire")

    def add_fault(self, kind, *, status=0, times=None, applies_to="pages"):
        self.client.call(self.name, "fault", kind=kind, status=status, times=times, applies_to=applies_to)

    def clear_faults(self):
        self.client.call(self.name, "clear_faults")

    def set_delay(self, seconds):
        self.client.call(self.name, "delay", seconds=seconds)

    def set_send_delay(self, seconds):
        self.client.call(self.name, "send_delay", seconds=seconds)

    def set_rows(self, *, malformed=None, duplicate=None):
        self.client.call(self.name, "rows", malformed=malformed, duplicate=duplicate)

    def set_reject_headless(self, reject=True):
        self.client.call(self.name, "reject_headless", reject=reject)

    def reset(self):
        self.client.call(self.name, "reset")

    def login(self, username="demo", password="demo"):
        return self.client.call(self.name, "login", username=username, password=password)["token"]

    def write_storage_state(self, path, username="demo", password="demo"):
        from ingest.sandbox.sessions import write_storage_state

        return write_storage_state(path, self.client.root_url, self.name, self.login(username, password))

    def sent_messages(self):
        return self.client.view(self.name, "sent")

    def send_count(self):
        return self.client.view(self.name, "count")["count"]

    def snapshot(self):
        return self.client.view(self.name, "state")
