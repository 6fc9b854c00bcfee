"""Which browser runtime may run. `mock` is a test and demo tool; production must never fake a platform."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PLAYWRIGHT = "playwright"
MOCK = "mock"
RUNTIMES = (PLAYWRIGHT, MOCK)


class RuntimeForbidden(ImproperlyConfigured):
    pass


def get_runtime_name():
    return settings.LEASEBOT_RPA_RUNTIME


def runtime_problem():
    """The reason the configured runtime may not run, or None."""
    runtime = settings.LEASEBOT_RPA_RUNTIME
    env = settings.LEASEBOT_ENV
    if runtime not in RUNTIMES:
        return f"LEASEBOT_RPA_RUNTIME must be one of {', '.join(RUNTIMES)}, got {runtime!r}."
    if runtime != MOCK:
        return None
    if env not in ("local", "test"):
        return (
            f"MOCK_RUNTIME_FORBIDDEN: LEASEBOT_RPA_RUNTIME=mock is not allowed when LEASEBOT_ENV={env}. "
            "Fix: unset LEASEBOT_RPA_RUNTIME (the default is playwright) or set it to playwright."
        )
    if not settings.LEASEBOT_ALLOW_MOCK_RUNTIME:
        return (
            "MOCK_RUNTIME_FORBIDDEN: LEASEBOT_RPA_RUNTIME=mock must be asked for explicitly. "
            "Fix: also set LEASEBOT_ALLOW_MOCK_RUNTIME=1 (local and test only), or use playwright."
        )
    return None


def mock_allowed():
    return settings.LEASEBOT_RPA_RUNTIME == MOCK and runtime_problem() is None


def ensure_runtime_allowed():
    """Called by every process entry point (wsgi, asgi, workers, scheduler) before serving anything."""
    problem = runtime_problem()
    if problem:
        raise RuntimeForbidden(problem)
