"""Chibo settings: one file, driven by environment variables.

DATABASE_URL   database (default: SQLite file data/chibo.sqlite3); PostgreSQL in production
DATABASE_REPLICA_URL, CHIBO_CONN_MAX_AGE, CHIBO_DB_POOLER: docs/deploy.md.
CHIBO_SECRET_KEY, CHIBO_DEBUG, CHIBO_ALLOWED_HOSTS, CHIBO_EMAIL_URL-like settings below.
CHIBO_ENV=production: HTTPS only, secure cookies, HSTS, hashed static files (docs/deploy.md).
"""

import ipaddress
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CHIBO_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("CHIBO_ENV") == "production"
DEBUG = env_bool("CHIBO_DEBUG", False)
SECRET_KEY = os.environ.get("CHIBO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and PRODUCTION:
        raise RuntimeError("CHIBO_SECRET_KEY must be set in production")
    # Fine for a demo or a test run; production sets CHIBO_ENV=production and a real key.
    SECRET_KEY = "chibo-insecure-development-key-change-me-0123456789abcdef"

ALLOWED_HOSTS = os.environ.get("CHIBO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHIBO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from local static files (no internet needed)
    "simple_history",
    # Chibo's apps, floor by floor from the bottom (shared/STYLE.md, "Floors"; CI holds the
    # plan with lint-imports). A new domain is one line here and one folder.
    "chibo.core",
    "chibo.accounts",
    "chibo.org",
    "chibo.rules",
    "chibo.notices",
    "chibo.members",
    "chibo.follow",
    "chibo.dues",
    "chibo.meetings",
    "chibo.development",
    "chibo.badges",
    "chibo.evaluation",
    "chibo.deadlines",
    "chibo.imports",
    "chibo.documents",
    "chibo.reports",
    "chibo.site",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the client's address and scheme from a trusted reverse proxy's X-Forwarded-For
    # and X-Forwarded-Proto; the headers are dropped when anyone else sends them.
    "chibo.core.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for phones on slow networks (static files come compressed from WhiteNoise
    # above). Django's GZip pads each response at random against BREACH, and CSRF tokens are
    # masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Reads the primary after a write (does nothing without a replica: chibo.core.db).
    "chibo.core.db.ReplicaMiddleware",
    "chibo.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends idle sessions; remembers the browsers that logged in (chibo.accounts.devices).
    "chibo.accounts.middleware.LoginMiddleware",
    # Two-step login: the code step for a session opened by a password alone, enrolment
    # first for an office that must have it (docs/deploy.md, "Second factor and API tokens").
    "chibo.org.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "chibo.site.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chibo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chibo.site.context_processors.navigation",
            ],
            "builtins": ["chibo.core.templatetags.vn"],
        },
    }
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
# Databases (docs/deploy.md, "Database"). PostgreSQL connections are kept open between
# requests (CHIBO_CONN_MAX_AGE seconds, checked before reuse): opening one costs about 10 ms,
# more than many pages' queries. Behind a transaction-pooling PgBouncer
# (CHIBO_DB_POOLER=pgbouncer) the pooler keeps the server connections instead; a server
# connection then changes between transactions, so no server-side cursors, no prepared
# statements and no per-connection options. SQLite opens a file: nothing to keep.
DB_POOLER = os.environ.get("CHIBO_DB_POOLER", "").strip().lower()
if DB_POOLER not in {"", "pgbouncer"}:
    raise RuntimeError("CHIBO_DB_POOLER must be empty or 'pgbouncer'")


def database(url: str, *, pooler: str = DB_POOLER) -> dict[str, Any]:
    """A DATABASES entry for the URL, with the connection settings above."""
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    options = config.setdefault("OPTIONS", {})
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the worker and the web process share the file; a busy timeout instead of
        # errors.
        options.update(
            {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            }
        )
        default_age = 0
    elif pooler:
        # PgBouncer refuses startup options: jit=off and random_page_cost=1.1 are set on the
        # server instead (ALTER ROLE ... SET ..., docs/deploy.md).
        options["prepare_threshold"] = None
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        default_age = 0
    else:
        # Reports are many short queries over indexed rows: PostgreSQL's JIT compiler costs
        # more (about 60 ms on the compliance report's cells query) than it ever saves here.
        # The data is read from memory, not from a spinning disk: at the default
        # random_page_cost (4) the planner read every status period of the database to join
        # a commune's 2,400 members (a hash join, 50-150 ms) instead of looking up each one
        # (5 ms; bench/member_search.py).
        options.setdefault("options", "-c jit=off -c random_page_cost=1.1")
        default_age = 60
    age = os.environ.get("CHIBO_CONN_MAX_AGE", "").strip()
    # "none": never closed (Django's None); a number of seconds; 0 closes after each request.
    config["CONN_MAX_AGE"] = None if age.lower() == "none" else int(age or default_age)
    config["CONN_HEALTH_CHECKS"] = env_bool("CHIBO_CONN_HEALTH_CHECKS", True)
    config.setdefault("TEST", {})
    return config


