"""Settings of Tỉnh Số, read from the environment only.

Every setting is documented in .env.example. With nothing set, the platform runs on
embedded defaults: a SQLite file, a file cache, a SQLite job queue and an in-process
MQTT broker, so a laptop needs no services.
"""

import os
import sys
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# pytest (8.2+) sets PYTEST_VERSION while it runs.
TESTING = "PYTEST_VERSION" in os.environ


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def read_secret(name: str) -> str:
    """A secret from the environment, or from the file <VAR_DIR>/<name> (`make run` generates one)."""
    value = os.getenv(name.upper().replace("-", "_"), "").strip()
    if not value and (VAR_DIR / name).is_file():
        value = (VAR_DIR / name).read_text().strip()
    return value


# Known public or placeholder values that must never sign a production session.
UNSAFE_SECRET_KEYS = {"", "change-me", "changeme", "secret", "insecure-development-key-change-me-" + "x" * 20}

DEBUG = envbool("DEBUG", "false")
SECRET_KEY = read_secret("secret-key")
if SECRET_KEY in UNSAFE_SECRET_KEYS or SECRET_KEY.startswith("django-insecure"):
    if not (DEBUG or TESTING):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY chưa được đặt hoặc là giá trị mặc định công khai; đặt SECRET_KEY (hoặc tệp "
            f"{VAR_DIR / 'secret-key'}) là một chuỗi ngẫu nhiên dài. / SECRET_KEY is unset or a public default: "
            'set it to a long random string, e.g. python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    SECRET_KEY = "insecure-development-key-for-debug-and-tests-only-" + "x" * 20
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000")
DEMO_PASSWORD = os.getenv("DEMO_PASSWORD", "tinhso-demo")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "django_tables2",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tinhso.core",
    "tinhso.accounts",
    "tinhso.units",
    # Domain modules, one app each (see docs/development.md).
    "tinhso.scoring",
    "tinhso.plans",
    "tinhso.teams",
    "tinhso.radio",
    "tinhso.trace",
    "tinhso.work",
    "tinhso.learning",
    "tinhso.meetings",
    "tinhso.feedback",
]

