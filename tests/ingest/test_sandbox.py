"""The sandbox over plain HTTP (no browser): sessions, sends, faults and the control API."""

import http.cookiejar
import json
import random
import urllib.error
import urllib.request

import pytest

from ingest.sandbox import SandboxClient, SandboxServer
from ingest.sandbox.client import SandboxControlError
from ingest.sandbox.demo import DEMO_LISTINGS, seed, trickle_once

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def server():
    with SandboxServer() as running:
        yield running


@pytest.fixture(autouse=True)
def reset(server):
    for state in server.app.states.values():
        state.reset()


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def get(opener, url, data=None):
    try:
        with opener.open(url, data=data.encode() if data else None, timeout=5) as response:
            return response.status, response.url, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, exc.read().decode()


def log_in(server, opener, platform, login_path):
    return get(opener, server.base_url(platform) + login_path, "username=demo&password=demo")


def test_without_a_session_each_platform_shows_its_login_wall(server):
    opener, _ = browser()
    status, url, body = get(opener, server.base_url("spareroom") + "/roommate/mythreads_beta.pl")
    assert "/roommate/logon.pl?next=" in url and "to view this content you will need to either" in body.lower()
    status, url, body = get(opener, server.base_url("renthop") + "/account/messages")
    assert url.endswith("/renthop/account/messages") and "type='password'" in body  # in place, no redirect
    status, url, body = get(opener, server.base_url("furnishedfinder") + "/messaging/inbox")
    assert "/furnishedfinder/login?ReturnUrl=" in url


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_inbox(server):
    opener, jar = browser()
    status, url, body = get(opener, server.base_url("roomies") + "/login", "username=demo&password=nope")
    assert "Wrong email or password" in body and not list(jar)
    status, url, body = log_in(server, opener, "roomies", "/login")
    assert url.endswith("/roomies/inbox") and "No messages yet" in body
    assert [cookie.path for cookie in jar] == ["/roomies"]


def test_a_post_to_the_thread_is_a_send_that_shows_in_the_thread(server):
    state = server.state("leasebreak")
    thread_id, _ = state.add_lead_message("Is it available?", lead_name="<script>alert(1)</script>")
    opener, _ = browser()
    log_in(server, opener, "leasebreak", "/users/sign_in")

    status, url, body = get(opener, f"{server.base_url('leasebreak')}/messages/{thread_id}", "message=Yes%2C+it+is.")

    assert status == 200 and url.endswith(f"/messages/{thread_id}")
    assert "Yes, it is." in body
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert state.send_count() == 1 and state.sent_messages()[0]["body"] == "Yes, it is."


def test_an_expired_session_goes_back_to_the_wall(server):
    opener, _ = browser()
    log_in(server, opener, "leasebreak", "/users/sign_in")
    server.state("leasebreak").expire_sessions()
    status, url, body = get(opener, server.base_url("leasebreak") + "/messages")
    assert "/users/sign_in" in url


def test_faults_answer_n_times_then_the_site_recovers(server):
    state = server.state("renthop")
    opener, _ = browser()
    log_in(server, opener, "renthop", "/login")
    state.add_fault("status", status=503, times=2)
    inbox = server.base_url("renthop") + "/account/messages"
    assert [get(opener, inbox)[0] for _ in range(3)] == [503, 503, 200]
    state.add_fault("cloudflare", times=1)
    status, _, body = get(opener, inbox)
    assert status == 503 and "<title>Just a moment...</title>" in body
    state.add_fault("blocked", times=1)
    status, _, body = get(opener, inbox)
    assert status == 403 and "Sorry, you have been blocked" in body


def test_the_control_api_scripts_a_sandbox_in_another_process(server):
    remote = SandboxClient(server.root_url).platform("roomies")
    listing_id = remote.add_listing("Room in Bushwick", listing_id="cr-1", price="$1,100/mo")
    thread_id, message_id = remote.add_lead_message("Hi there", lead_name="Nora", listing_id=listing_id)
    remote.add_lead_message("Also: pets?", thread_id=thread_id)
    remote.add_fault("status", status=429, times=1)
    remote.set_delay(0)
    remote.set_rows(malformed=True, duplicate=True)

    snapshot = remote.snapshot()

    assert snapshot["listings"][0]["id"] == "cr-1"
    assert [m["body"] for m in snapshot["threads"][0]["messages"]] == ["Hi there", "Also: pets?"]
    assert snapshot["threads"][0]["id"] == thread_id and thread_id.startswith("c")  # Roomies-style slug ids
    assert snapshot["faults"] == [{"kind": "status", "status": 429, "times": 1, "applies_to": "pages"}]
    assert remote.send_count() == 0 and remote.sent_messages() == []
    with pytest.raises(SandboxControlError):
        remote.add_fault("earthquake")


def test_the_storage_state_file_opens_the_site(server, tmp_path):
    path = SandboxClient(server.root_url).platform("spareroom").write_storage_state(tmp_path / "s.json")
    cookie = json.loads(path.read_text())["cookies"][0]
    assert server.state("spareroom").has_session(cookie["value"])
    assert cookie["path"] == "/spareroom"


def test_seed_and_trickle_add_realistic_leads_on_the_demo_listings(server):
    seed(server.app.states)
    rng = random.Random(7)
    added = [trickle_once(server.app.states, rng) for _ in range(12)]

    for platform, thread_id, message_id, body in added:
        thread = server.state(platform).thread(thread_id)
        assert (message_id, body) in [(m.id, m.body) for m in thread.messages]
        assert thread.listing_id in {listing_id for listing_id, _, _ in DEMO_LISTINGS[platform]}
    assert {item.id for item in server.state("roomies").listings} == {"cr-8812", "cr-8813"}


def test_the_trickle_answers_our_offers_and_sends_some_risky_leads(server):
    seed(server.app.states)
    state = server.state("spareroom")
    for thread in state.snapshot()["threads"]:
        state.add_our_message(thread["id"], "Would Sat 10:00 AM or Sun 4:00 PM work?")
    rng = random.Random(11)
    bodies = [trickle_once({"spareroom": state}, rng)[3] for _ in range(40)]
    from ingest.sandbox.demo import PICKS, RISKY

    assert any(body in PICKS for body in bodies)
    assert any(body in RISKY for body in bodies)