DATABASES = {
    "default": database(os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'chibo.sqlite3'}")
}
if os.environ.get("CHIBO_TEST_DB_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = os.environ["CHIBO_TEST_DB_NAME"]
# A PostgreSQL replica of the primary (streaming replication, read-only): the reports and
# dashboards read from it (chibo.core.db); writes, and reads after a write, stay on the
# primary. Tests run it as a mirror of the test database.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = database(os.environ["DATABASE_REPLICA_URL"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["chibo.core.db.ReplicaRouter"]
# After a request that wrote, its browser reads the primary this long (the replica's lag).
CHIBO_REPLICA_PIN_SECONDS = int(os.environ.get("CHIBO_REPLICA_PIN_SECONDS", "5"))
# Where `chibo backup` writes its files by default (docs/backup.md).
CHIBO_BACKUP_DIR = Path(os.environ.get("CHIBO_BACKUP_DIR", DATA_DIR / "backups"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins (docs/deploy.md, "Logins"). Failures count for CHIBO_LOGIN_WINDOW_MINUTES. One
# user name from one address (or one browser that logged in as it before) gets
# CHIBO_LOGIN_FREE_FAILURES tries, then waits 1, 2, 4... seconds between tries, at most
# CHIBO_LOGIN_LOCK_MINUTES; other addresses are not slowed. An address with
# CHIBO_LOGIN_ADDRESS_MAX_FAILURES failures over all user names is refused, except to the
# browsers that logged in from it before. CHIBO_LOGIN_ALERT_FAILURES failures on one account
# (from anywhere) tell its holder and the office above it, once per window.
CHIBO_LOGIN_WINDOW_MINUTES = int(os.environ.get("CHIBO_LOGIN_WINDOW_MINUTES", "60"))
CHIBO_LOGIN_FREE_FAILURES = int(os.environ.get("CHIBO_LOGIN_FREE_FAILURES", "3"))
CHIBO_LOGIN_LOCK_MINUTES = int(os.environ.get("CHIBO_LOGIN_LOCK_MINUTES", "15"))
CHIBO_LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("CHIBO_LOGIN_ADDRESS_MAX_FAILURES", "100"))
CHIBO_LOGIN_ALERT_FAILURES = int(os.environ.get("CHIBO_LOGIN_ALERT_FAILURES", "10"))
# Password-reset e-mails per hour, from one address and to one e-mail address.
CHIBO_PASSWORD_RESET_PER_ADDRESS = int(os.environ.get("CHIBO_PASSWORD_RESET_PER_ADDRESS", "10"))
CHIBO_PASSWORD_RESET_PER_EMAIL = int(os.environ.get("CHIBO_PASSWORD_RESET_PER_EMAIL", "3"))
# A session unused this long ends (0: never); the login page says why.
CHIBO_SESSION_IDLE_MINUTES = int(os.environ.get("CHIBO_SESSION_IDLE_MINUTES", "60"))
# An account that holds only the member role (its own record, its cell's meetings and the
# check-in) stays signed in this many days without use instead (0: as every account): its
# holder checks in at the monthly meeting, and a whole province at the login form in one
# evening hour would cost the server 0.3 s of CPU a member (docs/deploy.md, "Logins").
CHIBO_MEMBER_SESSION_DAYS = int(os.environ.get("CHIBO_MEMBER_SESSION_DAYS", "35"))

# API tokens expire this many days after they are issued unless asked otherwise, and never
# later than CHIBO_TOKEN_MAX_DAYS (docs/deploy.md, "Second factor and API tokens").
CHIBO_TOKEN_DAYS = int(os.environ.get("CHIBO_TOKEN_DAYS", "90"))
CHIBO_TOKEN_MAX_DAYS = int(os.environ.get("CHIBO_TOKEN_MAX_DAYS", "365"))
# Roles that a unit's second-factor requirement applies to, on the unit and below it.
CHIBO_SECOND_FACTOR_ROLES = [
    r.strip()
    for r in os.environ.get("CHIBO_SECOND_FACTOR_ROLES", "office,viewer").split(",")
    if r.strip()
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "chibo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "chibo" / "static"]
# collectstatic target in production (a container image keeps it outside the data volume)
STATIC_ROOT = Path(os.environ.get("CHIBO_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# In production (CHIBO_ENV=production, or CHIBO_STATIC_MANIFEST=1) `chibo collectstatic`
# writes each file under a name with its content's hash, with a gzip copy beside it, and
# WhiteNoise serves the hashed names compressed and cached for ten years ("immutable"): after
# the first visit a page fetches no CSS or JavaScript again, and a new release changes the
# names. Elsewhere (the demo, development, tests) the files are served from the source
# folders as they are, with no collectstatic step.
STATIC_MANIFEST = env_bool("CHIBO_STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "chibo.core.staticfiles.HashedCompressedStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS (docs/deploy.md, "Security settings"). CHIBO_ENV=production turns everything on; a
# deployment that terminates TLS some other way turns a part off with its variable.
SECURE_SSL_REDIRECT = env_bool("CHIBO_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("CHIBO_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHIBO_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is decided for a whole registrable domain (the province's), not by one of its
# hosts: off unless asked for, and Django's reminder about it (W021) silenced.
SECURE_HSTS_PRELOAD = env_bool("CHIBO_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("CHIBO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Reverse proxies trusted to say who the client is (chibo.core.proxy): addresses or networks.
# The default trusts a proxy on the same machine only.
CHIBO_TRUSTED_PROXIES = env_list("CHIBO_TRUSTED_PROXIES", "127.0.0.1/32,::1/128")
for _proxy in CHIBO_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError as error:
        raise RuntimeError(f"CHIBO_TRUSTED_PROXIES: {error}") from None
# The scheme the client used, as a trusted proxy tells it (its X-Forwarded-Proto: nginx's
# $scheme); the middleware above removes the header from any other peer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Security headers on every response, also in development and tests so that a page that
# needs more than the policy allows fails in the browser tests, not in production.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (Django's ContentSecurityPolicyMiddleware): scripts and styles only
# from Chibo's own static files, no inline script, no inline style attribute (templates use
# classes of chibo.css; chibo.js sets a progress bar's width through the DOM, which the
# policy allows), no eval (htmx's eval features are unused and turned off in base.html).
# Images may be data: URIs, which Bootstrap's CSS uses for its icons. Nothing from a CDN:
# Chibo works offline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

MAILERS = {
    "default": {
        # An SMTP server once CHIBO_EMAIL_HOST names one; printed to the console before.
        "BACKEND": os.environ.get(
            "CHIBO_EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if os.environ.get("CHIBO_EMAIL_HOST")
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {
            k: v
            for k, v in {
                "host": os.environ.get("CHIBO_EMAIL_HOST"),
                "port": os.environ.get("CHIBO_EMAIL_PORT"),
                "username": os.environ.get("CHIBO_EMAIL_USER"),
                "password": os.environ.get("CHIBO_EMAIL_PASSWORD"),
                # STARTTLS (port 587); CHIBO_EMAIL_SSL for implicit TLS (port 465).
                "use_tls": env_bool("CHIBO_EMAIL_TLS", False),
                "use_ssl": env_bool("CHIBO_EMAIL_SSL", False),
            }.items()
            if v
        },
    }
}
# Background tasks: a database queue run by `chibo worker` (no broker to install).
TASKS = {
    "default": {"BACKEND": os.environ.get("CHIBO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}
# The daily job (meeting reminders, deadlines) is enqueued after this hour, Vietnam time.
CHIBO_DAILY_HOUR = int(os.environ.get("CHIBO_DAILY_HOUR", "6"))
# Read notifications older than this many months are deleted by the daily job (docs/growth.md).
CHIBO_NOTICE_KEEP_MONTHS = int(os.environ.get("CHIBO_NOTICE_KEEP_MONTHS", "12"))
# Links in e-mails point here.
CHIBO_BASE_URL = os.environ.get("CHIBO_BASE_URL", "http://127.0.0.1:8000")

DEFAULT_FROM_EMAIL = os.environ.get("CHIBO_FROM_EMAIL", "chibo@localhost")

# Uploads: import workbooks are read in memory; refuse anything absurd early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
CHIBO_IMPORT_MAX_BYTES = int(os.environ.get("CHIBO_IMPORT_MAX_BYTES", str(15 * 1024 * 1024)))
# What an import may unpack to and hold (docs/import.md, "Limits"): a province's roster of
# 100,000 members and its other sheets fit well inside; a zip bomb does not.
CHIBO_IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("CHIBO_IMPORT_MAX_UNPACKED_BYTES", str(300 * 1024 * 1024))
)
CHIBO_IMPORT_MAX_RATIO = int(os.environ.get("CHIBO_IMPORT_MAX_RATIO", "100"))
CHIBO_IMPORT_MAX_SHEETS = int(os.environ.get("CHIBO_IMPORT_MAX_SHEETS", "50"))
CHIBO_IMPORT_MAX_ROWS = int(os.environ.get("CHIBO_IMPORT_MAX_ROWS", "200000"))
# A larger upload is previewed and imported by the worker, the page showing its progress.
CHIBO_IMPORT_BACKGROUND_BYTES = int(os.environ.get("CHIBO_IMPORT_BACKGROUND_BYTES", "100000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHIBO_LOG_LEVEL", "WARNING")},
}
