import pytest

from ingest import detection, errors
from ingest.detection import PageSnapshot, classify
from ingest.platforms import PLATFORMS, Resolved

pytestmark = pytest.mark.unit


def resolved(platform="spareroom"):
    return Resolved(PLATFORMS[platform])


def snap(url="https://www.spareroom.com/roommate/mythreads_beta.pl", **kwargs):
    return PageSnapshot(url=url, **kwargs)


def test_a_normal_page_passes():
    assert classify(snap(status=200, title="Messages", text="Your messages"), resolved()) is None


@pytest.mark.parametrize(
    ("snapshot", "error", "retryable"),
    [
        (snap(status=403, title="Attention Required! | Cloudflare", text="Sorry, you have been blocked"),
         errors.AccessBlocked, False),
        (snap(status=200, matched=frozenset({"captcha"})), errors.CaptchaRequired, False),
        (snap(status=200, matched=frozenset({"challenge"})), errors.BotChallenge, True),
        (snap(status=503, title="Just a moment...", text="Verifying you are human."), errors.BotChallenge, True),
        (snap(status=200, title="Access denied"), errors.BotChallenge, True),
        (snap(status=200, text="Performance & security by Cloudflare"), errors.BotChallenge, True),
        (snap(status=200, text="Ray ID: 8c1f0"), errors.BotChallenge, True),
        (snap(status=429, text="Too Many Requests"), errors.RateLimited, True),
        (snap(status=503, text="Service Unavailable"), errors.RateLimited, True),
        (snap(status=403, text="Forbidden"), errors.AccessBlocked, False),
        (snap(url="https://www.spareroom.com/roommate/logon.pl?redirect=1", status=200), errors.SessionExpired, False),
        (snap(status=200, text="To view this content you will need to either log in or register"),
         errors.SessionExpired, False),
        (snap(status=200, matched=frozenset({"login_form"})), errors.SessionExpired, False),
    ],
)
def test_walls_become_typed_errors(snapshot, error, retryable):
    with pytest.raises(error) as caught:
        classify(snapshot, resolved())
    assert type(caught.value) is error
    assert caught.value.retryable is retryable
    assert caught.value.url == snapshot.url


def test_a_captcha_wins_over_a_challenge_and_a_block_over_both():
    both = snap(status=200, matched=frozenset({"captcha", "challenge"}))
    with pytest.raises(errors.CaptchaRequired):
        classify(both, resolved())
    blocked = snap(status=200, text="Sorry, you have been blocked", matched=frozenset({"captcha"}))
    with pytest.raises(errors.AccessBlocked):
        classify(blocked, resolved())


@pytest.mark.parametrize(
    ("platform", "url", "text"),
    [
        ("roomies", "https://www.roomies.com/login?next=/inbox", ""),
        ("roomies", "https://www.roomies.com/inbox", "Please login to continue"),
        ("leasebreak", "https://www.leasebreak.com/users/sign_in", ""),
        ("leasebreak", "https://www.leasebreak.com/messages", "You need to sign in or sign up before continuing."),
        ("leasebreak", "https://www.leasebreak.com/session/new", ""),
    ],
)
def test_each_platforms_login_wall_is_recognised(platform, url, text):
    with pytest.raises(errors.SessionExpired):
        classify(PageSnapshot(url=url, status=200, text=text), resolved(platform))


def test_a_login_wall_url_of_another_platform_means_nothing():
    page = PageSnapshot(url="https://www.renthop.com/login-help", status=200, text="help")
    assert classify(page, resolved("renthop")) is None


def test_the_retry_after_header_is_kept():
    with pytest.raises(errors.RateLimited) as caught:
        classify(snap(status=429, retry_after=30.0), resolved())
    assert caught.value.retry_after == 30.0


def test_error_codes_are_the_documented_ones():
    assert {cls.code for cls in (detection.SessionExpired, detection.CaptchaRequired, detection.BotChallenge,
                                 detection.AccessBlocked, detection.RateLimited, detection.PageChanged)} == {
        "session_expired", "captcha_required", "bot_challenge", "access_blocked", "rate_limited", "page_changed"}
    assert errors.ERRORS_BY_CODE["page_changed"] is errors.PageChanged