MIDDLEWARE = [
    "tinhso.core.metrics.RequestMetricsMiddleware",
    # Public pages marked cacheable by their view are replayed here, before sessions and auth.
    "tinhso.core.public_cache.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tinhso.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tinhso.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tinhso.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tinhso.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while the worker writes. A write waits for another process's write (web,
    # worker and radio bridge share the file) up to SQLITE_BUSY_SECONDS instead of failing the request with
    # "database is locked": on a busy laptop a job's transaction can outlast the library's default 5 s.
    _busy = envint("SQLITE_BUSY_SECONDS", "30")
    DATABASES["default"]["OPTIONS"] = {
        "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_busy * 1000};",
        "transaction_mode": "IMMEDIATE",
        "timeout": _busy,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if os.getenv("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tinhso.core.routers.ReplicaRouter"]
# Parallel test runs of several checkouts on one PostgreSQL must not share a test database.
DATABASES["default"]["TEST"] = {"NAME": os.getenv("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, jobs and messaging ------------------------------------------------------------
REDIS_URL = os.getenv("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    # Django's Redis backend, keeping its client object (see tinhso/core/cache.py).
    CACHES = {"default": {"BACKEND": "tinhso.core.cache.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django's default (300 entries, a third dropped at random when full) cannot hold the public
            # pages of one commune's 400 trees: most scans missed and were rendered again.
            "OPTIONS": {"MAX_ENTRIES": envint("FILE_CACHE_MAX_ENTRIES", "20000")},
        }
    }


def huey_settings() -> dict:
    common = {"name": "tinhso", "immediate": TESTING, "utc": True, "consumer": {"workers": 2}}
    if REDIS_URL:
        return {**common, "huey_class": "huey.PriorityRedisHuey", "url": REDIS_URL}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")}


HUEY = huey_settings()
# Readiness checks to leave out of /healthz/ (e.g. "bridge" where the smart radio is not used)
HEALTH_SKIP = envlist("HEALTH_SKIP", "")
# How long records are kept, in days (0 = forever); a nightly job removes older ones (tinhso.core.retention)
# List exports (?export=csv|xlsx) above this many rows run as a background job with a download link.
EXPORT_INLINE_MAX_ROWS = envint("EXPORT_INLINE_MAX_ROWS", "5000")
CHANGE_LOG_RETENTION_DAYS = envint("CHANGE_LOG_RETENTION_DAYS", "1825")
PLAY_LOG_RETENTION_DAYS = envint("PLAY_LOG_RETENTION_DAYS", "1825")
RADIO_DELIVERY_RETENTION_DAYS = envint("RADIO_DELIVERY_RETENTION_DAYS", "730")
NOTIFICATION_RETENTION_DAYS = envint("NOTIFICATION_RETENTION_DAYS", "365")
# Who may read /metrics: these networks, or anyone sending "Authorization: Bearer <METRICS_TOKEN>"
METRICS_ALLOWED_NETWORKS = envlist("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
METRICS_TOKEN = os.getenv("METRICS_TOKEN", "")

MQTT_URL = os.getenv("MQTT_URL", "mqtt://127.0.0.1:1883")
# The embedded broker serves MQTT_URL's port when no external broker is configured;
# `make run` picks 1883 or, when it is taken, a free port (manage.py mqtt_url).
MQTT_EMBEDDED = envbool("MQTT_EMBEDDED", "false" if os.getenv("MQTT_URL") else "true")
MQTT_HOST = urlparse(MQTT_URL).hostname or "127.0.0.1"
MQTT_PORT = urlparse(MQTT_URL).port or 1883

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_STORAGE_URL = os.getenv("MEDIA_STORAGE_URL", "")
# nginx internal location serving MEDIA_ROOT after a view has checked the reader's scope, e.g. /protected-media/
# (empty: Django streams the file). There is no public /media/ route.
MEDIA_ACCEL_REDIRECT_PREFIX = os.getenv("MEDIA_ACCEL_REDIRECT_PREFIX", "")
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if MEDIA_STORAGE_URL.startswith("s3://"):
    # S3-compatible object storage (MinIO, Ceph, AWS) through django-storages.
    _s3 = urlparse(MEDIA_STORAGE_URL)
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3.hostname,
            "location": _s3.path.lstrip("/"),
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "access_key": os.getenv("S3_ACCESS_KEY_ID"),
            "secret_key": os.getenv("S3_SECRET_ACCESS_KEY"),
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 30

# --- Accounts and security ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tinhso.accounts.backends.UsernameOrPhoneBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING and not envbool("TEST_STRONG_HASHER", "false"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "30")
LOGIN_ACCOUNT_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", "100")
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")
# Proxies whose X-Forwarded-For is believed (addresses or networks); the client address is the first
# untrusted hop from the right. Default: a proxy on the same host (the documented nginx).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
# Two-factor (TOTP, django-otp): required for province administrators and for every role that can broadcast
# (modules register the permissions in ready(): tinhso.accounts.two_factor.require_for_permission); optional
# for others. Only a test or a closed evaluation turns it off.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", "true")
OTP_TOTP_ISSUER = os.getenv("OTP_TOTP_ISSUER", "Tỉnh Số")
OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes are counted by the login throttle (tinhso.accounts.throttle) instead
OTP_STATIC_THROTTLE_FACTOR = 0
BACKUP_CODE_COUNT = 10
# Self-service password reset: links last PASSWORD_RESET_TIMEOUT seconds; requests are limited per address
# and per e-mail within PASSWORD_RESET_WINDOW.
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 2))
PASSWORD_RESET_ADDRESS_LIMIT = envint("PASSWORD_RESET_ADDRESS_LIMIT", "10")
PASSWORD_RESET_EMAIL_LIMIT = envint("PASSWORD_RESET_EMAIL_LIMIT", "3")
PASSWORD_RESET_WINDOW = envint("PASSWORD_RESET_WINDOW", "3600")

# Self-registration of citizens (/accounts/register/): the communes offered are those in force today under the
# province with this code ("" turns registration off); attempts are limited per client address within the window.
SELF_REGISTRATION_PROVINCE = os.getenv("SELF_REGISTRATION_PROVINCE", "15")
REGISTRATION_ADDRESS_LIMIT = envint("REGISTRATION_ADDRESS_LIMIT", "10")
REGISTRATION_WINDOW = envint("REGISTRATION_WINDOW", "3600")
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60 * 12))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; kept default.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:  # the test client speaks plain HTTP; test_deploy checks these in a real start
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "true")

# --- Language, time, formats --------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Each app keeps its own catalogue in <app>/locale; this one completes the messages of DRF.
LOCALE_PATHS = [BASE_DIR / "tinhso" / "core" / "translations"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "tinhso_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tinhso.core.api.permissions.ScopedModelPermissions"],
    "DEFAULT_PARSER_CLASSES": [
        "tinhso.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "tinhso.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tinhso.core.api.exceptions.exception_handler",
    # Per user on the contest attempt APIs (issue 14's anti-abuse): generous for a real participant, whose phone
    # autosaves the answers of a 20-question paper every few seconds, but a script hammering them gets 429.
    "DEFAULT_THROTTLE_RATES": {
        "login": os.getenv("API_LOGIN_RATE", "20/min"),
        "attempt_start": os.getenv("API_ATTEMPT_START_RATE", "20/min"),
        "attempt_answers": os.getenv("API_ATTEMPT_ANSWERS_RATE", "120/min"),
        "attempt_finish": os.getenv("API_ATTEMPT_FINISH_RATE", "20/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tỉnh Số API",
    "DESCRIPTION": "REST API of Tỉnh Số, a province's digital-transformation platform.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {"UnitLevelEnum": "tinhso.units.choices.UnitLevel"},
}

DJANGO_TABLES2_TEMPLATE = "core/partials/_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Error reports: unhandled errors are mailed to ADMINS (with the e-mail settings below), and sent to
# Sentry when SENTRY_DSN is set (pip install sentry-sdk).
LOG_FORMAT = os.getenv("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "tinhso.core.logging.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "tinhso.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
            "stream": sys.stderr,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("amqtt", "transitions", "weasyprint", "fontTools")},
        "huey": {"level": "INFO", "propagate": False},  # the consumer prints through its own handler
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
        "tinhso.core.jobs": {"handlers": ["mail_admins"], "level": "ERROR", "propagate": True},
    },
}
SENTRY_DSN = os.getenv("SENTRY_DSN", "")
if SENTRY_DSN and not TESTING:
    import sentry_sdk  # optional: only where an operator installed it

    sentry_sdk.init(dsn=SENTRY_DSN, send_default_pii=False, environment=os.getenv("SENTRY_ENVIRONMENT", "production"))

# --- Smart radio (tinhso.radio) ---------------------------------------------------------------
# The bridge's own MQTT account: its password is a secret of its own (MQTT_BRIDGE_PASSWORD or the file
# <VAR_DIR>/mqtt-bridge-password, generated on first use); the embedded broker, the bridge and
# radio_mosquitto_config read the same one, so they agree.
MQTT_BRIDGE_USER = os.getenv("MQTT_BRIDGE_USER", "tinhso-bridge")
MQTT_BRIDGE_PASSWORD = read_secret("mqtt-bridge-password")
# Base address devices download audio from (default SITE_URL), e.g. http://10.0.0.2:8000 on a village LAN
RADIO_DEVICE_BASE_URL = os.getenv("RADIO_DEVICE_BASE_URL", "")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "BulletinKindEnum": "tinhso.radio.choices.BulletinKind",
        "BulletinLevelEnum": "tinhso.radio.choices.BulletinLevel",
        "BulletinStatusEnum": "tinhso.radio.choices.BulletinStatus",
        "PlayEventKindEnum": "tinhso.radio.choices.PlayEventKind",
    }
)

