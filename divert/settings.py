"""Settings, read from the environment (12-factor).

DATABASE_URL  database to use; defaults to SQLite under var/
SECRET_KEY    required unless DEBUG is on or var/secret_key exists (the demo writes it)
DEBUG         off unless set to a true value
ALLOWED_HOSTS comma-separated host names
"""

import ipaddress
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from divert.database import database_config
from divert.logs import logging_config
from divert.paths import BASE_DIR, VAR_DIR


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envnetworks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated IP addresses or networks (10.0.0.0/8)."""
    networks = []
    for part in os.environ.get(name, "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name} must list IP addresses or networks, not {part.strip()!r}"
                ) from None
    return networks


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG or os.environ.get("DIVERT_TESTING"):
        # Per-process key: sessions do not survive a restart, which is fine outside production.
        return secrets.token_urlsafe(50)
    raise ImproperlyConfigured("SECRET_KEY is not set (and var/secret_key does not exist)")


DEBUG = envbool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if os.environ.get("DIVERT_TESTING"):
    ALLOWED_HOSTS.append("testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "divert.jurisdictions",
    "divert.staff",
    "divert.people",
    "divert.field",
    "divert.casework",
    "divert.assessment",
    "divert.charges",
    "divert.funds",
    "divert.records",
    "divert.directory",
    "divert.linkage",
    "divert.meetings",
    "divert.surveys",
    "divert.audit",
    "divert.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "divert.web.methods.PageMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "divert.apitypes.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the second-factor check, so that its refusals are on record too.
    "divert.audit.middleware.AuditContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "divert.staff.mfa.MfaMiddleware",
    "divert.jurisdictions.middleware.SiteTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "divert.urls"
WSGI_APPLICATION = "divert.wsgi.application"
AUTH_USER_MODEL = "staff.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "divert" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "divert.web.menu.navigation",
            ],
        },
    },
]

# --- Database connections (divert/database.py: pool, health checks, DIVERT_DB_*) ----------
_default_db = f"sqlite:///{VAR_DIR / 'divert.sqlite3'}"
DATABASES = {"default": database_config(os.environ.get("DATABASE_URL", _default_db), os.environ)}
# --- end of database connections -----------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The dashboards' figures live in the database, so every gunicorn worker shares them and one
# lock (cache.add) makes concurrent first requests compute once (divert/program/dashboard.py).
# The table is made by divert/web/migrations/0001_dashboard_cache.py.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dashboard": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "divert_dashboard_cache",
    },
    # Scored pairs for the merge and justice reviews (divert/linkage/cached.py).
    "linkage": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "divert_linkage_cache",
    },
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# CJIS Security Policy: lock out after 5 failed logons for at least 10 minutes,
# and end a session after 30 minutes idle.
AXES_FAILURE_LIMIT = envint("DIVERT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = envint("DIVERT_LOCKOUT_MINUTES", 10) / 60
# Also per address across usernames (a password spray), with its own higher limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "divert.staff.lockout.LockoutHandler"
DIVERT_LOCKOUT_ADDRESS_FAILURES = envint("DIVERT_LOCKOUT_ADDRESS_FAILURES", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = envint("DIVERT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Staff with a TOTP device must use it; DIVERT_REQUIRE_MFA makes a device compulsory.
DIVERT_REQUIRE_MFA = envbool("DIVERT_REQUIRE_MFA", "False")
OTP_TOTP_ISSUER = "divert"

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("DIVERT_SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, and name the public origins.
DIVERT_BEHIND_PROXY = envbool("DIVERT_BEHIND_PROXY")
if DIVERT_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Lockouts and the audit trail use one notion of the client's address (proxy-aware).
AXES_CLIENT_IP_CALLABLE = "divert.audit.middleware.client_address"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True
# One date and time format on every page (divert/formats/en/formats.py).
FORMAT_MODULE_PATH = ["divert.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Uploaded files (drawn signatures, scanned release forms). Never served as media or static
# files: only through access-checked, audited views. Keep it outside any web server's root.
MEDIA_ROOT = Path(os.environ.get("DIVERT_FILES_DIR", VAR_DIR / "files"))
# Largest scanned form accepted (megabytes); a drawn signature has a small fixed limit.
DIVERT_UPLOAD_MAX_MB = envint("DIVERT_UPLOAD_MAX_MB", 10)

# Target for handing a diverted person to a case manager (LEAD toolkit: about 30 minutes).
DIVERT_HANDOFF_TARGET_MINUTES = envint("DIVERT_HANDOFF_TARGET_MINUTES", 30)

# How the on-call case manager hears of a hand-off: any of console, email, webhook.
DIVERT_NOTIFIERS = [
    n.strip() for n in os.environ.get("DIVERT_NOTIFIERS", "console").split(",") if n.strip()
]
_unknown = set(DIVERT_NOTIFIERS) - {"console", "email", "webhook"}
if _unknown:
    raise ImproperlyConfigured(f"DIVERT_NOTIFIERS has unknown backend(s): {', '.join(_unknown)}")
DIVERT_WEBHOOK_URL = os.environ.get("DIVERT_WEBHOOK_URL", "")
# Largest justice-record export accepted by the API upload and the imports page (megabytes);
# bigger files go through `divert import` on the server.
DIVERT_IMPORT_MAX_MB = envint("DIVERT_IMPORT_MAX_MB", 100)
# The trained linkage model every page, the officer's lookup and each linkage run use: a file
# `divert labels train` wrote. Empty: the model divert ships.
DIVERT_LINKAGE_MODEL = os.environ.get("DIVERT_LINKAGE_MODEL", "").strip()
if DIVERT_LINKAGE_MODEL and not Path(DIVERT_LINKAGE_MODEL).is_file():
    raise ImproperlyConfigured(f"DIVERT_LINKAGE_MODEL: no such file: {DIVERT_LINKAGE_MODEL}")
# Where people reach divert: links in hand-off messages start here.
DIVERT_BASE_URL = os.environ.get("DIVERT_BASE_URL", "http://localhost:8000")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "divert@localhost")

# --- Observability: /metrics, request ids, JSON logs (divert/metrics.py, divert/logs.py) ----
INSTALLED_APPS += ["django_prometheus", "django_guid"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Outside django-guid, so it logs with the request's id and then clears it.
    "divert.logs.RequestLogMiddleware",
    "django_guid.middleware.guid_middleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
DJANGO_GUID = {"GUID_HEADER_NAME": "X-Request-ID", "EXPOSE_HEADER": False}
# Addresses (or networks) that may read /metrics without logging in, e.g. the Prometheus host.
DIVERT_METRICS_ALLOWED = envnetworks("DIVERT_METRICS_ALLOWED")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
DIVERT_LOG_FORMAT = os.environ.get("DIVERT_LOG_FORMAT", "json").strip().lower()
if DIVERT_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DIVERT_LOG_FORMAT must be json or text, not {DIVERT_LOG_FORMAT!r}")
LOGGING = logging_config(
    level=LOG_LEVEL, fmt=DIVERT_LOG_FORMAT, requests=envbool("DIVERT_REQUEST_LOG", "True")
)
# --- end of observability ------------------------------------------------------------------

# --- Audit trail integrity (docs/audit.md). Keep the key and the head file off the database host.
DIVERT_AUDIT_KEY = os.environ.get("DIVERT_AUDIT_KEY", "")
DIVERT_AUDIT_KEY_FILE = Path(os.environ.get("DIVERT_AUDIT_KEY_FILE", VAR_DIR / "audit_key"))
DIVERT_AUDIT_HEAD_FILE = Path(os.environ.get("DIVERT_AUDIT_HEAD_FILE", VAR_DIR / "audit_head.json"))
DIVERT_AUDIT_CHECKPOINT_EVERY = envint("DIVERT_AUDIT_CHECKPOINT_EVERY", 1000)
# --- end of audit trail integrity

# --- Security headers: CSP without inline script, HSTS outside the demo, no-store.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += [
    "csp",
    "ninja",  # so that the API docs use the Swagger UI files django-ninja ships, not a CDN
]
_after_static = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
MIDDLEWARE[_after_static:_after_static] = [
    "csp.middleware.CSPMiddleware",
    "divert.web.headers.NoStoreMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browsers keep to HTTPS for a year once they have seen it; not in the demo (plain HTTP).
SECURE_HSTS_SECONDS = 0 if DEBUG else envint("DIVERT_HSTS_SECONDS", 365 * 24 * 3600)
# --- end of security headers
