"""banshi configuration: defaults for the embedded set-up, overridden from the environment.

``BANSHI_ENV=production`` switches to the hardened settings and refuses to start without
``SECRET_KEY`` (at least 32 characters) and ``DATABASE_URL``; unset, it is ``development``, and
any other value is refused at start (app.startup).
"""
import os
from datetime import timedelta
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("BANSHI_INSTANCE", BASE_DIR / "instance"))

ENV = os.environ.get("BANSHI_ENV", "development")
PRODUCTION = False  # production_settings() below switches it on

DEVELOPMENT_SECRET_KEY = "banshi-development-only-not-secret"  # public: production refuses it
SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'banshi.db'}"
)
SQLALCHEMY_TRACK_MODIFICATIONS = False

APP_NAME = "banshi 办事"
APP_THEME = ""
FAB_SECURITY_MANAGER_CLASS = "app.security.BanshiSecurityManager"
FAB_CREATE_DB = False  # migrations own the schema (STYLE.md 12)
FAB_UPDATE_PERMS = False  # permissions are synced by `flask security sync`, not at boot
FAB_API_SWAGGER_UI = True
FAB_ADD_OPENAPI_VIEWS = False  # banshi registers its own, public OpenApi (app.api.openapi)
FAB_ADD_SECURITY_API = False
FAB_INDEX_VIEW = "app.views.index.BanshiIndexView"
AUTH_TYPE = AUTH_DB
AUTH_USER_REGISTRATION = False  # citizens register through banshi's own flow (SMS code)
AUTH_ROLE_ADMIN = "Admin"
AUTH_ROLE_PUBLIC = "Public"
FAB_PASSWORD_COMPLEXITY_ENABLED = True
AUTH_RATE_LIMITED = True
# Signing in (app.views.auth): per client IP — the clerks of one office share an address — and
# per account, which is what stops guessing a password.
AUTH_RATE_LIMIT = "30 per minute"
LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute;20 per hour"  # one account from one client address
LOGIN_ACCOUNT_TOTAL_RATE_LIMIT = "100 per hour"  # one account from all addresses together
LOGIN_PAGE_RATE_LIMIT = "120 per minute"  # views of the login form (each stores a captcha)
# The counter's identity look-ups and starts (窗口代录), per clerk: a busy window, not a walk
# through the registry (app.views.review.window_support).
WINDOW_LOOKUP_RATE_LIMIT = "30 per 10 minutes;200 per day"
# An agent (代办) filing for others, per account (app.agent_limit, app.agent_subjects): answers
# the subject's registry record refused (each a yes or no about a stranger's record; past it,
# none is judged until the window passes), and the distinct people drafts are started for.
AGENT_REFUSAL_RATE_LIMIT = os.environ.get("AGENT_REFUSAL_RATE_LIMIT", "10 per hour;20 per day")
AGENT_SUBJECT_RATE_LIMIT = os.environ.get("AGENT_SUBJECT_RATE_LIMIT", "5 per day")
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
RATELIMIT_HEADERS_ENABLED = True

# Locales: zh is the default; the folder is named ``zh`` (see FAB_NOTES.md).
BABEL_DEFAULT_LOCALE = "zh"
BABEL_DEFAULT_FOLDER = str(BASE_DIR / "translations")
BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
# Language of commands and workers (no request to choose it): zh by default, e.g. BANSHI_LOCALE=en.
CLI_LOCALE = os.environ.get("BANSHI_LOCALE")
LANGUAGES = {
    "zh": {"flag": "cn", "name": "中文"},
    "en": {"flag": "gb", "name": "English"},
}

# Sessions and cookies (SECURITY_TESTS.md A5).
PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", 30)))
SESSION_REFRESH_EACH_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SECURE = False
REMEMBER_COOKIE_DURATION = timedelta(days=1)
WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = 8 * 3600  # citizens fill slowly; the token still ends with the session
JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=30)
PREFERRED_URL_SCHEME = "http"
# Hosts we answer for; Host headers outside the list get 400 (A1). Comma-separated.
TRUSTED_HOSTS = [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h] or None

# Number of reverse proxies in front of banshi whose X-Forwarded-For is trusted (0: none).
PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
# banshi's public address behind a reverse proxy (https://banshi.example.gov.cn/), the OpenAPI
# document's `servers` entry (app.api.openapi); unset, the address each request came to.
if os.environ.get("OPENAPI_SERVER_URL"):
    FAB_OPENAPI_SERVERS = [{"url": os.environ["OPENAPI_SERVER_URL"]}]

MAX_CONTENT_LENGTH = 25 * 1024 * 1024
# Multipart bodies: at most this many parts, and this many bytes in one non-file field (C3).
MAX_FORM_PARTS = 200  # FAB's role form posts one part per permission
MAX_FORM_MEMORY_SIZE = 500_000
# The largest file each import command reads, in bytes (README "Command line"): a larger one is
# refused before it is read. The person registry is read a line at a time; each of the others
# whole. IMPORT_MAX_BYTES_PERSONS (…_CALENDAR, …_DICTIONARIES, …_REGIONS, …_FORMDEFS) sets one.
IMPORT_MAX_BYTES = {
    kind: int(os.environ.get(f"IMPORT_MAX_BYTES_{kind.upper()}", default)) for kind, default in (
        ("persons", 128 << 20), ("regions", 16 << 20), ("dictionaries", 16 << 20),
        ("formdefs", 4 << 20), ("calendar", 1 << 20))}
