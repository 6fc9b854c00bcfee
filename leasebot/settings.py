"""lease-bot settings, 12-factor: everything that differs between deployments comes from the environment."""

from pathlib import Path

import django

from leasebot import env

BASE_DIR = Path(__file__).resolve().parent.parent

LEASEBOT_ENV = env.get_choice("LEASEBOT_ENV", env.ENVIRONMENTS, "local")
IS_DEPLOYED = LEASEBOT_ENV in ("production", "staging")

SECRET_KEY = env.get_str("SECRET_KEY", required=IS_DEPLOYED)
if SECRET_KEY is None:
    SECRET_KEY = "local-development-key-never-used-in-production-" + "x" * 20
elif IS_DEPLOYED and len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production and staging.")

DEBUG = env.get_bool("DEBUG", default=LEASEBOT_ENV == "local")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", [] if IS_DEPLOYED else ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_rq",
    "axes",
    "leasebot",
    "guardrails",
    "scheduling",
    "conversations",
    "ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "leasebot.middleware.AgentTimezoneMiddleware",
    # Last, as django-axes asks: it turns lock-outs into our own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "leasebot.urls"
WSGI_APPLICATION = "leasebot.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "leasebot.context_processors.navigation",
            ],
        },
    },
]

_DEFAULT_DB = "postgresql://leasebot@127.0.0.1:54329/leasebot"
DATABASE_URL = env.get_str("DATABASE_URL", required=IS_DEPLOYED) or _DEFAULT_DB
DATABASES = {"default": env.parse_database_url(DATABASE_URL)}
# Server-side parameter binding lets psycopg prepare a statement once a connection has run it this many
# times, so PostgreSQL stops planning it again: planning was most of the database's time per triage
# decision (a six-table join plans in ~0.5 ms and runs in 0.07 ms). 0 turns it off, e.g. behind a
# transaction-pooling PgBouncer, which cannot keep prepared statements.
DB_PREPARE_THRESHOLD = env.get_int("LEASEBOT_DB_PREPARE_THRESHOLD", 5, minimum=0)
if DB_PREPARE_THRESHOLD:
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", DB_PREPARE_THRESHOLD)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.get_str("REDIS_URL", required=IS_DEPLOYED) or "redis://127.0.0.1:63799/0"
RQ_QUEUES = {
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}
    for name in ("default", "ingest", "triage", "dispatch")
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "leasebot",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: separate counters per account and per client address, so one attacker
# cannot lock every account from one IP without also being locked out as that IP.
AXES_FAILURE_LIMIT = env.get_int("LEASEBOT_LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = env.get_int("LEASEBOT_LOGIN_COOLOFF_MINUTES", 15, minimum=1, maximum=1440) / 60
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "leasebot.views.lockout_response"
AXES_IPWARE_PROXY_COUNT = env.get_int("LEASEBOT_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_VERBOSE = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_DEPLOYED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email: console in local and test unless told otherwise. Django 6.1 configures mail as MAILERS.
_EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if IS_DEPLOYED else "django.core.mail.backends.console.EmailBackend",
)
if LEASEBOT_ENV == "test":
    _EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
_EMAIL_OPTIONS = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env.get_str("EMAIL_HOST", "localhost"),
        "port": env.get_int("EMAIL_PORT", 25, minimum=1, maximum=65535),
        "username": env.get_str("EMAIL_HOST_USER", ""),
        # A reference would be nicer, but SMTP passwords are conventionally injected as env values.
        "password": env.get_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env.get_bool("EMAIL_USE_TLS", False),
        "timeout": 10,
    }
else:
    env.get_int("EMAIL_PORT", 25, minimum=1, maximum=65535)  # still validated, so a typo fails loudly
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
else:
    EMAIL_BACKEND = _EMAIL_BACKEND
    EMAIL_HOST = _EMAIL_OPTIONS.get("host", "localhost")
    EMAIL_PORT = _EMAIL_OPTIONS.get("port", 25)
    EMAIL_HOST_USER = _EMAIL_OPTIONS.get("username", "")
    EMAIL_HOST_PASSWORD = _EMAIL_OPTIONS.get("password", "")
    EMAIL_USE_TLS = _EMAIL_OPTIONS.get("use_tls", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "lease-bot <no-reply@localhost>")
LEASEBOT_BASE_URL = env.get_str("LEASEBOT_BASE_URL", "http://127.0.0.1:8000")
LEASEBOT_INVITATION_TTL_HOURS = env.get_int("LEASEBOT_INVITATION_TTL_HOURS", 72, minimum=1, maximum=24 * 30)

