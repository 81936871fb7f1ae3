"""Settings, read once from the environment, with defaults safe for a newcomer's laptop.

Every variable read here is in the README's configuration table (a test keeps it so). With
PRODUCTION=1 the site refuses to start until every secret and SITE_URL is given.
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tadamun.record import key as record_key

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
# PRODUCTION turns a missing secret, SITE_URL or mail server into a refusal to start (at the
# end of this file) instead of a laptop's default, and switches the HTTPS settings on.
PRODUCTION = envbool("PRODUCTION", False)

DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        return ""  # refused below, with whatever else is missing
    # First run on a laptop: generate a key once and keep it, so sessions and signed
    # links survive a restart. Never a fixed default that every install would share.
    path = DATA_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# Where `make run` (gunicorn.conf.py) serves.
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = envint("PORT", 8000)
# The site's address, for the absolute links in e-mails, which the worker writes with no
# request to take it from. On a laptop, where `make run` serves.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/") or (
    "" if PRODUCTION else f"http://{HOST}:{PORT}"
)

INSTALLED_APPS = [
    # The admin with the project's own site (its name, language switch and index), and the
    # task queue under a name an organizer can read.
    "tadamun.apps.Admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "csp",
    "django_tasks",
    "tadamun.apps.Tasks",
    "tadamun.statements",
    "tadamun.signatures",
    "tadamun.record",
    "tadamun.audit",
    "tadamun.public",
    "tadamun.api",
    "tadamun.desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "tadamun.unavailable.database_unavailable",
]

ROOT_URLCONF = "tadamun.urls"
WSGI_APPLICATION = "tadamun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tadamun" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets render with the project's templates too (the multilingual widget lives there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Databases: SQLite in the data directory unless DATABASE_URL names another.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tadamun.sqlite3",
        }
    }
# The tests' own database is named in tests/conftest.py (TEST_DATABASE_NAME, else one per run).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers
        # wait on the busy timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA foreign_keys=ON;"
            # Deleted rows (an erased name) are zeroed, not left readable in free pages
            # that a backup would copy.
            " PRAGMA secure_delete=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by several app servers), else local memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tadamun"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# Organizers sign in to their desk; the admin keeps its own sign-in page for maintenance.
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Only organizers log in, rarely; argon2 is worth its cost there (never on a signer's path).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Languages: Arabic and English first; more can be added with EXTRA_LANGUAGES=code:Name,…
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
for item in envlist("EXTRA_LANGUAGES"):
    code, _sep, name = item.partition(":")
    LANGUAGES.append((code.strip(), name.strip() or code.strip()))
LOCALE_PATHS = [Path(os.environ.get("LOCALE_DIR", BASE_DIR / "tadamun" / "locale"))]
# The language an organizer chose in the admin (the public pages carry it in their address).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Dates as each language writes them where Django formats them (the admin): Arabic as in
# Syria, day before month (25 تشرين الثاني 2026).
FORMAT_MODULE_PATH = ["tadamun.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "tadamun" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000

# E-mail: the standard Django names. Without EMAIL_HOST, messages are written as files
# under DATA_DIR/mail so a newcomer can open them.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tadamun <noreply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = os.environ["EMAIL_BACKEND"]
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Security headers. HTTPS-only settings are switched on for a site behind TLS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
HTTPS = envbool("HTTPS", PRODUCTION)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", HTTPS)
BEHIND_PROXY = envbool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    # Only behind a reverse proxy that sets these headers itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger writes a line for every 4xx answer, with the path (a
        # confirmation or withdrawal link carries its token there): errors only.
        "django.request": {"level": "ERROR"},
    },
}

# Sign-on and pledge links.
CONFIRMATION_HOURS = envint("CONFIRMATION_HOURS", 72)
MAX_CONFIRMATION_MAILS = envint("MAX_CONFIRMATION_MAILS", 3)
RESEND_SPACING_MINUTES = envint("RESEND_SPACING_MINUTES", 10)
# A listed organization whose name someone else uses is told at most once in this many hours.
CLAIM_NOTICE_HOURS = envint("CLAIM_NOTICE_HOURS", 24)
# How often a failed e-mail is tried again, with back-off doubling from MAIL_RETRY_SECONDS.
MAIL_ATTEMPTS = envint("MAIL_ATTEMPTS", 6)
MAIL_RETRY_SECONDS = envint("MAIL_RETRY_SECONDS", 30)
# The record's checkpoints: signed with an Ed25519 key kept outside DATA_DIR (see
# tadamun/record/key.py), under a name that identifies this log to witnesses. In production
# a missing key is refused below, with whatever else is missing.
_KEY_GIVEN = bool(
    os.environ.get("RECORD_SIGNING_KEY")
    or os.environ.get("RECORD_SIGNING_KEY_FILE")
    or os.environ.get("CREDENTIALS_DIRECTORY")
)
RECORD_SIGNING_KEY = record_key.load(DATA_DIR, PRODUCTION) if _KEY_GIVEN or not PRODUCTION else b""
RECORD_ORIGIN = os.environ.get("RECORD_ORIGIN", "") or f"{urlsplit(SITE_URL).netloc}/record"
# A checkpoint is signed at every change, and at least this often when nothing changes.
RECORD_CHECKPOINT_MINUTES = envint("RECORD_CHECKPOINT_MINUTES", 60)

# Fingerprints of e-mail and client addresses are HMACs under this key. Changing it forgets
# which addresses have already pledged; in production it is set apart from SECRET_KEY, so
# that replacing a leaked SECRET_KEY does not.
FINGERPRINT_KEY = os.environ.get("FINGERPRINT_KEY", "" if PRODUCTION else SECRET_KEY)
# Where the client's address is read (for abuse limits only): behind a reverse proxy, the
# header it sets (deploy/nginx.conf sets X-Real-IP); else the connection's own address.
CLIENT_IP_HEADER = os.environ.get(
    "CLIENT_IP_HEADER", "HTTP_X_REAL_IP" if BEHIND_PROXY else "REMOTE_ADDR"
)
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
# "count/period" per client address and per e-mail domain, for each public form.
RATE_LIMITS = {
    "form_client": os.environ.get("RATE_LIMIT_FORM_CLIENT", "20/h"),
    "form_domain": os.environ.get("RATE_LIMIT_FORM_DOMAIN", "60/h"),
    "resend_client": os.environ.get("RATE_LIMIT_RESEND_CLIENT", "10/h"),
    "resend_domain": os.environ.get("RATE_LIMIT_RESEND_DOMAIN", "30/h"),
    "link_client": os.environ.get("RATE_LIMIT_LINK_CLIENT", "60/h"),
}
# Pledge figures are published through a differential-privacy mechanism, at fixed times every
# this many hours (counted from midnight UTC), never in reaction to a change (see
# docs/threat-model.md).
PLEDGE_RELEASE_HOURS = max(1, envint("PLEDGE_RELEASE_HOURS", 6))
# The privacy budget (ρ, zero-concentrated DP) of one statement's pledge figures over its life,
# and each release's share of it: a statement has PER_STATEMENT / PER_RELEASE releases (500:
# four months at one every 6 hours), after which its figures stay as they are. δ bounds the
# chance that a city or work domain of one person is ever shown.
PLEDGE_PRIVACY_PER_STATEMENT = envfloat("PLEDGE_PRIVACY_PER_STATEMENT", 0.5)
PLEDGE_PRIVACY_PER_RELEASE = envfloat("PLEDGE_PRIVACY_PER_RELEASE", 0.001)
PLEDGE_PRIVACY_DELTA = envfloat("PLEDGE_PRIVACY_DELTA", 1e-7)
# Days after a statement closes before its signers' contact data is deleted.
RETENTION_DAYS = envint("RETENTION_DAYS", 90)
HOUSEKEEPING_MINUTES = envint("HOUSEKEEPING_MINUTES", 60)
# Notices to many signers go out in batches of this size, with a pause between batches.
NOTICE_BATCH = envint("NOTICE_BATCH", 50)
NOTICE_PAUSE_SECONDS = envint("NOTICE_PAUSE_SECONDS", 1)
# Imports of signatory lists from the desk: longer lists are checked and imported by the
# worker, in batches (the check compares every name with every other: 150 take seconds).
IMPORT_INLINE_NAMES = envint("IMPORT_INLINE_NAMES", 50)
IMPORT_BATCH = envint("IMPORT_BATCH", 50)
# A task running longer than this was left by a dead worker and is run again.
STALLED_TASK_SECONDS = envint("STALLED_TASK_SECONDS", 300)

if PRODUCTION:
    _missing = [
        name
        for name, value in [
            ("SECRET_KEY", SECRET_KEY),
            ("FINGERPRINT_KEY", FINGERPRINT_KEY),
            ("RECORD_SIGNING_KEY", RECORD_SIGNING_KEY),
            ("SITE_URL", SITE_URL),
            # Without it, messages would be written to files and nobody could confirm.
            ("EMAIL_HOST", EMAIL_HOST or os.environ.get("EMAIL_BACKEND")),
            ("EMAIL_HOST_PASSWORD", EMAIL_HOST_PASSWORD or not EMAIL_HOST_USER),
        ]
        if not value
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"PRODUCTION=1 needs {', '.join(_missing)} to be set (see the README's table)."
        )
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, not {SITE_URL!r}")
