"""Settings of Tỉnh Số, read from the environment only.

Every setting is documented in .env.example. With nothing set, the platform runs on
embedded defaults: a SQLite file, a file cache, a SQLite job queue and an in-process
MQTT broker, so a laptop needs no services.
"""

import os
import sys
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


DEBUG = envbool("DEBUG", "true")
SECRET_KEY = os.getenv("SECRET_KEY", "insecure-development-key-change-me-" + "x" * 20)
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
    "tinhso.core",
    "tinhso.accounts",
    "tinhso.units",
    # Domain modules, one app each (see docs/development.md).
    "tinhso.scoring",
    "tinhso.plans",
    "tinhso.teams",
    "tinhso.radio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
    # WAL lets the web server read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
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
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }


def huey_settings() -> dict:
    common = {"name": "tinhso", "immediate": TESTING, "utc": True, "consumer": {"workers": 2}}
    if REDIS_URL:
        return {**common, "huey_class": "huey.PriorityRedisHuey", "url": REDIS_URL}
    return {**common, "huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")}


HUEY = huey_settings()

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
# nginx internal location serving MEDIA_ROOT after the application's permission check, e.g. /protected-media/
MEDIA_ACCEL_REDIRECT = os.getenv("MEDIA_ACCEL_REDIRECT", "")
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
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(60 * 60 * 12))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the cookie-less meta tag; kept default.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
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
    "DEFAULT_PAGINATION_CLASS": "tinhso.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tinhso.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": os.getenv("API_LOGIN_RATE", "20/min")},
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": sys.stderr}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        **{name: {"level": "WARNING"} for name in ("amqtt", "transitions", "weasyprint", "fontTools")},
        "huey": {"level": "INFO", "propagate": False},  # the consumer prints through its own handler
    },
}

# --- Smart radio (tinhso.radio) ---------------------------------------------------------------
# The bridge's own MQTT account; with no password set, one is derived from SECRET_KEY (the embedded
# broker and the bridge read the same settings, so they agree). Mosquitto: see radio_mosquitto_config.
MQTT_BRIDGE_USER = os.getenv("MQTT_BRIDGE_USER", "tinhso-bridge")
MQTT_BRIDGE_PASSWORD = os.getenv("MQTT_BRIDGE_PASSWORD", "")
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
ADMINS = [("", address) for address in envlist("ADMINS", "")]


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
    }


NOTIFICATION_SENDERS = {
    "email": {"BACKEND": "tinhso.core.notifications.senders.EmailSender"} if envbool("NOTIFY_EMAIL", "true") else None,
    "sms": notification_sender("sms", default="console" if DEBUG else ""),
    "zalo": notification_sender("zalo", default="console" if DEBUG else ""),
}
# Non-urgent e-mail, SMS and Zalo wait for the end of these hours (local time); "" for none
NOTIFY_QUIET_HOURS = os.getenv("NOTIFY_QUIET_HOURS", "21:00-06:30")
NOTIFY_MAX_ATTEMPTS = envint("NOTIFY_MAX_ATTEMPTS", "5")
