"""The sandbox web app: all five imitation platforms under one server, plus a JSON control API.

    /<platform>/...                      the imitation site (see sites.py)
    GET  /_sandbox/<platform>/state       everything in memory (threads, listings, sent, faults)
    GET  /_sandbox/<platform>/sent        what the bot sent; /count for the number of sends
    POST /_sandbox/<platform>/<action>    JSON body with the keyword arguments of PlatformState.<method>

Dev and test only: `run_sandbox` refuses to start in production and nothing in leasebot.urls mounts it.
"""

import datetime as dt
import json
import threading
import time
from http.cookies import CookieError, SimpleCookie
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ingest.platforms import PLATFORMS
from ingest.sandbox.sessions import write_storage_state
from ingest.sandbox.sites import SITES, Request, Response, page
from ingest.sandbox.state import PlatformState

_STATUS_TEXT = {200: "OK", 302: "Found", 303: "See Other", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
                405: "Method Not Allowed", 422: "Unprocessable Entity", 429: "Too Many Requests",
                500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}

# Control actions: URL name -> (PlatformState method, how to turn its result into JSON).
CONTROL_ACTIONS = {
    "lead": ("add_lead_message", lambda r: {"thread_id": r[0], "message_id": r[1]}),
    "our_message": ("add_our_message", lambda r: {"message_id": r}),
    "listing": ("add_listing", lambda r: {"listing_id": r}),
    "expire": ("expire_sessions", lambda r: {}),
    "fault": ("add_fault", lambda r: {}),
    "clear_faults": ("clear_faults", lambda r: {}),
    "delay": ("set_delay", lambda r: {}),
    "send_delay": ("set_send_delay", lambda r: {}),
    "rows": ("set_rows", lambda r: {}),
    "reset": ("reset", lambda r: {}),
    "login": ("login", lambda r: {"token": r}),
    "reject_headless": ("set_reject_headless", lambda r: {}),
}
_DATETIME_ARGS = ("at",)


def make_states(clock=None):
    return {name: PlatformState(name, clock=clock) for name in PLATFORMS}


class SandboxApp:
    def __init__(self, states=None):
        self.states = states or make_states()
        self.sites = {name: SITES[name](state) for name, state in self.states.items()}

    def __call__(self, environ, start_response):
        try:
            response = self.dispatch(environ)
        except Exception as exc:  # a sandbox bug must show as a 500, not kill the server thread
            response = page("Sandbox error", f"<pre>{type(exc).__name__}: {exc}</pre>", status=500)
        reason = _STATUS_TEXT.get(response.status, "Unknown")
        is_json = response.body[:1] in ("{", "[")
        content_type = "application/json" if is_json else "text/html; charset=utf-8"
        body = response.body.encode()
        start_response(
            f"{response.status} {reason}",
            [("Content-Type", content_type), ("Content-Length", str(len(body))), *response.headers],
        )
        return [body]

    def dispatch(self, environ):
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if path == "/":
            return self.index()
        parts = path.split("/", 2)
        if parts[1] == "_sandbox":
            return self.control(method, parts[2] if len(parts) > 2 else "", environ)
        site = self.sites.get(parts[1])
        if site is None:
            return page("Not found", "<h1>No such platform</h1>", status=404)
        delay = site.state.delay_seconds
        if delay:
            time.sleep(delay)
        request = Request(
            method=method,
            path="/" + (parts[2] if len(parts) > 2 else ""),
            query=dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
            form=dict(parse_qsl(_read_body(environ), keep_blank_values=True)) if method == "POST" else {},
            cookies=_cookies(environ),
            prefix=f"/{site.name}",
            user_agent=environ.get("HTTP_USER_AGENT", ""),
        )
        return site.handle(request)

    def index(self):
        links = "".join(f"<li><a href='/{name}{site.inbox_path}'>{name}</a></li>" for name, site in self.sites.items())
        return page("lease-bot sandbox", f"<h1>Sandbox platforms</h1><p>Log in with demo / demo.</p><ul>{links}</ul>")

    def control(self, method, rest, environ):
        platform, _, action = rest.partition("/")
        state = self.states.get(platform)
        if state is None:
            return _json({"error": f"unknown platform {platform!r}"}, status=404)
        if method == "GET":
            views = {"state": state.snapshot, "sent": lambda: state.snapshot()["sent"],
                     "count": lambda: {"count": state.send_count()}}
            if action not in views:
                return _json({"error": f"unknown view {action!r}"}, status=404)
            return _json(views[action]())
        if method != "POST" or action not in CONTROL_ACTIONS:
            return _json({"error": f"unknown action {action!r}", "actions": sorted(CONTROL_ACTIONS)}, status=404)
        try:
            kwargs = json.loads(_read_body(environ) or "{}")
            for name in _DATETIME_ARGS:
                if kwargs.get(name):
                    kwargs[name] = dt.datetime.fromisoformat(kwargs[name])
            method_name, as_json = CONTROL_ACTIONS[action]
            result = getattr(state, method_name)(**kwargs)
        except (TypeError, ValueError, KeyError) as exc:
            return _json({"error": str(exc)}, status=400)
        return _json(as_json(result))


def _json(data, status=200):
    return Response(status=status, body=json.dumps(data, default=str))


def _read_body(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length).decode() if length else ""


def _cookies(environ):
    jar = SimpleCookie()
    try:
        jar.load(environ.get("HTTP_COOKIE", ""))
    except CookieError:
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002  (signature from BaseHTTPRequestHandler)
        pass


class SandboxServer:
    """The sandbox on a background thread: `with SandboxServer() as sandbox: sandbox.base_url("roomies")`."""

    def __init__(self, *, host="127.0.0.1", port=0, states=None, quiet=True):
        self.app = SandboxApp(states)
        self.host = host
        self._server = make_server(host, port, self.app, server_class=_ThreadingWSGIServer,
                                   handler_class=_QuietHandler if quiet else WSGIRequestHandler)
        self.port = self._server.server_port
        self._thread = None

    @property
    def root_url(self):
        return f"http://{self.host}:{self.port}"

    def base_url(self, platform):
        return f"{self.root_url}/{platform}"

    def state(self, platform):
        return self.app.states[platform]

    def write_storage_state(self, platform, path):
        """Log in (as a person would) and save the session where an account's storage state lives."""
        state = self.state(platform)
        return write_storage_state(path, self.root_url, platform, state.login(state.username, state.password))

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self):
        self._server.serve_forever()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