# --- Traceability of ancient tea trees (tinhso.trace) ----------------------------------------------
# The project's own GS1 company prefix (digits, e.g. 893xxxxxxx). Empty: labels carry plain short URLs /t/<code>.
TRACE_GS1_COMPANY_PREFIX = os.getenv("TRACE_GS1_COMPANY_PREFIX", "")
# Decimals kept in public coordinates: 2 ≈ 1.1 km, 3 ≈ 110 m. The exact point never leaves the platform.
TRACE_PUBLIC_COORDINATE_DECIMALS = envint("TRACE_PUBLIC_COORDINATE_DECIMALS", "2")
# How far (km) from the commune's centre a tree may stand before its coordinates are refused.
TRACE_COMMUNE_RADIUS_KM = envint("TRACE_COMMUNE_RADIUS_KM", "12")
# Map tiles for public garden maps, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty: no map.
TRACE_MAP_TILES_URL = os.getenv("TRACE_MAP_TILES_URL", "")
# Online weather adapter (Open-Meteo-style JSON); off by default, servers may have no internet.
TRACE_WEATHER_ONLINE_URL = os.getenv("TRACE_WEATHER_ONLINE_URL", "")
# Seconds a public tree or batch page is kept rendered in the cache (and allowed in browsers and proxies).
TRACE_PUBLIC_CACHE_SECONDS = envint("TRACE_PUBLIC_CACHE_SECONDS", "300")
# Seconds a worker keeps public scans in memory before adding them to the shared counters (0: at once).
TRACE_SCAN_FLUSH_SECONDS = envint("TRACE_SCAN_FLUSH_SECONDS", "0" if TESTING else "5")

