"""Settings for Testimony Archive, read from environment variables.

A fresh checkout runs with none set: SQLite, the whoosh index and private files all live
under var/ (ARCHIVE_VAR_DIR moves them). README.md lists every variable.
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from archive.lib.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
)
from archive.lib.storage import S3_ADDRESSING_STYLES, S3_ENCRYPTIONS, s3_storage_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("ARCHIVE_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("ARCHIVE_DEBUG", True)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("ARCHIVE_SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("ARCHIVE_SECRET_KEY must be set when ARCHIVE_DEBUG is off.")

ALLOWED_HOSTS = env_list(
    "ARCHIVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("ARCHIVE_CSRF_TRUSTED_ORIGINS")
SITE_NAME = env_str("ARCHIVE_SITE_NAME", "Testimony Archive")
# The public address, for links in e-mail.
SITE_URL = env_str("ARCHIVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "django_tasks_db",
    # From the bottom of the app graph to the top (README, "Layout"): each app imports only
    # the apps listed before it.
    "archive.audit",
    "archive.accounts",
    "archive.testimonies",
    "archive.consent",
    "archive.search",
    "archive.public",
    "archive.api",
    "archive.publishing",
    "archive.preservation",
    "archive.curation",
    "archive.demo",
]

MIDDLEWARE = [
    # First: everything after it (django-axes, the logs, limits) sees the client's address.
    "archive.lib.client_address.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "archive.lib.request_checks.RefuseNulCharacters",
    "archive.lib.request_checks.RefuseMalformedAdminSelection",
    "archive.lib.request_checks.RefuseImpossibleAdminDates",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Answers made for a signed-in person or a token stay out of shared caches.
    "archive.lib.cache_headers.PrivateAnswersMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "archive.audit.log.AuditContextMiddleware",
    # A personal API token on the views the API links to (the media files).
    "archive.api.access.ApiTokenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An index that cannot be read: a plain 503, never a traceback of index bytes.
    "archive.search.middleware.SearchUnavailableMiddleware",
    # Last, as django-axes asks: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"
ASGI_APPLICATION = "archive.asgi.application"

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
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "archive.public.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url("DATABASE_URL", DATABASE_URL)}
else:
    # The embedded default: create var/ so a fresh checkout runs without a setup step.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "archive.sqlite3",
            # WAL lets readers go on while a writer commits; the timeout makes a second
            # writer wait for the lock instead of failing at once.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): five failures lock that username from that address for an hour.
AXES_FAILURE_LIMIT = env_int("ARCHIVE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The one client address (archive/lib/client_address.py), as for every other limit and log.
AXES_CLIENT_IP_CALLABLE = "archive.lib.client_address.client_address"
# Forms anyone may send (sign-up, password reset, the concern form…): this many sendings per
# client and form in ten minutes, then 429 (archive/lib/throttle.py).
FORM_RATE_LIMIT = env_int("ARCHIVE_FORM_RATE_LIMIT", 5, minimum=1)
FORM_RATE_WINDOW_SECONDS = 600
# Staff must confirm a one-time password (django-otp) to act as staff, in the admin and
# everywhere else (archive/accounts/access.py `has_staff_reach`); on unless DEBUG.
STAFF_REQUIRE_TWO_FACTOR = env_bool("ARCHIVE_STAFF_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("hy", "Հայերեն"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "archive" / "locale"]
FORMAT_MODULE_PATH = ["archive.formats"]
# The language of the catalogue's own text (titles, summaries, vocabulary), as a BCP 47 tag.
CATALOGUE_LANGUAGE = env_str("ARCHIVE_CATALOGUE_LANGUAGE", "en")
TIME_ZONE = env_str("ARCHIVE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Files. The default storage is private: it is never served under a public URL, only
# through the views in archive/public/media.py, which ask the disclosure policy first.
MEDIA_ROOT = VAR_DIR / "media"
# How long a presigned S3 link stays valid; the view hands out a new one on every request.
MEDIA_URL_SECONDS = env_int("ARCHIVE_MEDIA_URL_SECONDS", 300, minimum=1)
# Behind nginx: hand local files to it with X-Accel-Redirect under this internal location.
MEDIA_X_ACCEL_PREFIX = env_str("ARCHIVE_MEDIA_X_ACCEL_PREFIX")
S3_BUCKET = env_str("ARCHIVE_S3_BUCKET")
if S3_BUCKET:
    _s3_endpoint = env_str("ARCHIVE_S3_ENDPOINT_URL")
    _default_storage = s3_storage_settings(
        bucket=S3_BUCKET,
        endpoint_url=_s3_endpoint,
        region=env_str("ARCHIVE_S3_REGION"),
        access_key=env_str("ARCHIVE_S3_ACCESS_KEY_ID"),
        secret_key=env_str("ARCHIVE_S3_SECRET_ACCESS_KEY"),
        addressing_style=env_choice(
            "ARCHIVE_S3_ADDRESSING_STYLE", "path" if _s3_endpoint else "auto", S3_ADDRESSING_STYLES
        ),
        encryption=env_choice("ARCHIVE_S3_ENCRYPTION", "AES256", S3_ENCRYPTIONS),
        url_seconds=MEDIA_URL_SECONDS,
    )
    # Players follow the media view's redirect to a presigned URL on the object store.
    _endpoint_parts = urlsplit(_s3_endpoint)
    _MEDIA_ORIGINS = (
        [f"{_endpoint_parts.scheme}://{_endpoint_parts.netloc}"]
        if _s3_endpoint
        else ["https://*.amazonaws.com"]
    )
else:
    _MEDIA_ORIGINS = []
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
# The largest upload accepted per kind of file, in bytes (archive/testimonies/uploads.py).
MEDIA_UPLOAD_MAX_BYTES = {
    "audio": env_int("ARCHIVE_MAX_AUDIO_MB", 2048, minimum=1) * 2**20,
    "video": env_int("ARCHIVE_MAX_VIDEO_MB", 8192, minimum=1) * 2**20,
    "image": env_int("ARCHIVE_MAX_IMAGE_MB", 100, minimum=1) * 2**20,
    "document": env_int("ARCHIVE_MAX_DOCUMENT_MB", 200, minimum=1) * 2**20,
    "evidence": env_int("ARCHIVE_MAX_EVIDENCE_MB", 50, minimum=1) * 2**20,
}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
STATIC_URL = "/static/"
STATIC_ROOT = env_path("ARCHIVE_STATIC_ROOT", BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development whitenoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

SEARCH_INDEX_DIR = VAR_DIR / "index"

# Background work: tasks run at once in-process unless ARCHIVE_TASKS=database, which
# queues them in the database for `manage.py db_worker`.
TASKS_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
_tasks_backend = env_str("ARCHIVE_TASKS", "immediate")
if _tasks_backend not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"ARCHIVE_TASKS={_tasks_backend!r}; use one of {', '.join(TASKS_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[_tasks_backend]}}

# E-mail: printed to the console unless an SMTP host is given.
EMAIL_SMTP_HOST = env_str("ARCHIVE_EMAIL_HOST")
if EMAIL_SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_SMTP_HOST,
                "port": env_int("ARCHIVE_EMAIL_PORT", 587, minimum=1),
                "username": env_str("ARCHIVE_EMAIL_USER"),
                "password": env_str("ARCHIVE_EMAIL_PASSWORD"),
                "use_tls": env_bool("ARCHIVE_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("ARCHIVE_DEFAULT_FROM_EMAIL", "archive@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# OAI-PMH: identifiers are oai:<repository id>:<reference>; Identify names the admin address.
OAI_REPOSITORY_ID = env_str("ARCHIVE_OAI_REPOSITORY_ID", "testimony-archive")
OAI_ADMIN_EMAIL = env_str("ARCHIVE_OAI_ADMIN_EMAIL", DEFAULT_FROM_EMAIL)

# Transport security: on by default whenever DEBUG is off.
SECURE_SSL_REDIRECT = env_bool("ARCHIVE_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("ARCHIVE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ARCHIVE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("ARCHIVE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: everything from this host; scripts only from our files or with the
# per-response nonce (templates write it as {{ csp_nonce }}); no inline event handlers anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF, *_MEDIA_ORIGINS],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}
BEHIND_PROXY = env_bool("ARCHIVE_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the archive, each appending to X-Forwarded-For:
# the client's address is that many entries from the right (archive/lib/client_address.py).
PROXY_HOPS = env_int("ARCHIVE_PROXY_HOPS", 1 if BEHIND_PROXY else 0, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ARCHIVE_LOG_LEVEL", "INFO")},
    # Every task's start and end is logged at INFO: noise next to the archive's own log.
    "loggers": {"django.tasks": {"level": "WARNING"}},
}
