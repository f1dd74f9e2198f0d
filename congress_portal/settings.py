"""Settings for the congress portal.

Every value comes from the environment through ``environ.Env`` (one helper, one
place). The defaults are those of the embedded demo run: SQLite under ``var/``,
Celery tasks executed in-process, mail printed to the console. Production mode
(``PORTAL_ENV=production``) refuses to start without a real secret key or with
``DEBUG`` on.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from congress_portal import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PORTAL_ENV = env.str("PORTAL_ENV", default="development")
if PORTAL_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("PORTAL_ENV must be 'development' or 'production'.")
PRODUCTION = PORTAL_ENV == "production"

# DEBUG is on by default only in the embedded development run.
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str("SECRET_KEY", default="")

if PRODUCTION:
    if weak := secret_key.weakness(SECRET_KEY):
        raise ImproperlyConfigured(
            f"Production mode needs SECRET_KEY: at least 50 random characters ({weak}). "
            "Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if DEBUG:
        raise ImproperlyConfigured("Production mode refuses to start with DEBUG on.")
elif not SECRET_KEY:
    # The embedded demo only: production mode never reaches this line (see above).
    SECRET_KEY = "django-insecure-embedded-demo-key-never-use-in-production"  # nosec B105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# A refused form gets a page that says how to go on, not the technical reason.
CSRF_FAILURE_VIEW = "congress_portal.error_pages.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    # The portal's own apps, each named for what it holds.
    "organisation",
    "dashboard",
    "handovers",
    "tasks",
    "deputies",
    "liaison_stations",
    "suggestions",
    "ballots",
    "livelihood",
    "oversight",
    "notifications",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Restarts a signed-in session's idle clock, writing it at most once a minute.
    "congress_portal.idle_sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless marked @login_not_required (the public
    # station pages, the health check, the login page): a forgotten decorator fails closed.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Bodies over their limit are refused before anything reads them (see the module).
    "congress_portal.body_limits.BodyLimitMiddleware",
    # Signed-in pages carry "Cache-Control: private, no-store" (personal data).
    "congress_portal.private_pages.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress_portal.urls"
WSGI_APPLICATION = "congress_portal.wsgi.application"

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
                "django.template.context_processors.i18n",
                "organisation.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the in-process task runner and the web server read while one writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Through pgbouncer in transaction pooling (README, "Scale-out"): one transaction may
    # run on another server connection than the next, so no server-side cursors and no
    # prepared statements (psycopg prepares a query after it ran a few times).
    if env.bool("DATABASE_TRANSACTION_POOLING", default=False):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while the account or the address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "organisation.backends.ScopedUserBackend",
]
# Sign-in lockout (django-axes), for the portal's login page and /admin/ alike: after
# AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME, the account is locked
# (whatever the address) and so is the address (whatever the account), until the
# cool-off has passed. Failures are logged (logger "axes") and listed in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "congress_portal.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "organisation.lockout.locked_out"
AXES_VERBOSE = False  # no banner at every start; failures are still logged and stored
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Chinese first, English available.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Widgets render through the project's templates, so templates/django/forms/ can say
# 请选择… in every select's empty choice.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# scripts/build.sh collects here (hashed names and staticfiles.json in production).
# An empty value (as in .env.example) means the default, never the current folder.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default="") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served directly: every file goes through a view that checks access
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or VAR_DIR / "media")
# Uploaded files (evidence, photos, generated PDFs) live where every web and worker replica
# finds them: a folder, MEDIA_ROOT (in compose the "media" volume all of them mount), or with
# MEDIA_STORAGE=s3 a bucket of S3-compatible object storage (MinIO, Ceph, a cloud's),
# through django-storages. Either way they are never served directly: a view checks who asks.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
MEDIA_BACKEND: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            # Empty: Amazon's own endpoint; otherwise e.g. http://minio:9000
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Empty: boto3 finds the credentials itself (instance role, ~/.aws).
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),  # a folder inside the bucket
            # "path" for MinIO and most self-hosted stores; empty: boto3's choice
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # As on a disk: a second file of one name gets a new name, never replaces it.
            "file_overwrite": False,
            # Private objects; the portal's views read them and answer who may see them.
            "default_acl": None,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# Celery. Without REDIS_URL the embedded run executes every task in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for the next one
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Mail: printed to the console in the embedded run, SMTP from EMAIL_URL otherwise.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="人大工作平台 <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Channels besides the in-app centre (notifications/channels.py): dotted paths of Channel
# classes, comma-separated. An SMS gateway is one more class here; the sweeps never change.
# Empty: in-app notifications only.
NOTIFICATION_CHANNELS = [
    path
    for path in env.list("NOTIFICATION_CHANNELS", default=["notifications.channels.EmailChannel"])
    if path
]

# Public address of the portal, used in QR codes, e-mails and PDFs.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# How many reverse proxies in front of the portal append to X-Forwarded-For. 0: the portal
# faces clients directly and the header, which any client can write, is ignored.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

# Content-Security-Policy (django-csp): scripts, styles, images and fonts come only from
# the portal itself (htmx is served from static files); no inline script runs. Inline
# style *attributes* are allowed for the progress bars' widths (style-src-attr), never a
# <style> element. Forms post only to the portal; no page may be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Request bodies (congress_portal/body_limits.py; the proxy in deploy/nginx refuses the
# same sizes): a visitor who is not signed in sends small forms, a signed-in person
# uploads evidence and spreadsheets.
BODY_LIMIT_ANONYMOUS = env.int("BODY_LIMIT_ANONYMOUS", default=32 * 1024)
BODY_LIMIT_SIGNED_IN = env.int("BODY_LIMIT_SIGNED_IN", default=30 * 2**20)

# The public opinion form's limits (liaison_stations/limits.py): per device (a cookie)
# and hour, per address and station and hour (a village's Wi-Fi is one address), and
# per station and day.
PUBLIC_OPINIONS_PER_DEVICE = env.int("PUBLIC_OPINIONS_PER_DEVICE", default=10)
PUBLIC_OPINIONS_PER_ADDRESS = env.int("PUBLIC_OPINIONS_PER_ADDRESS", default=60)
PUBLIC_OPINIONS_PER_STATION_DAY = env.int("PUBLIC_OPINIONS_PER_STATION_DAY", default=300)

# Wrong voting codes at /vote/ (ballots/limits.py), per hour: per device (a cookie) and
# per address (a congress hall's Wi-Fi is one address). A code has 50 bits: guessing is
# hopeless at any such rate; the limit stops a script from trying.
BALLOT_CODE_FAILURES_PER_DEVICE = env.int("BALLOT_CODE_FAILURES_PER_DEVICE", default=10)
BALLOT_CODE_FAILURES_PER_ADDRESS = env.int("BALLOT_CODE_FAILURES_PER_ADDRESS", default=60)

# Spreadsheet imports (congress_portal/spreadsheets.py): at most this many rows below the
# header; a longer file is refused at its first row beyond.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# An import of more rows than this runs as a Celery job with its progress on a page
# (congress_portal/import_jobs.py) instead of inside the request.
IMPORT_IN_BACKGROUND_ROWS = env.int("IMPORT_IN_BACKGROUND_ROWS", default=500)

# Handovers 交办 (handovers/): an item still with its unit turns yellow this many days
# before its deadline and red after it; a person who has not rated an answer this many
# days after it came is reminded once, after which the office may close it unrated.
HANDOVER_YELLOW_DAYS = env.int("HANDOVER_YELLOW_DAYS", default=7)
HANDOVER_RATING_WAIT_DAYS = env.int("HANDOVER_RATING_WAIT_DAYS", default=30)

# Security: production mode passes ``manage.py check --deploy``.
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Signed-in sessions end after this many seconds without a request: the session is written
# again when its last write is older than SESSION_REFRESH_AFTER seconds
# (congress_portal/idle_sessions.py), so the age counts from the last request, to a minute.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_REFRESH_AFTER = env.int("SESSION_REFRESH_AFTER", default=60)
# No SECURE_PROXY_SSL_HEADER: Django would then believe X-Forwarded-Proto from whoever sends
# it. gunicorn (deploy/gunicorn.conf.py) reads that header only from the proxy's address
# (forwarded_allow_ips) and sets the request's scheme, which is what request.is_secure() sees.
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The health check is asked over plain HTTP from inside the container; the rest is https.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_SILENCED_SYSTEM_CHECKS = env.list("SECURE_SILENCED_SYSTEM_CHECKS", default=[])

# Logs go to the console (the container's output) and, when LOG_DIR is set, to one file per
# day there, <LOG_NAME>-YYYY-MM-DD.log (congress_portal/logfiles.py); the nightly job keeps
# LOG_RETENTION_DAYS of them (scripts/prune-logs.sh).
LOG_DIR = env.str("LOG_DIR", default="")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(process)d %(name)s %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        **(
            {
                "file": {
                    "()": "congress_portal.logfiles.DatedFileHandler",
                    "directory": LOG_DIR,
                    "name": env.str("LOG_NAME", default="portal"),
                    "formatter": "plain",
                }
            }
            if LOG_DIR
            else {}
        ),
    },
    "root": {
        "handlers": ["console", "file"] if LOG_DIR else ["console"],
        "level": env.str("LOG_LEVEL", default="INFO"),
    },
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Celery's worker and beat log through the handlers above instead of replacing them.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