# Browser runtime (see leasebot/runtime.py for the guard).
LEASEBOT_RPA_RUNTIME = env.get_str("LEASEBOT_RPA_RUNTIME", "playwright")
LEASEBOT_ALLOW_MOCK_RUNTIME = env.get_bool("LEASEBOT_ALLOW_MOCK_RUNTIME", False)
LEASEBOT_CHROMIUM_PATH = env.get_str("LEASEBOT_CHROMIUM_PATH", "/usr/bin/chromium")
LEASEBOT_RPA_HEADLESS = env.get_bool("LEASEBOT_RPA_HEADLESS", True)
LEASEBOT_RPA_ARTIFACTS_DIR = Path(env.get_str("LEASEBOT_RPA_ARTIFACTS_DIR", str(BASE_DIR / ".local" / "rpa-artifacts")))
LEASEBOT_RPA_PROFILES_DIR = Path(env.get_str("LEASEBOT_RPA_PROFILES_DIR", str(BASE_DIR / ".local" / "rpa-profiles")))

# Tunables: each has a default in the code that reads it; the environment may override it here.
LEASEBOT_TRIAGE_PROVIDER = env.get_choice("LEASEBOT_TRIAGE_PROVIDER", ("heuristic", "openai_compatible"), "heuristic")
LEASEBOT_TRIAGE_MIN_CONFIDENCE = env.get_float("LEASEBOT_TRIAGE_MIN_CONFIDENCE", 0.5, minimum=0, maximum=1)
LEASEBOT_TRIAGE_ESCALATE_WITHOUT_SLOTS = env.get_bool("LEASEBOT_TRIAGE_ESCALATE_WITHOUT_SLOTS", False)
LEASEBOT_TRIAGE_LLM_BASE_URL = env.get_str("LEASEBOT_TRIAGE_LLM_BASE_URL", "")
LEASEBOT_TRIAGE_LLM_MODEL = env.get_str("LEASEBOT_TRIAGE_LLM_MODEL", "")
LEASEBOT_TRIAGE_LLM_API_KEY_REF = env.get_reference("LEASEBOT_TRIAGE_LLM_API_KEY_REF")
LEASEBOT_TRIAGE_LLM_TIMEOUT_SECONDS = env.get_float("LEASEBOT_TRIAGE_LLM_TIMEOUT_SECONDS", 10.0, minimum=0.5, maximum=120)
LEASEBOT_TRIAGE_MAX_AGE_HOURS = env.get_int("LEASEBOT_TRIAGE_MAX_AGE_HOURS", 24, minimum=1, maximum=24 * 30)
LEASEBOT_FOLLOW_UP_1_HOURS = env.get_int("LEASEBOT_FOLLOW_UP_1_HOURS", 24, minimum=1, maximum=24 * 14)
LEASEBOT_FOLLOW_UP_2_HOURS = env.get_int("LEASEBOT_FOLLOW_UP_2_HOURS", 48, minimum=1, maximum=24 * 14)
LEASEBOT_SHOWING_REMINDER_HOURS = env.get_int("LEASEBOT_SHOWING_REMINDER_HOURS", 24, minimum=1, maximum=24 * 7)
LEASEBOT_DISPATCH_MAX_ATTEMPTS = env.get_int("LEASEBOT_DISPATCH_MAX_ATTEMPTS", 5, minimum=1, maximum=50)
LEASEBOT_RPA_MIN_INTERVAL_SECONDS = env.get_int("LEASEBOT_RPA_MIN_INTERVAL_SECONDS", 20, minimum=0, maximum=3600)
LEASEBOT_RPA_JITTER_SECONDS = env.get_int("LEASEBOT_RPA_JITTER_SECONDS", 10, minimum=0, maximum=3600)
LEASEBOT_RPA_MAX_PACING_SLEEP_SECONDS = env.get_int("LEASEBOT_RPA_MAX_PACING_SLEEP_SECONDS", 15, minimum=0, maximum=120)
LEASEBOT_RPA_DAILY_SEND_CAP = env.get_int("LEASEBOT_RPA_DAILY_SEND_CAP", 150, minimum=1, maximum=100000)
LEASEBOT_RPA_BREAKER_THRESHOLD = env.get_int("LEASEBOT_RPA_BREAKER_THRESHOLD", 3, minimum=1, maximum=100)
LEASEBOT_RPA_BREAKER_COOLDOWN_SECONDS = env.get_int("LEASEBOT_RPA_BREAKER_COOLDOWN_SECONDS", 300, minimum=10, maximum=86400)
LEASEBOT_ALERT_WEBHOOK_URL = env.get_str("LEASEBOT_ALERT_WEBHOOK_URL", "")
LEASEBOT_SLOT_MIN_NOTICE_MINUTES = env.get_int("LEASEBOT_SLOT_MIN_NOTICE_MINUTES", 120, minimum=0, maximum=60 * 24 * 14)
LEASEBOT_SLOT_HORIZON_DAYS = env.get_int("LEASEBOT_SLOT_HORIZON_DAYS", 14, minimum=1, maximum=60)
LEASEBOT_SLOT_BUFFER_MINUTES = env.get_int("LEASEBOT_SLOT_BUFFER_MINUTES", 15, minimum=0, maximum=240)
LEASEBOT_SLOT_DAILY_CAP = env.get_int("LEASEBOT_SLOT_DAILY_CAP", 8, minimum=1, maximum=100)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default-compatible.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_DEPLOYED:
    SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if LEASEBOT_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
