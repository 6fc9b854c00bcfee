"""What a page is after a navigation: the page we asked for, or a wall, as a typed error with a code."""

import pytest

from ingest import errors
from ingest.detection import PageSnapshot, classify
from ingest.platforms import PLATFORMS, Resolved, get_spec

pytestmark = pytest.mark.unit


def resolved(platform="spareroom", overrides=None):
    return Resolved(get_spec(platform), overrides)


def snapshot(url="https://www.spareroom.com/roommate/mythreads_beta.pl", **fields):
    return PageSnapshot(url=url, **fields)


def classified(snap, platform="spareroom", **kwargs):
    with pytest.raises(errors.PlatformError) as caught:
        classify(snap, resolved(platform), **kwargs)
    return caught.value


def test_an_ordinary_page_is_usable():
    assert classify(snapshot(status=200, title="My messages", text="Inbox\nJordan Lee"), resolved()) is None


@pytest.mark.parametrize(
    "fields, error_class, code, retryable",
    [
        ({"status": 403, "title": "Attention Required! | Cloudflare", "text": "Sorry, you have been blocked"},
         errors.AccessBlocked, "access_blocked", False),
        ({"status": 200, "matched": frozenset({"captcha"})}, errors.CaptchaRequired, "captcha_required", False),
        ({"status": 200, "matched": frozenset({"challenge"})}, errors.BotChallenge, "bot_challenge", True),
        ({"status": 503, "title": "Just a moment...", "text": "Verifying you are human."},
         errors.BotChallenge, "bot_challenge", True),
        ({"status": 200, "title": "Access denied", "text": ""}, errors.BotChallenge, "bot_challenge", True),
        ({"status": 200, "title": "SpareRoom", "text": "Performance & security by Cloudflare"},
         errors.BotChallenge, "bot_challenge", True),
        ({"status": 200, "title": "SpareRoom", "text": "Error. Ray ID: 8c1f2a"}, errors.BotChallenge, "bot_challenge", True),
        ({"status": 429, "title": "Too Many Requests"}, errors.RateLimited, "rate_limited", True),
        ({"status": 503, "title": "Service Unavailable"}, errors.RateLimited, "rate_limited", True),
        ({"status": 403, "title": "Forbidden"}, errors.AccessBlocked, "access_blocked", False),
    ],
)
def test_it_turns_walls_and_statuses_into_typed_errors(fields, error_class, code, retryable):
    error = classified(snapshot(**fields))

    assert type(error) is error_class
    assert (error.code, error.retryable) == (code, retryable)
    assert error.url.endswith("/roommate/mythreads_beta.pl")


def test_a_hard_block_wins_over_the_challenge_title_it_comes_with():
    # Cloudflare's block page is titled "Attention Required" (a challenge title) but must not be retried soon.
    error = classified(snapshot(status=403, title="Attention Required! | Cloudflare",
                                text="Sorry, you have been blocked. You are unable to access spareroom.com"))

    assert error.code == "access_blocked"


def test_a_captcha_wins_over_a_challenge_on_the_same_page():
    error = classified(snapshot(status=200, matched=frozenset({"captcha", "challenge"})))

    assert error.code == "captcha_required"


def test_rate_limiting_keeps_the_retry_after_hint():
    error = classified(snapshot(status=429, retry_after=120.0))

    assert error.retry_after == 120.0


@pytest.mark.parametrize(
    "platform, url",
    [
        ("spareroom", "https://www.spareroom.com/roommate/logon.pl?loginfrom_url=%2Froommate%2Fmythreads_beta.pl"),
        ("roomies", "https://www.roomies.com/login?next=/inbox"),
        ("roomies", "https://www.roomies.com/users/sign_in"),
        ("leasebreak", "https://www.leasebreak.com/users/sign_in"),
        ("leasebreak", "https://www.leasebreak.com/session/new"),
    ],
)
def test_a_login_wall_url_means_the_session_expired(platform, url):
    error = classified(snapshot(url=url, status=200, title="Log in"), platform)

    assert error.code == "session_expired"
    assert error.retryable is False
    assert "login-wall URL" in error.detail


@pytest.mark.parametrize(
    "platform, text",
    [
        ("spareroom", "To view this content you will need to either log in or register."),
        ("roomies", "Please login to see your messages"),
        ("roomies", "To view this content you need to log in"),
        ("leasebreak", "You need to sign in or sign up before continuing."),
    ],
)
def test_a_login_wall_text_means_the_session_expired(platform, text):
    url = f"https://www.{platform}.com/members"
    error = classified(snapshot(url=url, status=200, title="Members", text=text), platform)

    assert error.code == "session_expired"
    assert "login-wall text" in error.detail


def test_a_password_form_is_a_login_wall_on_platforms_without_known_wall_urls():
    # RentHop and Furnished Finder document no login-wall URL: a password form in the page is the tell.
    error = classified(snapshot(url="https://www.renthop.com/account/messages", status=200,
                                matched=frozenset({"login_form"})), "renthop")

    assert error.code == "session_expired"
    assert error.detail == "a password form is shown"


def test_login_wall_texts_only_count_for_their_own_platform():
    # "please login" is a Roomies wall text; on RentHop it is just words in a message.
    snap = snapshot(url="https://www.renthop.com/account/messages/9", status=200, text="please login to your wifi")

    assert classify(snap, resolved("renthop")) is None


def test_the_login_page_itself_is_not_a_wall_while_a_person_logs_in():
    snap = snapshot(url="https://www.roomies.com/login", status=200, matched=frozenset({"login_form"}))

    assert classify(snap, resolved("roomies"), expect_login_page=True) is None


def test_walls_still_count_on_the_login_page():
    snap = snapshot(url="https://www.roomies.com/login", status=200, matched=frozenset({"captcha"}))

    with pytest.raises(errors.CaptchaRequired):
        classify(snap, resolved("roomies"), expect_login_page=True)


def test_a_forbidden_login_wall_is_an_expired_session_not_a_block():
    snap = snapshot(url="https://www.leasebreak.com/users/sign_in", status=403, title="Sign in")

    assert classified(snap, "leasebreak").code == "session_expired"


def test_an_operator_can_add_a_captcha_selector_that_detection_then_uses():
    # inspect_page() matches the account's resolved groups; classify() trusts whatever matched.
    custom = resolved("renthop", {"selectors": {"captcha": ["div.new-captcha-widget"]}})

    assert custom.selectors("captcha") == ["div.new-captcha-widget"]


def test_every_error_code_is_distinct_and_registered():
    codes = {cls.code for cls in errors.ERRORS_BY_CODE.values()}

    assert {"session_expired", "captcha_required", "bot_challenge", "access_blocked", "rate_limited",
            "page_changed"} <= codes
    assert len(codes) == len(errors.ERRORS_BY_CODE)


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_platform_has_captcha_and_challenge_selectors(platform):
    spec = get_spec(platform)

    assert spec.selectors["captcha"] and spec.selectors["challenge"]
