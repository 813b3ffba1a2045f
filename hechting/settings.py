"""Settings for Hechting, read from the environment.

Every deploy-time value comes from an environment variable with a default that works on a
developer's machine (SQLite under ``data/``, DEBUG off unless asked). Bad values stop the app at
start with a message that names the variable. The README's configuration table lists them all.
"""

import datetime
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from hechting.lib.env import TRUE, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# HTTPS is on wherever DEBUG is off: secure cookies, HSTS and the redirect to https.
HTTPS = env_bool("HTTPS", not DEBUG)

# Used only when SECRET_KEY is unset: fine for a laptop, refused by `check --deploy` (W009)
# and by the container entrypoint.
INSECURE_DEV_SECRET_KEY = "django-insecure-hechting-local-development-key-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY") or INSECURE_DEV_SECRET_KEY
# Keys for the journal's words at rest, "k2:<base64>,k1:<base64>" (first encrypts): see
# reflect/encryption.py. Required in production (check --deploy); derived locally otherwise.
JOURNAL_KEYS = env_str("JOURNAL_KEYS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries need a scheme, like https://{_origin}."
        )

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data"))).resolve()

# The release, from pyproject.toml: shown in the account page's footer and in /healthz.
with open(BASE_DIR / "pyproject.toml", "rb") as _pyproject:
    VERSION = tomllib.load(_pyproject)["project"]["version"]

if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Who is the visitor behind the proxy? Rate limits count per client address, so behind a proxy
# they need the address the proxy saw. Nothing forwarded is believed unless set here (see
# docs/self-hosting.md): TRUSTED_PROXY_COUNT proxies append to X-Forwarded-For, or one proxy
# sets TRUSTED_CLIENT_IP_HEADER (X-Real-IP, CF-Connecting-IP). hechting/accounts/clients.py.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER") or None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "hechting.accounts",  # before allauth: its templates and words override allauth's
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "hechting",
    "hechting.learn",
    "reflect",
    "reflect.sharing",
    "reflect.coparents",  # two parents, one child: moments shared one by one
    "reflect.yourdata",  # export, import, deleting the account
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hechting.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hechting.middleware.LoginRequiredMiddleware",  # Django's, plus 401 for signed-out htmx
    "django.contrib.messages.middleware.MessageMiddleware",
    "hechting.accounts.middleware.IdleTimeoutMiddleware",  # signs out after 30 idle minutes
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hechting.middleware.PrivatePagesNoStoreMiddleware",
]

ROOT_URLCONF = "hechting.urls"
WSGI_APPLICATION = "hechting.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hechting.context_processors.nav_section",
                "hechting.context_processors.discreet",
            ],
        },
    },
]

# One renderer for every form: Django's, with its most used widgets written in Python.
FORM_RENDERER = "hechting.form_renderer.FastWidgets"

# --- Database and cache -------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'hechting.sqlite3'}"
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(
        f"DATABASE_URL is not a database address we understand: {exc}"
    ) from None
IMPORT_BATCH_PAUSE = 0.0  # seconds between an import's write batches (SQLite: below)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work side by side; IMMEDIATE takes the write lock at the
    # start of a transaction so read-then-write transactions do not fail under concurrency.
    _database["CONN_MAX_AGE"] = 0
    _database["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 10,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # SQLite lets a waiting writer retry only every few to 100 ms; an import's batches back to
    # back would keep finding the lock taken. The import rests this long between its batches
    # (reflect/yourdata/portability.py), so another parent's save gets its turn.
    IMPORT_BATCH_PAUSE = 0.1
elif _database["ENGINE"] == "django.db.backends.postgresql":
    _database["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every worker (and every container); login rate limits are counted here. Pages
# are rendered for each request: no private page is ever kept in a cache after it is sent.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hechting_cache",
        # Keys are stored as a keyed hash: rate-limit keys name client addresses and emails.
        "KEY_FUNCTION": "hechting.accounts.clients.cache_key",
    },
}

# --- Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "reflect:journal"
LOGOUT_REDIRECT_URL = "home"