# Problems an import lists before "… and N more problems" (it still checks the whole file).
IMPORT_MAX_PROBLEMS = int(os.environ.get("IMPORT_MAX_PROBLEMS", 100))
UPLOAD_FOLDER = str(INSTANCE_DIR / "files")
# Where material files go (outside any web root); an S3-compatible backend can be named here.
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "app.storage.local.LocalDiskStorage")

# How large a definition may be (app.engine.limits): pages, fields in an item and on a page
# (a repeat's columns count), options of a field, materials, steps; checked on use.
FORMDEF_MAX_PAGES = os.environ.get("FORMDEF_MAX_PAGES", 30)
FORMDEF_MAX_FIELDS = os.environ.get("FORMDEF_MAX_FIELDS", 300)
FORMDEF_MAX_FIELDS_PER_PAGE = os.environ.get("FORMDEF_MAX_FIELDS_PER_PAGE", 100)
FORMDEF_MAX_OPTIONS = os.environ.get("FORMDEF_MAX_OPTIONS", 200)
FORMDEF_MAX_MATERIALS = os.environ.get("FORMDEF_MAX_MATERIALS", 30)
FORMDEF_MAX_STEPS = os.environ.get("FORMDEF_MAX_STEPS", 20)
# The rows a repeating group may keep when its definition gives no max_items (checked with the
# answers on save and submit; lint's cost estimate of list conditions counts twice as many).
FORMDEF_DEFAULT_MAX_ITEMS = os.environ.get("FORMDEF_DEFAULT_MAX_ITEMS", 100)

# Retention (`flask applications purge`, SECURITY_TESTS.md F2). Closed applications are
# anonymised this many years after closing unless their item states `retention_years`: 10 is
# the shortest fixed period of 社会保险业务档案管理规定 (e.g. maternity benefit approvals), a
# setting for each deployment to confirm with its archives office (see the README). Drafts
# never submitted are deleted after this many days untouched.
APPLICATION_RETENTION_YEARS = os.environ.get("APPLICATION_RETENTION_YEARS", 10)  # checked on use
DRAFT_RETENTION_DAYS = os.environ.get("DRAFT_RETENTION_DAYS", 180)
# Citizen accounts with no sign-in (or, never signed in, created) for this many years and no
# application left that is not anonymised are anonymised by the same purge (PIPL art. 47).
ACCOUNT_RETENTION_YEARS = os.environ.get("ACCOUNT_RETENTION_YEARS", 5)
# A submit's Idempotency-Key record (its first answer, replayed to a retry) is deleted by the
# purge this many days after the submit (1 to 365); expired SMS codes a day after they expire.
IDEMPOTENCY_KEY_DAYS = os.environ.get("IDEMPOTENCY_KEY_DAYS", 30)

# Outside services: development backends are visibly development backends.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "app.services.sms.DevelopmentSmsGateway")
IDENTITY_BACKEND = os.environ.get(
    "IDENTITY_BACKEND", "app.services.identity.DevelopmentIdentityVerifier"
)
SMS_CODE_TTL_SECONDS = 300
# Where insured persons and their enrollments come from: the embedded tables by default, or a
# province's own platform (a dotted path to an app.registry.PersonRegistry subclass).
PERSON_REGISTRY_BACKEND = os.environ.get(
    "PERSON_REGISTRY_BACKEND", "app.registry.local.LocalPersonRegistry"
)
# The notification outbox's sender (an app.commands.notifications.NotificationSender subclass):
# the development sender stores texts for /dev/sms; SmsNotificationSender uses SMS_BACKEND.
NOTIFICATION_SENDER = os.environ.get(
    "NOTIFICATION_SENDER", "app.commands.notifications.DevelopmentNotificationSender"
)
NOTIFICATION_MAX_ATTEMPTS = 5  # tries before a notification is given up (last_error kept)
# The number the SMS to the person an agent filed for gives to call if they did not authorise it.
SUBJECT_NOTICE_PHONE = os.environ.get("SUBJECT_NOTICE_PHONE", "12393")
DEV_PAGES = True  # /dev/sms shows the codes the development gateway "sent"
FAB_ADD_MENU_API = False  # FAB's menu API accepts the session cookie; banshi does not use it


def production_settings(environ=os.environ) -> dict:
    """Return the hardened settings that replace the defaults above in production.

    Applied here when ``BANSHI_ENV=production`` and by ``create_app(PRODUCTION=True)``; there
    is no development fallback for the secret key or the database.
    """
    return {
        "PRODUCTION": True,
        "SECRET_KEY": environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": environ.get("DATABASE_URL"),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0"),
        "SESSION_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_SECURE": True,
        "PREFERRED_URL_SCHEME": "https",
        "DEV_PAGES": False,
    }


# The one secret the development identity verifier accepts (shown on its page when DEV_PAGES).
DEV_IDENTITY_SECRET = os.environ.get("DEV_IDENTITY_SECRET", "123456")
# Production refuses to start with a development backend (SMS, identity, notifications) unless
# this is set (staging); it then logs a WARNING at start.
ALLOW_DEVELOPMENT_BACKENDS = os.environ.get("ALLOW_DEVELOPMENT_BACKENDS", "").lower() in (
    "1", "true", "yes")


# Keep last: the hardened settings win over every default above.
if ENV == "production":
    globals().update(production_settings())
