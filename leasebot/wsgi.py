import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leasebot.settings")

application = get_wsgi_application()

from leasebot.runtime import ensure_runtime_allowed  # noqa: E402  (needs settings loaded)

ensure_runtime_allowed()