# Argon2id first; parameters are explained in hechting/hashers.py.
PASSWORD_HASHERS = [
    "hechting.hashers.HechtingArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "hechting.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# allauth's forms with our labels (and the reset that goes to confirmed addresses only).
ACCOUNT_FORMS = {
    name: f"hechting.accounts.forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}
# Mandatory: a new address works only after its link is clicked. With it, signing up with an
# address that has an account answers exactly as for a new one (the owner gets a mail instead:
# allauth's enumeration prevention), and a password reset only goes to confirmed addresses.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_SESSION_REMEMBER = None
# Changes that could hand the account to someone else (addresses, password, two-step login,
# sharing, taking the journal out or putting it in) need the password, an authenticator code or a
# passkey from the last five minutes. Not a code by mail: whoever holds an unlocked phone often
# holds its mail too.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# A mail to the account when its password, an address or two-step login changes (to the old
# address too when the main address changes).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed logins count per address *and client* (hechting/accounts/adapters.py): five wrong
# passwords in five minutes stop that client for that address, at most five minutes after its
# last miss; another client, such as the parent's own phone, is not stopped at all.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hechting] "

# Two-factor authentication (optional): an authenticator app with recovery codes, and passkeys
# as a second factor. Signing in with a passkey alone stays off, so the login page works
# the same with and without JavaScript. One step of clock drift is allowed either way.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Hechting"
MFA_TOTP_TOLERANCE = 1
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
# Sessions: signed out after IDLE_TIMEOUT seconds without a request (a notice comes
# IDLE_WARNING seconds before), and after SESSION_COOKIE_AGE at the latest, active or not.
IDLE_TIMEOUT = env_int("IDLE_TIMEOUT", 30 * 60, minimum=120)
IDLE_WARNING = env_int("IDLE_WARNING", 3 * 60, minimum=30)
# Words typed and not saved yet are kept sealed on the server this long (reflect/drafts.py).
DRAFT_LIFE = datetime.timedelta(days=env_int("DRAFT_LIFE_DAYS", 7, minimum=1))
# No "last seen" column: it would write a row on every request.
USERSESSIONS_TRACK_ACTIVITY = False
USERSESSIONS_ADAPTER = "hechting.accounts.adapters.UserSessionsAdapter"
# "Leave quickly" opens this neutral site in place of the page (one address, or per language).
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL")
QUICK_EXIT_URLS = {"nl": "https://www.buienradar.nl/", "en": "https://www.bbc.com/weather"}

# --- Email --------------------------------------------------------------------------------------


_MAIL_BACKENDS = {
    "console": "hechting.lib.console_mail.EmailBackend",  # Django's, with readable text
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def _mailer_from_url(url: str) -> dict:
    """smtp://user:password@host:587?tls=1, smtps://... (SSL) or console:// / dummy://."""
    parts = urlsplit(url)
    if parts.scheme not in _MAIL_BACKENDS:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, smtps://, console:// or dummy://."
        )
    if parts.scheme in {"console", "dummy"}:
        return {"BACKEND": _MAIL_BACKENDS[parts.scheme]}
    query = {key: values[-1].lower() in TRUE for key, values in parse_qs(parts.query).items()}
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    return {
        "BACKEND": _MAIL_BACKENDS[parts.scheme],
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": port or (465 if parts.scheme == "smtps" else 587),
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": parts.scheme == "smtp" and query.get("tls", False),
            "timeout": 20,
        },
    }


if env_str("EMAIL_URL"):
    _mailer = _mailer_from_url(env_str("EMAIL_URL"))
elif env_str("EMAIL_HOST"):
    _mailer = {
        "BACKEND": _MAIL_BACKENDS["smtp"],
        "OPTIONS": {
            "host": env_str("EMAIL_HOST"),
            "port": env_int("EMAIL_PORT", 587, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": 20,
        },
    }
else:
    # Without mail settings, messages are printed to the log (fine for trying things out).
    _mailer = {"BACKEND": _MAIL_BACKENDS["console"]}
MAILERS = {"default": _mailer}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hechting <hechting@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time -------------------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "hechting_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# --- Security -----------------------------------------------------------------------------------

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), "
    "interest-cohort=()"
)

# Messages ("Je bent ingelogd als ...", a child's name) stay in the server-side session, not in
# a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14, minimum=300)

if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix pins a cookie to this exact host over https, with path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Operations ---------------------------------------------------------------------------------

# The container's start (docker/prestart.py): how long to wait for the database, and whether to
# back it up before applying migrations.
DB_WAIT_TIMEOUT = env_int("DB_WAIT_TIMEOUT", 60)
BACKUP_BEFORE_MIGRATE = env_bool("BACKUP_BEFORE_MIGRATE", True)
# `manage.py backup`: how many backups of each kind to keep (in each folder), and a second
# folder off the box (another disk, a mounted network share) that receives a checked copy.
BACKUP_KEEP = env_int("BACKUP_KEEP", 10, minimum=1)
BACKUP_COPY_DIR = Path(env_str("BACKUP_COPY_DIR")).resolve() if env_str("BACKUP_COPY_DIR") else None
# `manage.py housekeeping` (hourly, and at each start): every step removes what has ended.
HOUSEKEEPING = [
    "hechting.housekeeping.ended_sessions",
    "hechting.housekeeping.sessions_list_rows_without_a_session",
    "hechting.housekeeping.expired_cache_rows",
    "reflect.sharing.housekeeping.ended_share_links",
    "reflect.sharing.housekeeping.ended_invitations",
    "reflect.coparents.housekeeping.ended_coparent_invitations",
    "reflect.drafts.purge_expired_drafts",
]
# /.well-known/security.txt (RFC 9116): where to report a security problem, an email address or
# an https:// page. Unset: the file answers 404, because a security.txt without a contact is void.
SECURITY_CONTACT = env_str("SECURITY_CONTACT").strip()
if SECURITY_CONTACT and "@" in SECURITY_CONTACT and ":" not in SECURITY_CONTACT:
    SECURITY_CONTACT = f"mailto:{SECURITY_CONTACT}"
if SECURITY_CONTACT and (
    not SECURITY_CONTACT.startswith(("mailto:", "https://")) or len(SECURITY_CONTACT.split()) > 1
):
    raise ImproperlyConfigured(
        "SECURITY_CONTACT must be an email address or an https:// address, "
        f"not {SECURITY_CONTACT!r}."
    )

# --- Logging ------------------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No IP address, token or search words in any line (hechting/lib/log_redaction.py).
    "filters": {"redact": {"()": "hechting.lib.log_redaction.RedactPersonalData"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Request lines can carry tokens in their address; never log them.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
