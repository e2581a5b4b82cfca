"""Settings for amicable, read from the environment (see README.md, "Configuration").

Safe defaults for local use: SQLite in ./var, DEBUG on, e-mail printed to the console.
Production sets SECRET_KEY, DEBUG=false, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from amicable.config.env import env_bool, env_int, env_list, env_str
from amicable.config.logs import logging_config

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AMICABLE_VAR_DIR", str(Path.cwd() / "var")))

DEBUG = env_bool("DEBUG", default=True)
_DEV_SECRET = "dev-only-insecure-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies in front of the application append to X-Forwarded-For (README,
# "Behind a reverse proxy"); 0: the header is never trusted (amicable.security.client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise RuntimeError("TRUSTED_PROXY_COUNT must be 0 or more.")
# Our proxy says whether the client came over TLS; with no trusted proxy the header is the
# client's own and is never believed.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None

INSTALLED_APPS = [
    # django.contrib.admin, its site behind the back office's sign-in (config/admin_site.py).
    "amicable.config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "amicable.files",
    "amicable.intake",
    "amicable.payments",
    "amicable.letters",
    "amicable.portal",
    "amicable.phishing",
    "amicable.plans",
    "amicable.disputes",
    "amicable.proofs",
    "amicable.work_items",
    "amicable.backoffice",
    "amicable.privacy",
    "amicable.workflow",
    "amicable.security",
    "amicable.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, whose check reads a form's body.
    "amicable.config.request_size.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amicable.config.urls"
WSGI_APPLICATION = "amicable.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amicable.backoffice.context_processors.interest_rate_gaps",
            ],
        },
    },
]

if not env_str("DATABASE_URL"):
    # The default SQLite file lives in VAR_DIR: make sure a fresh checkout can create it.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'amicable.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and a command share the file safely.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "backoffice:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "static/"
# django-ninja's Swagger UI files, so that the API's documentation page works offline
# (intake/docs.py). Found without importing the package: as an installed app it would import
# the whole API framework into every command, the daily run included (0.12 CPU s a process).
_NINJA = find_spec("ninja")
if _NINJA is None or _NINJA.origin is None:
    raise RuntimeError("django-ninja is missing: run `make install`.")
STATICFILES_DIRS = [Path(_NINJA.origin).parent / "static"]
# Locally (DEBUG) static files are served from the apps' folders; production collects them.
STATIC_ROOT = None if DEBUG else Path(env_str("AMICABLE_STATIC_ROOT", str(VAR_DIR / "static")))
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("AMICABLE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Django's sessions in the database, their row read by a prepared read (config/sessions.py).
SESSION_ENGINE = "amicable.config.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# HTTPS when DEBUG is off (README, "Security headers"): plain HTTP is redirected, browsers are
# told to use HTTPS only for a year (HSTS), cookies travel over TLS only. The health check
# answers on plain HTTP too, for a load balancer that probes the port directly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)

# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts
# come from our own origin only, never inline (the templates keep theirs in static files), no
# plug-ins, no framing, forms post to us only. A view that serves an uploaded document sets a
# stricter policy of its own (sandbox), which the middleware keeps.
# The creditor API's documentation (/api/v1/docs) is under the same policy: its offline
# Swagger page (intake/docs.py) loads its scripts and styles from static files and shows
# without a single refusal; django-ninja's CDN page would be refused. Should a docs page ever
# need an inline script, give that one view a narrow policy of its own
# (csp.decorators.csp_update), never loosen the whole site's.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# The largest request body, files included, unless a view accepts more (config/request_size.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "amicable <no-reply@localhost>")

# Optional ClamAV daemon socket: when set, every upload is scanned before it is stored.
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET")
# Key for hashing portal access codes and API tokens (defaults to SECRET_KEY).
ACCESS_CODE_PEPPER = env_str("ACCESS_CODE_PEPPER")

TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# One line per record on standard error; LOG_FORMAT=json for a log collector.
LOGGING = logging_config(
    level=env_str("LOG_LEVEL", "INFO"), log_format=env_str("LOG_FORMAT", "text").strip().lower()
)

# The portal's public address, printed on letters with the debtor's access code.
AMICABLE_PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000/")

# The agency running this installation (printed on letters and in the portal).
AMICABLE_AGENCY = {
    "name": env_str("AGENCY_NAME", "Amicable Services SRL"),
    "enterprise_number": env_str("AGENCY_ENTERPRISE_NUMBER", "0403.170.701"),
    "fps_economy_registration": env_str("AGENCY_FPS_REGISTRATION", "EC/2024/0001"),
    "address": env_str("AGENCY_ADDRESS", "Rue de la Loi 1, 1000 Bruxelles"),
    "phone": env_str("AGENCY_PHONE", "+32 2 000 00 00"),
    "email": env_str("AGENCY_EMAIL", "dossier@amicable.example"),
    "iban": env_str("AGENCY_IBAN", "BE71096123456769"),
    "bic": env_str("AGENCY_BIC", "GKCCBEBB"),
}
