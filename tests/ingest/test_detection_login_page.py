"""Detection edge cases: the login page itself, a 403 on a sign-in URL, wall texts scoped to their platform."""

import pytest

from ingest import errors
from ingest.detection import PageSnapshot, classify
from ingest.platforms import PLATFORMS, Resolved, get_spec

pytestmark = pytest.mark.unit


def resolved(platform):
    return Resolved(get_spec(platform))


def test_the_login_page_itself_is_not_a_wall_while_a_person_logs_in():
    page = PageSnapshot(url="https://www.roomies.com/login", status=200, matched=frozenset({"login_form"}))

    assert classify(page, resolved("roomies"), expect_login_page=True) is None


def test_a_captcha_on_the_login_page_is_still_reported():
    page = PageSnapshot(url="https://www.roomies.com/login", status=200, matched=frozenset({"captcha"}))

    with pytest.raises(errors.CaptchaRequired):
        classify(page, resolved("roomies"), expect_login_page=True)


def test_a_forbidden_sign_in_page_is_an_expired_session_not_a_block():
    # A 403 that lands on the sign-in URL asks for a login; disabling the account would be wrong.
    page = PageSnapshot(url="https://www.leasebreak.com/users/sign_in", status=403, title="Sign in")

    with pytest.raises(errors.SessionExpired):
        classify(page, resolved("leasebreak"))


def test_another_platforms_wall_text_in_a_message_is_not_a_wall():
    # "please login" is a Roomies wall text; in a RentHop thread it is just words a lead wrote.
    page = PageSnapshot(url="https://www.renthop.com/account/messages/9", status=200, text="please login to the wifi")

    assert classify(page, resolved("renthop")) is None


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_platform_has_captcha_and_challenge_selectors(platform):
    spec = get_spec(platform)

    assert spec.selectors["captcha"] and spec.selectors["challenge"]
