import pytest

from ingest.adapters import ADAPTERS
from ingest.platforms import PLATFORMS, Resolved
from ingest.types import AccountConfig

pytestmark = pytest.mark.unit


def test_defaults_come_from_platforms_md_in_order():
    resolved = Resolved(PLATFORMS["roomies"])
    assert resolved.selectors("inbox_row") == [
        "a[href*='/inbox/']", "[data-thread-id]", "[data-testid='message-row']"]
    assert resolved.paths("listings")[:2] == ["/dashboard", "/my-listings"]
    assert resolved.path("thread") == "/inbox/{id}"


def test_an_override_replaces_one_list_and_leaves_the_rest():
    resolved = Resolved(PLATFORMS["roomies"], {
        "selectors": {"inbox_row": ".conversation", "composer": ["textarea#reply", "textarea"]},
        "paths": {"inbox": "/messages", "listings": ["/host/rooms"]},
    })
    assert resolved.selectors("inbox_row") == [".conversation"]
    assert resolved.selectors("composer") == ["textarea#reply", "textarea"]
    assert resolved.selectors("send") == Resolved(PLATFORMS["roomies"]).selectors("send")
    assert resolved.path("inbox") == "/messages"
    assert resolved.paths("listings") == ["/host/rooms"]
    assert Resolved(PLATFORMS["roomies"]).path("inbox") == "/inbox"  # defaults are not mutated


def test_a_new_selector_name_can_be_added():
    assert Resolved(PLATFORMS["renthop"], {"selectors": {"inbox_empty": ".nothing"}}).selectors("inbox_empty") == [
        ".nothing"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"selector": {}},
        {"selectors": {"inbox_row": []}},
        {"selectors": {"inbox_row": [""]}},
        {"selectors": {"inbox_row": 3}},
        {"paths": {"inbox": "inbox"}},
    ],
)
def test_a_malformed_override_is_refused_with_a_reason(overrides):
    with pytest.raises(ValueError):
        Resolved(PLATFORMS["leasebreak"], overrides)


def adapter(platform, overrides=None):
    config = AccountConfig(platform=platform, base_url="https://example.test", overrides=overrides or {})
    return ADAPTERS[platform](config, session=None)


@pytest.mark.parametrize(
    ("platform", "href", "thread_id"),
    [
        ("roomies", "https://www.roomies.com/inbox/c9f2a1", "c9f2a1"),
        ("roomies", "https://www.roomies.com/inbox/c9f2a1/", "c9f2a1"),
        ("spareroom", "https://www.spareroom.com/roommate/mythreads_beta.pl?thread_id=7717&x=1", "7717"),
        ("leasebreak", "https://www.leasebreak.com/messages/5521", "5521"),
        ("furnishedfinder", "https://www.furnishedfinder.com/messaging/thread/88", "88"),
        ("roomies", "https://www.roomies.com/rooms/12", ""),
    ],
)
def test_thread_ids_are_read_from_links_by_the_thread_path(platform, href, thread_id):
    assert adapter(platform).thread_id_from_url(href) == thread_id


def test_a_thread_path_override_changes_how_ids_are_read():
    overridden = adapter("roomies", {"paths": {"thread": "/conversations/{id}/view"}})
    assert overridden.thread_id_from_url("https://www.roomies.com/conversations/abc/view") == "abc"
    assert overridden.thread_path("abc") == "/conversations/abc/view"


def test_listing_pages_are_numbered_per_template():
    spareroom = adapter("spareroom")
    assert spareroom.listing_page_path("/roommate/mylistings.pl?offset={offset}", 3) == "/roommate/mylistings.pl?offset=20"
    roomies = adapter("roomies")
    assert roomies.listing_page_path("/dashboard", 2) == "/dashboard?page=2"
    assert roomies.listing_page_path("/rooms?sort=new", 2) == "/rooms?sort=new&page=2"


def test_an_adapter_refuses_another_platforms_account():
    config = AccountConfig(platform="roomies", base_url="https://example.test")
    with pytest.raises(ValueError):
        ADAPTERS["spareroom"](config, session=None)


def test_account_config_checks_what_it_is_given(tmp_path):
    with pytest.raises(ValueError):
        AccountConfig(platform="craigslist", base_url="https://example.test")
    with pytest.raises(ValueError):
        AccountConfig(platform="roomies", base_url="https://example.test",
                      storage_state_path=tmp_path / "s.json", profile_dir=tmp_path / "p")