# --- Citizen reports (tinhso.feedback; docs/feedback.md) -------------------------------------------
# Days after the answer during which the reporter may reopen a report.
FEEDBACK_REOPEN_DAYS = envint("FEEDBACK_REOPEN_DAYS", "30")
# Decimals kept in public coordinates of a report: 3 ≈ 110 m (the place, not the reporter's house).
FEEDBACK_PUBLIC_COORDINATE_DECIMALS = envint("FEEDBACK_PUBLIC_COORDINATE_DECIMALS", "3")
# Seconds an Open311 requests list (up to 1,000 requests) is kept rendered in the cache and in proxies.
FEEDBACK_PUBLIC_CACHE_SECONDS = envint("FEEDBACK_PUBLIC_CACHE_SECONDS", "60")
# Categories (service codes) whose report page offers the radio emergency for the villages around
# (tinhso.core.place_actions, registered by radio), and the radius radio looks for villages in.
FEEDBACK_EMERGENCY_CATEGORIES = [
    code.strip() for code in os.getenv("FEEDBACK_EMERGENCY_CATEGORIES", "sat-lo,lu-quet").split(",") if code.strip()
]
RADIO_EMERGENCY_RADIUS_KM = float(os.getenv("RADIO_EMERGENCY_RADIUS_KM", "3"))
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "CitizenReportStatusEnum": "tinhso.feedback.choices.Status",
        "CitizenReportEventKindEnum": "tinhso.feedback.choices.EventKind",
    }
)

# --- Notifications (tinhso.core.notifications; docs/notifications.md) ---------------------------
# E-mail leaves through Django's mail backend: the console in development, SMTP or an anymail
# provider in production. SMS and Zalo: off, "console" (written to the log), or an HTTP endpoint.
EMAIL_BACKEND = os.getenv(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Tỉnh Số <no-reply@tinhso.local>")
SERVER_EMAIL = os.getenv("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [parseaddr(entry) for entry in envlist("ADMINS", "") if "@" in entry]  # "Name <mail>" or a plain mail


def notification_sender(channel: str, *, default: str = "") -> dict | None:
    """NOTIFY_<CHANNEL>: "" (off), "console", or the URL of an HTTP gateway (token in NOTIFY_<CHANNEL>_TOKEN)."""
    target = os.getenv(f"NOTIFY_{channel.upper()}", default).strip()
    if not target or target == "off":
        return None
    if target == "console":
        return {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"}
    return {
        "BACKEND": "tinhso.core.notifications.senders.HttpSender",
        "URL": target,
        "TOKEN": os.getenv(f"NOTIFY_{channel.upper()}_TOKEN", ""),
        "TIMEOUT": envint("NOTIFY_HTTP_TIMEOUT", "10"),
        # Messages per request when the gateway takes lists ({"messages": [...]}); 1 = one request each
        "BATCH": envint(f"NOTIFY_{channel.upper()}_BATCH", "1"),
    }


NOTIFICATION_SENDERS = {
    "email": {"BACKEND": "tinhso.core.notifications.senders.EmailSender"} if envbool("NOTIFY_EMAIL", "true") else None,
    "sms": notification_sender("sms", default="console" if DEBUG else ""),
    "zalo": notification_sender("zalo", default="console" if DEBUG else ""),
}
# Phone verification by a code sent by SMS (docs/accounts.md). Required (contests take part only with a
# verified phone) by default when SMS goes through a real gateway; off with the console sender or no SMS.
PHONE_VERIFICATION_REQUIRED = (
    os.getenv("PHONE_VERIFICATION_REQUIRED", "").strip().lower()
    or ("true" if (NOTIFICATION_SENDERS["sms"] or {}).get("URL") else "false")
) in ("1", "true", "yes", "on")
PHONE_CODE_RESEND_SECONDS = envint("PHONE_CODE_RESEND_SECONDS", "60")
PHONE_CODE_HOURLY_LIMIT = envint("PHONE_CODE_HOURLY_LIMIT", "5")  # codes per number in an hour
PHONE_CODE_ADDRESS_HOURLY_LIMIT = envint("PHONE_CODE_ADDRESS_HOURLY_LIMIT", "40")  # per client address (a hall)
# Non-urgent e-mail, SMS and Zalo wait for the end of these hours (local time); "" for none
NOTIFY_QUIET_HOURS = os.getenv("NOTIFY_QUIET_HOURS", "21:00-06:30")
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", "5")
