"""Typed platform errors. `code` is what run records, audits and alerts store; `retryable` drives backoff."""


class PlatformError(Exception):
    code = "platform_error"
    retryable = True

    def __init__(self, message="", *, url="", status=None, detail="", retry_after=None):
        super().__init__(message or self.code)
        self.url = url
        self.status = status
        self.detail = detail
        self.retry_after = retry_after
        self.artifacts = []  # screenshot / HTML paths saved by the runtime


class SessionExpired(PlatformError):
    code = "session_expired"
    retryable = False  # a person must log in again (rpa_login)


class CaptchaRequired(PlatformError):
    code = "captcha_required"
    retryable = False


class BotChallenge(PlatformError):
    code = "bot_challenge"
    retryable = True


class AccessBlocked(PlatformError):
    code = "access_blocked"
    retryable = False  # "Sorry, you have been blocked": do not retry soon


class RateLimited(PlatformError):
    code = "rate_limited"
    retryable = True


class PageChanged(PlatformError):
    code = "page_changed"
    retryable = False  # selectors need an operator override


class ThreadNotFound(PlatformError):
    """The thread page answers 404: the lead or the platform deleted it. Not a selector problem."""

    code = "thread_not_found"
    retryable = False


class NavigationTimeout(PlatformError):
    code = "timeout"
    retryable = True


class SendUnconfirmed(PlatformError):
    """Send was clicked but the message never showed in the thread. Not retried blindly: the next attempt
    must read the thread first, because the platform may still have taken it."""

    code = "send_unconfirmed"
    retryable = True


class ProfileLocked(PlatformError):
    code = "profile_locked"
    retryable = True


ERRORS_BY_CODE = {
    cls.code: cls
    for cls in (
        SessionExpired, CaptchaRequired, BotChallenge, AccessBlocked, RateLimited, PageChanged,
        ThreadNotFound, NavigationTimeout, SendUnconfirmed, ProfileLocked,
    )
}
