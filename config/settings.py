"""Tijdig settings: one module, every value read from the environment.

With nothing configured the portal runs on the *embedded default*: SQLite in ``var/`` and Celery
tasks executed in-process. Set ``DATABASE_URL`` and ``CELERY_BROKER_URL`` (or ``REDIS_URL``) to run
on PostgreSQL, Redis and a real worker. ``.env.example`` documents every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The local demo (`make demo`, docs/adr/0067): production's error pages and logs (DEBUG stays off, so a
# 500 never shows a debug page with households' names), but on this machine only: plain http, a throwaway
# secret key, static files served from the source folders, demo users, two-factor login optional.
# A developer's DEBUG=1 implies it. Never in production: `check --deploy` refuses it.
TIJDIG_DEMO = env_bool("TIJDIG_DEMO", default=DEBUG)
SECRET_KEY = env("SECRET_KEY") or ("insecure-local-development-key" if TIJDIG_DEMO else None)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set outside the local demo (see .env.example).")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if TIJDIG_DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # Lower apps never import higher ones (docs/architecture.md; import-linter checks it in `make lint`).
    "partners",
    "security",
    "households",
    "ledger",
    "arrears",
    "reporting",
    "outreach",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "security.middleware.RequestIdMiddleware",  # first: every log line and response carries the id
    "partners.readscope.AuditReadsMiddleware",  # reads of personal data on record, also on error pages
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "security.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "security.middleware.BadInputMiddleware",  # a NUL in any parameter: 400, before any view reads it
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "security.middleware.ServiceUnavailableMiddleware",  # last: its process_exception runs first
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partners.context_processors.memberships",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/tijdig. Unset: SQLite in var/.
VAR_DIR = Path(env("TIJDIG_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: a fresh clone has no var/ yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the page read while an import writes; NORMAL syncs at checkpoints, not every commit
    # (safe against corruption; a power cut may lose the last commits, fine for a local demo).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
# PostgreSQL's JIT compiler costs 30–200 ms per query and pays off only for analytic queries running
# for seconds; the pages' short queries would pay it on every request (docs/adr/0030). DATABASE_JIT=1 turns it on.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT", False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and object permissions ----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "security.backends.LockoutBackend",  # django-axes: refuses locked-out users before anything else
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user object, nobody anonymous sees anything
GUARDIAN_RAISE_403 = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)  # seconds of inactivity
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# WhiteNoise serves static files; the local demo serves them straight from the source folders (no
# collectstatic), as runserver would with DEBUG on.
WHITENOISE_USE_FINDERS = TIJDIG_DEMO
WHITENOISE_AUTOREFRESH = TIJDIG_DEMO

# --- Cache (Redis when REDIS_URL is set; the worker heartbeat and locks live here) -------------
REDIS_URL = env("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Celery -----------------------------------------------------------------------------------
# CELERY_BROKER_URL (or REDIS_URL) unset: tasks run in-process, synchronously (embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 30 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 35 * 60)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "tijdig")
# A task taken by a worker that then dies unacknowledged (acks_late) goes back to the queue after this
# many seconds; keep it above CELERY_TASK_TIME_LIMIT so a slow but healthy task is not handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_BEAT_SCHEDULE = {}
# Routing (arrears.tasks): escalation by working-day deadlines; respite expiry and reminders.
CELERY_BEAT_SCHEDULE["routing-escalate-overdue"] = {
    "task": "arrears.tasks.escalate_overdue",
    "schedule": crontab(hour=6, minute=15),
}
CELERY_BEAT_SCHEDULE["routing-respite-reminders"] = {
    "task": "arrears.tasks.respite_reminders",
    "schedule": crontab(hour=6, minute=30),
}
# The respite handshake (docs/adr/0082): respites the corporation did not confirm in time, to its managers.
CELERY_BEAT_SCHEDULE["respite-acknowledgements"] = {
    "task": "arrears.tasks.respite_acknowledgements_due",
    "schedule": crontab(hour=6, minute=35),
}
# The eviction track (issue 15, arrears.services.eviction_alerts): crisis alerts to the queues' managers.
CELERY_BEAT_SCHEDULE["eviction-alerts"] = {
    "task": "arrears.tasks.eviction_alerts_due",
    "schedule": crontab(hour=6, minute=45),
}
# Arrears ended (docs/adr/0093): close the cases whose arrears were paid off long enough ago, when
# TIJDIG_AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS is set (after the nightly imports and before escalation).
CELERY_BEAT_SCHEDULE["arrears-ended-auto-close"] = {
    "task": "arrears.tasks.arrears_ended_auto_close",
    "schedule": crontab(hour=6, minute=5),
}
# Retention (docs/domain.md §10, privacy/retention.py): anonymise personal data whose period has passed.
CELERY_BEAT_SCHEDULE["purge-personal-data"] = {
    "task": "privacy.tasks.purge_personal_data",
    "schedule": crontab(hour=2, minute=30),
}
# Outreach (docs/adr/0095): the letters of the cases the purge anonymised go right after it.
CELERY_BEAT_SCHEDULE["purge-letters"] = {
    "task": "outreach.tasks.letters_purge",
    "schedule": crontab(hour=2, minute=50),
}
# Dashboards: store last week's figures every night, after the nightly imports (reporting.tasks).
CELERY_BEAT_SCHEDULE["dashboards-weekly-snapshot"] = {
    "task": "reporting.tasks.snapshot_weekly_figures",
    "schedule": crontab(hour=env_int("TIJDIG_SNAPSHOT_HOUR", 5), minute=30),
}

# --- Domain settings (docs/domain.md) --------------------------------------------------------
TIJDIG = {
    # Default flagging trigger (docs/domain.md §3), overridable per corporation.
    "FLAG_MIN_DAYS_OVERDUE": env_int("TIJDIG_FLAG_MIN_DAYS_OVERDUE", 30),
    "FLAG_MIN_AMOUNT": env("TIJDIG_FLAG_MIN_AMOUNT", "75.00"),
    # Retention of personal data (docs/domain.md §10), in months.
    "RETENTION_NOT_TAKEN_UP_MONTHS": env_int("TIJDIG_RETENTION_NOT_TAKEN_UP_MONTHS", 6),
    "RETENTION_TAKEN_UP_MONTHS": env_int("TIJDIG_RETENTION_TAKEN_UP_MONTHS", 12),
    "RETENTION_CLOSED_MONTHS": env_int("TIJDIG_RETENTION_CLOSED_MONTHS", 18),
    # Data minimisation (docs/adr/0072): ledger lines older than this many months are summarised into one
    # "balance brought forward" line per tenancy (13: a rolling twelve-month ERP export plus a month for
    # late corrections; unpaid charges older than that stay, the episode rules need them).
    "LEDGER_WINDOW_MONTHS": env_int("TIJDIG_LEDGER_WINDOW_MONTHS", 13),
    # Stored ledger files (uploads, API, drop folder) and their error values: deleted this many days after
    # an applied import, and after a rejected or failed one (so the corporation can see what was wrong).
    "IMPORT_FILE_APPLIED_DAYS": env_int("TIJDIG_IMPORT_FILE_APPLIED_DAYS", 7),
    "IMPORT_FILE_REJECTED_DAYS": env_int("TIJDIG_IMPORT_FILE_REJECTED_DAYS", 30),
    # The audit trail (ids only), in months: the longest case period (18 after closing) plus six months
    # to answer a complaint or a supervisor's question about who saw the data.
    "AUDIT_RETENTION_MONTHS": env_int("TIJDIG_AUDIT_RETENTION_MONTHS", 24),
    "RESPITE_DEFAULT_DAYS": env_int("TIJDIG_RESPITE_DEFAULT_DAYS", 30),
    # The longest respite, in days from the day it is granted or extended (docs/adr/0067): six months,
    # the longest breathing space Dutch debt help knows; an extension, with its note, can follow.
    "RESPITE_MAX_DAYS": env_int("TIJDIG_RESPITE_MAX_DAYS", 183),
    # Routing: remind this many working days before a respite ends; escalation deadlines (working days)
    # for cases whose municipality has no agreement (an agreement sets its own).
    "RESPITE_REMINDER_WORKING_DAYS": env_int("TIJDIG_RESPITE_REMINDER_WORKING_DAYS", 3),
    # The respite handshake (docs/adr/0082): a respite the corporation has not confirmed this many working
    # days after it was granted or extended is escalated to the corporation's managers.
    "RESPITE_ACKNOWLEDGE_WORKING_DAYS": env_int("TIJDIG_RESPITE_ACKNOWLEDGE_WORKING_DAYS", 2),
    "CONTACT_DEADLINE_WORKING_DAYS": env_int("TIJDIG_CONTACT_DEADLINE_WORKING_DAYS", 5),
    "TAKE_UP_DEADLINE_WORKING_DAYS": env_int("TIJDIG_TAKE_UP_DEADLINE_WORKING_DAYS", 10),
    # The eviction track (issue 15): alert the queue's managers when an announced eviction is this many
    # working days away or fewer and nobody has reached the household since it was announced.
    "EVICTION_ALERT_WORKING_DAYS": env_int("TIJDIG_EVICTION_ALERT_WORKING_DAYS", 10),
    # Arrears ended (docs/adr/0093): an open case in the corporation's queue whose arrears ended at least
    # this many days ago, with no new arrears episode, closes itself ("arrears paid"). Unset or empty: off.
    "AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS": env_int("TIJDIG_AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS", None),
    # DDAS monitor export: the code of the data supplier (codeGegevensleverancier).
    "DDAS_SUPPLIER_CODE": env("TIJDIG_DDAS_SUPPLIER_CODE", "TIJDIG"),
}
if TIJDIG["AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS"] is not None and TIJDIG["AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS"] < 0:
    raise RuntimeError("TIJDIG_AUTO_CLOSE_ARREARS_ENDED_AFTER_DAYS must be 0 or more days, or empty (off).")
if not 1 <= TIJDIG["RESPITE_DEFAULT_DAYS"] <= TIJDIG["RESPITE_MAX_DAYS"]:
    raise RuntimeError("TIJDIG_RESPITE_DEFAULT_DAYS must be from 1 to TIJDIG_RESPITE_MAX_DAYS (see .env.example).")
# --- Ledger imports (ledger.importing) ----------------------------------------------------------
# Drop folder: <TIJDIG_INBOX_DIR>/<partner slug>/; files are moved to processed/ or failed/ after import.
TIJDIG_INBOX_DIR = Path(env("TIJDIG_INBOX_DIR", VAR_DIR / "inbox"))
# A dropped file is picked up only when it has not changed for this many seconds (still uploading).
TIJDIG_INBOX_MIN_AGE_SECONDS = env_int("TIJDIG_INBOX_MIN_AGE_SECONDS", 60)
# When beat scans the drop folder: a crontab "minute hour day-of-month month day-of-week" (Europe/Amsterdam),
# or every N seconds when TIJDIG_INBOX_SCAN_SECONDS is set (tests, trials).
TIJDIG_INBOX_SCAN_CRON = env("TIJDIG_INBOX_SCAN_CRON", "30 2 * * *")
TIJDIG_INBOX_SCAN_SECONDS = env_int("TIJDIG_INBOX_SCAN_SECONDS", 0)
CELERY_BEAT_SCHEDULE["scan-ledger-inbox"] = {
    "task": "ledger.tasks.scan_inbox",
    "schedule": TIJDIG_INBOX_SCAN_SECONDS
    or crontab(
        **dict(
            zip(
                ["minute", "hour", "day_of_month", "month_of_year", "day_of_week"],
                TIJDIG_INBOX_SCAN_CRON.split(),
                strict=True,
            )
        )
    ),
}
# Catch-up (ADR 0064): every N seconds, queue imports whose task never reached the broker (Redis down
# during an upload) or was lost, and run the drop-folder scan if a scheduled one was missed (beat could
# not reach Redis when it came due, or the scan failed on the database).
TIJDIG_IMPORT_CATCH_UP_SECONDS = env_int("TIJDIG_IMPORT_CATCH_UP_SECONDS", 300)
CELERY_BEAT_SCHEDULE["catch-up-ledger-imports"] = {
    "task": "ledger.tasks.catch_up_imports",
    "schedule": TIJDIG_IMPORT_CATCH_UP_SECONDS,
}

# seed_demo refuses to run outside the local demo (TIJDIG_DEMO, above) unless forced.

# Uploaded and dropped ledger files (docs/adr/0068). The largest file accepted, in bytes: 256 MiB holds a
# year of transactions of 100,000 tenancies with their master data (a realistic export of that size
# measured 250 MiB; a nightly arrears list of 100,000 tenancies 9 MiB). An XLSX may unpack to no more
# than that either, hold at most TIJDIG_XLSX_MAX_CELLS cells (2,000,000: 150,000 rows of 13 columns;
# larger exports as CSV), and no part of it may unpack more than TIJDIG_XLSX_MAX_RATIO times its
# stored size (real workbooks: 5-20; a zip bomb: hundreds). Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE
# are streamed to a temporary file, and stored from it in chunks.
TIJDIG_UPLOAD_MAX_BYTES = env_int("TIJDIG_UPLOAD_MAX_BYTES", 256 * 1024 * 1024)
TIJDIG_XLSX_MAX_CELLS = env_int("TIJDIG_XLSX_MAX_CELLS", 2_000_000)
TIJDIG_XLSX_MAX_RATIO = env_int("TIJDIG_XLSX_MAX_RATIO", 100)
# A ledger import runs in the web request (or the scan) only in the embedded demo: no broker and
# TIJDIG_DEMO on. Anywhere else, with no broker, an import waits for a worker (it is never run by the
# web process that received it). Not a switch: it follows from the two settings above it.
TIJDIG_IMPORT_IN_PROCESS = CELERY_TASK_ALWAYS_EAGER and TIJDIG_DEMO

# --- E-mail (case notices: respite ending, escalation; no personal data in them) ----------------
# Unset EMAIL_HOST: notices are written to the console log instead of sent.
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Tijdig <noreply@localhost>")

# --- Logging (no personal data; see docs/adr/0063) -------------------------------------------
# LOG_FORMAT=json (default with DEBUG off) writes one JSON object per line with the request id;
# "plain" is for a developer's terminal. Query strings are never logged; values that look like
# personal data (e-mail, phone, postcode, IBAN, BSN, database key details) are redacted.
LOG_FORMAT = env("LOG_FORMAT", "plain" if TIJDIG_DEMO else "json")
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "security.logging.RequestIdFilter"},
        "redact": {"()": "security.logging.RedactFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "security.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT if LOG_FORMAT in {"plain", "json"} else "json",
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own default is INFO; LOG_LEVEL governs it too (django.request: a 4xx is a WARNING).
        "django": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        # Our access log (security.middleware) replaces the dev server's, which logs query strings.
        "django.server": {"level": "WARNING"},
        # django-axes reports every success and clean-up at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}
# The worker logs through the same handlers (JSON, redaction) instead of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Security (production defaults; the local demo relaxes cookie transport only) ---------------
# See docs/adr/0061 and README "Security". `manage.py check --deploy` is clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not TIJDIG_DEMO)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not TIJDIG_DEMO)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "tijdig_session"
# Redirect plain http to https (the TLS proxy must send X-Forwarded-Proto); /health/ stays reachable.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not TIJDIG_DEMO)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if TIJDIG_DEMO else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not TIJDIG_DEMO
SECURE_HSTS_PRELOAD = not TIJDIG_DEMO
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "security.errors.csrf_failure"  # the Dutch 403 page, no technical detail

# Content-Security-Policy (django-csp): our own origin only, no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features the portal never uses.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Two-factor authentication (django-otp, TOTP + recovery codes). Required for every user; only a
# the local demo (TIJDIG_DEMO=1, or a developer's DEBUG=1) may switch it off, as `make demo` does (docs/adr/0060).
TIJDIG_2FA_REQUIRED = env_bool("TIJDIG_2FA_REQUIRED", default=True)
if not TIJDIG_2FA_REQUIRED and not TIJDIG_DEMO:
    raise RuntimeError("TIJDIG_2FA_REQUIRED=0 is only allowed in the local demo (TIJDIG_DEMO=1 or DEBUG=1).")
TIJDIG_2FA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Tijdig")
# The admin never shows an authenticator's secret or QR code (a lost phone means: delete the device,
# the user enrols again); its config and QR pages answer 403, also for an id that does not exist.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
OTP_TOTP_THROTTLE_FACTOR = 1  # each failed code doubles the wait (1 s, 2 s, 4 s, ...)
OTP_STATIC_THROTTLE_FACTOR = 1

# Login lockout (django-axes, docs/adr/0061): after AXES_FAILURE_LIMIT wrong passwords for one user
# name *from one client address*, that name is locked for that address only; after as many from one
# address, whatever the names, that address is locked. Each lasts AXES_COOLOFF_MINUTES; a successful
# login resets the count. A user name alone never locks: anyone who can guess a colleague's name
# could otherwise lock them out from everywhere. Behind a reverse proxy set TIJDIG_TRUSTED_PROXIES
# (how many proxies append to X-Forwarded-For), or every client would share the proxy's address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
TIJDIG_TRUSTED_PROXIES = env_int("TIJDIG_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "security.backends.client_ip"
AXES_RESET_ON_SUCCESS = True  # the user's own failures from that address only (security.backends)
AXES_HANDLER = "security.backends.PairResetHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]

# --- REST API (/api/v1/, docs/adr/0050) ---------------------------------------------------------
# Systems authenticate with a per-user token scoped to one partner, browsers with their session.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "partners.api.permissions.PartnerRole",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only; the one file upload (ledger imports) takes multipart on its own view.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # An unknown or empty ?format= is a 400 naming the parameter (DRF would ignore an empty one).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "partners.api.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "partners.api.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["partners.api.filters.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["partners.api.throttling.TokenRateThrottle"],
    # Requests per token (a browser session: per user), e.g. 600/min, 20/second, 10000/day.
    "DEFAULT_THROTTLE_RATES": {"token": env("API_THROTTLE_RATE", "600/min")},
    "EXCEPTION_HANDLER": "partners.api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tijdig API",
    "DESCRIPTION": (
        "Households, tenancies, arrears episodes (the `signals` resource) and cases of rent arrears "
        "(vroegsignalering), ledger imports and dashboard figures, for housing corporations' and social "
        "services' own systems. A *signal* proper is a case routed to a social service. Authenticate with "
        "`Authorization: Bearer <token>`; you see exactly what your partner and role see in the portal. "
        "Errors are JSON `{detail, errors}`; lists are cursor-paginated (follow `next`)."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "arrears.workflow.CaseState",
        "CaseEventKindEnum": "arrears.models.cases.CaseEvent.Kind",
        "NoteKindEnum": "arrears.models.cases.Note.Kind",
        "EvictionStepKindEnum": "arrears.models.cases.EvictionStep.Kind",
        "ContactKindEnum": "arrears.vocabularies.ContactKind",
        "PartnerKindEnum": "partners.models.Partner.Kind",
        "RoleEnum": "partners.models.Role",
        "SignalStatusEnum": "arrears.models.cases.Signal.Status",
        "ReferralStatusEnum": "arrears.models.cases.Referral.Status",
        "ImportStatusEnum": "ledger.models.LedgerImport.Status",
        "ImportSourceEnum": "ledger.models.LedgerImport.Source",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "partners.api.schema.add_error_responses",
    ],
}
