"""Settings of the ESMS onboarding portal: one module, every value from the environment.

Demo and production differ by environment values only (README, "Configuration").
"""

from datetime import timedelta
from pathlib import Path

import csp.constants as csp
import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Read from DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE; esms_portal.core.checks refuses a weak one
# outside DEBUG, at start-up and in `check --deploy`.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY and env.str("DJANGO_SECRET_KEY_FILE", default=""):
    SECRET_KEY = Path(env.str("DJANGO_SECRET_KEY_FILE")).read_text().strip()
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-demo-key-only-for-debug"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# What the footer's legal pages cannot know (esms_portal/site_pages.py): whom people write to (the
# portal's team; the ANS's data protection officer for their personal data) and who hosts the portal.
PORTAL_CONTACT = env.str("PORTAL_CONTACT", default="")
PORTAL_PRIVACY_CONTACT = env.str("PORTAL_PRIVACY_CONTACT", default="")
PORTAL_HOSTING = env.str("PORTAL_HOSTING", default="")
# How many reverse proxies of ours stand before the app: X-Forwarded-For is believed only for their
# hops (esms_portal.core.client). 0 = the socket's address; 1 behind one nginx (docker-compose.yml).
PORTAL_NUM_PROXIES = env.int("PORTAL_NUM_PROXIES", default=0)
# Mutual TLS (esms_portal.auth.certificates): the header in which our TLS terminator passes the client's
# verified certificate (nginx's $ssl_client_escaped_cert; empty = off) and the one with its verdict
# ($ssl_client_verify); believed only from these proxy addresses or networks (the portal's port must be
# reachable by them alone: docker-compose.yml publishes nginx's port, never web's).
PORTAL_MTLS_HEADER = env.str("PORTAL_MTLS_HEADER", default="")
PORTAL_MTLS_VERIFY_HEADER = env.str("PORTAL_MTLS_VERIFY_HEADER", default="X-SSL-Client-Verify")
PORTAL_MTLS_PROXIES = env.list("PORTAL_MTLS_PROXIES", default=[])
# /healthz trusts its last broker probe this many seconds (esms_portal.health).
PORTAL_HEALTHZ_BROKER_TTL = env.float("PORTAL_HEALTHZ_BROKER_TTL", default=5.0)
# Searches of the public Annuaire Santé page per client address (django-ratelimit rate).
PORTAL_DIRECTORY_PAGE_RATE = env.str("PORTAL_DIRECTORY_PAGE_RATE", default="30/m")
# OCSP questions per client address (relying parties ask for each certificate they see; a TLS
# terminator of a busy service asks often, but each answer costs a signature).
PORTAL_OCSP_RATE = env.str("PORTAL_OCSP_RATE", default="600/m")
# Look-ups and checks of the public attestation verification page per client address (django-ratelimit).
PORTAL_ATTESTATION_PAGE_RATE = env.str("PORTAL_ATTESTATION_PAGE_RATE", default="30/m")
# Anonymous answers of public pages (the Annuaire Santé) kept this long in the cache, at most
# (esms_portal.core.public_cache: a version key forgets them at once after a signalled write).
PORTAL_PUBLIC_CACHE_SECONDS = env.int("PORTAL_PUBLIC_CACHE_SECONDS", default=60)
# The header's notification counts per user, kept in the shared cache (esms_portal/dialogue/notifications.py):
# forgotten by every write to them; this bounds how long a write made otherwise (admin, SQL) is unseen.
PORTAL_HEADER_COUNTS_SECONDS = env.int("PORTAL_HEADER_COUNTS_SECONDS", default=300)
# A logged-in person's organisation pages (card list, timeline, own space) kept this long in the cache,
# at most (esms_portal.core.page_cache: versions per organisation and person forget them at once
# after a signalled write); 0 turns it off.
PORTAL_PAGE_CACHE_SECONDS = env.int("PORTAL_PAGE_CACHE_SECONDS", default=60)
# The Annuaire Santé's public extract (rpps_plus.services.extract): where it is written each day, and
# how many downloads of it each client address may make.
PORTAL_EXTRACT_DOWNLOAD_RATE = env.str("PORTAL_EXTRACT_DOWNLOAD_RATE", default="10/h")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "rest_framework",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "esms_portal.apps.KernelConfig",
    "contracts",
    "cards",
    "certificates",
    "rpps_plus",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "esms_portal.health.HealthzMiddleware",  # /healthz answered here, without the middleware below
    "esms_portal.core.content_policy.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The anonymous Annuaire Santé's cached answers, before sessions, CSRF and authentication.
    "esms_portal.core.public_cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "esms_portal.auth.card_session.CardSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",  # request.htmx: a partial answers an htmx request with its fragment
    # Its check runs before any view or process_view (CSRF's reads the body) and can render the page.
    "esms_portal.core.bodies.BodySizeLimitMiddleware",
    "axes.middleware.AxesMiddleware",  # turns a lockout into esms_portal.auth.lockout's answer
    "esms_portal.error_pages.PortalErrorPagesMiddleware",  # last: see its docstring
]
# DEBUG only: Django's debug 404 page (the URL patterns tried) instead of the portal's French one.
PORTAL_DEBUG_ERROR_PAGES = env.bool("PORTAL_DEBUG_ERROR_PAGES", default=False)

ROOT_URLCONF = "esms_portal.urls"
WSGI_APPLICATION = "esms_portal.wsgi.application"

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
                "esms_portal.core.context_processors.portal_menu",
                "esms_portal.dialogue.context_processors.notification_counts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# env.db() always sets CONN_MAX_AGE (0), so a setdefault would ignore DATABASE_CONN_MAX_AGE.
# Outside DEBUG, connections persist (a new PostgreSQL connection per request halved throughput) and
# are checked before reuse, so a restarted database costs one failed check, not a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=not DEBUG)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, the worker and beat share the demo database.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "esms_portal.User"
# The tenant model the kernel points at without importing it (like AUTH_USER_MODEL).
PORTAL_STRUCTURE_MODEL = "contracts.Structure"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesBackend first: a locked-out login is refused before its password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded proofs live outside the web root and are served only through permission-checked views.
MEDIA_ROOT = env.path("PORTAL_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
PORTAL_PUBLIC_EXTRACT_DIR = env.path("PORTAL_PUBLIC_EXTRACT_DIR", default=BASE_DIR / "var" / "extract")
# Body caps, checked from Content-Length before reading (esms_portal.core.bodies, 413 beyond): a JSON or
# form body 1 MiB; an upload 11 MiB (the largest file taken is the 10 MB RPPS+ import, plus its envelope).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=1_048_576)
PORTAL_UPLOAD_MAX_BYTES = env.int("PORTAL_UPLOAD_MAX_BYTES", default=11 * 1_048_576)
# A message's body: 5 attachments of 10 MB each and the text (esms_portal.dialogue, core.bodies).
PORTAL_MESSAGE_UPLOAD_MAX_BYTES = env.int("PORTAL_MESSAGE_UPLOAD_MAX_BYTES", default=51 * 1_048_576)

# Security: production values by default; DEBUG (the demo) relaxes only what plain HTTP needs.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("PORTAL_SESSION_SECONDS", default=8 * 3600)
# Registering a professional or acting on certificates needs a CPx card login (R-RPP-6, R-CER-4):
# always in production; the demo and the tests may turn it off until a card is in the reader.
PORTAL_CARD_LOGIN_REQUIRED = env.bool("PORTAL_CARD_LOGIN_REQUIRED", default=not DEBUG)
PORTAL_CARD_SESSION_IDLE_SECONDS = env.int("PORTAL_CARD_SESSION_IDLE_SECONDS", default=15 * 60)
# Pro Santé Connect, the ANS's OpenID Connect provider (esms_portal/auth/psc.py): off unless its issuer
# (discovery at <issuer>/.well-known/openid-configuration) and the portal's client are given.
PORTAL_PSC_ISSUER = env.str("PORTAL_PSC_ISSUER", default="").rstrip("/")
PORTAL_PSC_CLIENT_ID = env.str("PORTAL_PSC_CLIENT_ID", default="")
PORTAL_PSC_CLIENT_SECRET = env.str("PORTAL_PSC_CLIENT_SECRET", default="")
PORTAL_PSC_LABEL = env.str("PORTAL_PSC_LABEL", default="Pro Santé Connect")  # the demo's says « (simulé) »
PORTAL_PSC_TIMEOUT_SECONDS = env.float("PORTAL_PSC_TIMEOUT_SECONDS", default=10.0)
# ANS agents (staff) confirm the password login with a second factor (esms_portal/auth/two_factor.py):
# a TOTP code (django-otp), a backup code or a passkey (passkeys.py, django-otp-webauthn).
PORTAL_STAFF_2FA = env.bool("PORTAL_STAFF_2FA", default=True)
# No throttling delay between codes: a pending login allows 5 codes and the lockout counts them.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "Portail ESMS"
# Passkeys: the relying party is the portal's domain (by default the first of DJANGO_ALLOWED_HOSTS),
# the origins its pages are served from (by default https://<that domain>; in DEBUG also localhost's).
OTP_WEBAUTHN_RP_ID = env.str("PORTAL_WEBAUTHN_RP_ID", default=ALLOWED_HOSTS[0].lstrip("."))
OTP_WEBAUTHN_RP_NAME = "Portail ESMS"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "PORTAL_WEBAUTHN_ORIGINS",
    default=[f"https://{OTP_WEBAUTHN_RP_ID}", *(["http://localhost:8000"] if DEBUG else [])],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, after the password
OTP_WEBAUTHN_HELPER_CLASS = "esms_portal.auth.passkeys.PortalWebAuthnHelper"
# Password and code guessing (esms_portal/auth/lockout.py, django-axes): failures per (account, address)
# and per address before a lockout, its first duration, doubled at each failure after it, up to the max.
PORTAL_LOGIN_FAILURES_PER_ACCOUNT = env.int("PORTAL_LOGIN_FAILURES_PER_ACCOUNT", default=5)
PORTAL_LOGIN_FAILURES_PER_ADDRESS = env.int("PORTAL_LOGIN_FAILURES_PER_ADDRESS", default=20)
PORTAL_LOGIN_COOLOFF_MINUTES = env.int("PORTAL_LOGIN_COOLOFF_MINUTES", default=15)
PORTAL_LOGIN_COOLOFF_MAX_HOURS = env.int("PORTAL_LOGIN_COOLOFF_MAX_HOURS", default=24)
AXES_HANDLER = "esms_portal.auth.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = "esms_portal.auth.lockout.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=PORTAL_LOGIN_COOLOFF_MINUTES)  # the first; the handler grows it
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # the pair that logged in only (LockoutHandler.reset_user_attempts)
AXES_CLIENT_IP_CALLABLE = "esms_portal.auth.lockout.client_ip"
AXES_USERNAME_CALLABLE = "esms_portal.auth.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "esms_portal.auth.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in the audit and server logs already
AXES_VERBOSE = False  # no banner at start-up; lockouts are still logged
# API tokens (esms_portal/auth/api_auth.py) expire: an organisation user's after these days, an ANS
# agent's (given after his second factor) after these hours.
PORTAL_API_TOKEN_DAYS = env.int("PORTAL_API_TOKEN_DAYS", default=90)
PORTAL_API_TOKEN_AGENT_HOURS = env.int("PORTAL_API_TOKEN_AGENT_HOURS", default=8)
# Card login (cards/login.py): the local card agent's address on the workstation, shown to the
# login page; reading a card on the portal's own machine (demo, kiosk) only where a reader is attached.
PORTAL_CARD_AGENT_URL = env.str("PORTAL_CARD_AGENT_URL", default="http://127.0.0.1:8765")
PORTAL_CARD_READER_MODE = env.bool("PORTAL_CARD_READER_MODE", default=DEBUG)
PORTAL_CARD_READER = env.str("PORTAL_CARD_READER", default="")
PORTAL_CARD_WAIT_SECONDS = env.float("PORTAL_CARD_WAIT_SECONDS", default=3.0)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; esms_portal/core/content_policy.py adds the card agent's origin
# to connect-src): scripts and styles are the portal's own files (DSFR, Swagger UI from the sidecar,
# the card-login script), an inline one only with the answer's nonce; images may be data: URIs (the
# DSFR's and Swagger UI's icons). Checked in chromium by tests/ui/test_content_security_policy.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Portail ESMS <ne-pas-repondre@esms.example>")

# Celery: the demo runs on kombu's filesystem transport (no broker to install); CI and production
# point CELERY_BROKER_URL at Redis. Reliability options are explained in esms_portal/celery.py.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_DIR = env.path("CELERY_BROKER_DIR", default=BASE_DIR / "var" / "broker")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# One cache for every web worker (the single use of a card-login challenge is checked there):
# Redis in production and CI (the broker's by default), the process's memory in the demo.
PORTAL_CACHE_URL = env.str(
    "PORTAL_CACHE_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
CACHES = {
    # Django's RedisCache, one redis-py client per pool (esms_portal/core/redis_cache.py).
    "default": {"BACKEND": "esms_portal.core.redis_cache.PortalRedisCache", "LOCATION": PORTAL_CACHE_URL}
    if PORTAL_CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Sessions read from the shared cache, written through to PostgreSQL (Django's cached_db): a
# logged-in page reads its session without a query. Only with Redis: a per-process cache would keep
# a session another worker has ended (logout) alive in this one.
SESSION_ENGINE = f"django.contrib.sessions.backends.{'cached_db' if PORTAL_CACHE_URL else 'db'}"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "esms_portal.auth.tokens.ExpiringTokenAuthentication",
        "esms_portal.auth.certificates.ClientCertificateAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "esms_portal.core.api.Pagination",
    "DEFAULT_PARSER_CLASSES": ["esms_portal.core.api.JSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "esms_portal.core.api_views.PortalSchema",
    "EXCEPTION_HANDLER": "esms_portal.core.api.exception_handler",
    # DRF's throttles read the client address the same way as esms_portal.core.client.
    "NUM_PROXIES": PORTAL_NUM_PROXIES,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# The OpenAPI schema and its Swagger UI: public by default, for the programs (DUI editors, regional
# platforms) that read the contract before they hold a token; false keeps them to signed-in users.
PORTAL_API_DOCS_PUBLIC = env.bool("PORTAL_API_DOCS_PUBLIC", default=True)
SPECTACULAR_SETTINGS = {
    "TITLE": "API du portail ESMS",
    "DESCRIPTION": "Démarches d'embarquement des ESMS aux services socles (contrat, cartes CPx, "
    "certificats, RPPS+). Erreurs : JSON {code, message, details}. Listes : {next, previous, results}, "
    "pages par curseur opaque (suivez next ; un curseur invalide répond 404 invalid_cursor), sans total. "
    "L'Annuaire Santé est aussi servi en FHIR R4, hors de ce schéma : /fhir/ (lecture anonyme, "
    "CapabilityStatement à /fhir/metadata). Authentification d'un programme : un jeton "
    "(Authorization: Token …) ou le certificat ORG AUTH_CLI de son organisation présenté en TLS mutuel "
    "(refus 401 certificate_revoked, certificate_expired, certificate_unknown, certificate_profile, "
    "certificate_unverified, certificate_organisation_unknown).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the sidecar package's static files: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The base template renders the DSFR header and footer itself (no DsfrConfig row, no query per page).
# FINESS anomaly reports (R-FIN-2) are mailed to the competent authority when its address is set;
# "{departement}" is replaced by the structure's département (e.g. ars-dd{departement}@...).
PORTAL_ANOMALY_RECIPIENTS = {
    "ARS": env.str("PORTAL_ANOMALY_EMAIL_ARS", default=""),
    "CD": env.str("PORTAL_ANOMALY_EMAIL_CD", default=""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "filters": {"client_errors": {"()": "esms_portal.core.logs.ClientErrorsWithoutTraceback"}},
    "root": {"handlers": ["console"], "level": env.str("PORTAL_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "django.request": {"filters": ["client_errors"]},
                # WeasyPrint's seven INFO lines per attestation rendered (esms_portal.dialogue.attestation_pdf).
                "weasyprint.progress": {"level": "WARNING"}},
}

# Timed steps (DESIGN.md "Timed steps", esms_portal/steps): the ANS delays of the documents,
# name -> (due after, deadline after or None). "before expiry" delays are subtracted from an expiry.
# PORTAL_TIME_COMPRESSION divides them all: 60 in the demo, so a minute of the process is a second.
PORTAL_TIME_COMPRESSION = env.float("PORTAL_TIME_COMPRESSION", default=1.0)
PORTAL_DELAYS = {
    "rpps_number_email": (timedelta(minutes=30), None),
    "annuaire_publication": (timedelta(hours=24), timedelta(hours=48)),
    "ecps_activation": (timedelta(hours=48), None),
    "card_delivery": (timedelta(days=10), None),
    "card_renewal": (timedelta(days=30), None),  # before a card's 3-year expiry
    # The 10 days of a delivery (R-CRD-7), split: production then shipping.
    "card_production": (timedelta(days=7), None),
    "card_shipping": (timedelta(days=3), None),
    # No document gives it; chosen short so that a complete order still arrives in about 10 days.
    "card_form_instruction": (timedelta(days=2), timedelta(days=5)),
    "contract_instruction": (timedelta(days=6), timedelta(days=16)),  # the back office's window, R-CON-5
    "certificate_renewal_reminder": (timedelta(days=30), None),  # before a certificate's expiry
    "demo": (timedelta(hours=12), timedelta(hours=24)),  # `make demo`: half a minute at 1440x
}
# The engine itself runs in real time (not compressed): beat period, claim batch, steps claimed
# by one sweep, messages in flight at most, lease after which a claimed step whose worker died is
# claimed again, attempts before `failed`, first retry delay (doubled each time, at most an hour),
# and step ids carried by one Celery message at most (esms_portal/steps/tasks.py tells why).
PORTAL_STEP_SWEEP_SECONDS = env.float("PORTAL_STEP_SWEEP_SECONDS", default=2.0)
# How often the parts of a page that a timed step moves (a state, an RPPS number, the steps board) ask
# the server again (htmx polling, esms_portal.core.live).
PORTAL_LIVE_SECONDS = env.float("PORTAL_LIVE_SECONDS", default=10.0)
PORTAL_STEP_BATCH = env.int("PORTAL_STEP_BATCH", default=100)
PORTAL_STEP_TASK_BATCH = env.int("PORTAL_STEP_TASK_BATCH", default=10)
PORTAL_STEP_SWEEP_LIMIT = env.int("PORTAL_STEP_SWEEP_LIMIT", default=500)
PORTAL_STEP_MAX_IN_FLIGHT = env.int("PORTAL_STEP_MAX_IN_FLIGHT", default=2000)
PORTAL_STEP_LEASE_SECONDS = env.float("PORTAL_STEP_LEASE_SECONDS", default=300.0)
PORTAL_STEP_MAX_ATTEMPTS = env.int("PORTAL_STEP_MAX_ATTEMPTS", default=5)
PORTAL_STEP_RETRY_SECONDS = env.float("PORTAL_STEP_RETRY_SECONDS", default=60.0)
# Webhooks (esms_portal/webhooks/): the timeout of one POST (well under the step lease), how many
# deliveries failed in a row pause a subscription, and whether a receiver may sit on a private,
# loopback or link-local address, over http too (a developer's or the tests' own; DEBUG allows it).
PORTAL_WEBHOOK_TIMEOUT_SECONDS = env.float("PORTAL_WEBHOOK_TIMEOUT_SECONDS", default=5.0)
PORTAL_WEBHOOK_PAUSE_AFTER = env.int("PORTAL_WEBHOOK_PAUSE_AFTER", default=5)
PORTAL_WEBHOOKS_ALLOW_PRIVATE = env.bool("PORTAL_WEBHOOKS_ALLOW_PRIVATE", default=False)
# Periodic sweeps of the apps, run by beat: name -> (Celery task name, period in seconds).
PORTAL_PERIODIC_TASKS = {
    # Plans once the renewal of every card expiring within the month (R-CRD-8); idempotent.
    "cards-renewal-sweep": ("cards.renewal_sweep", env.float("PORTAL_CARD_RENEWAL_SWEEP_SECONDS", default=3600.0)),
    # Recomputes the onboarding dashboard's rows that no act refreshed, or too old (onboarding/progress.py).
    "onboarding-progress-sweep": ("onboarding.progress_sweep",
                                  env.float("PORTAL_ONBOARDING_SWEEP_SECONDS", default=300.0)),
    # Sends again the background bulk jobs whose message was lost (a broker restart); idempotent.
    "backoffice-bulk-resume": ("esms_portal.backoffice.resume_bulk", 300.0),
    # Deletes the background exports past PORTAL_EXPORT_KEEP_HOURS and their files (backoffice/export_jobs.py).
    "backoffice-exports-expire": ("esms_portal.backoffice.expire_exports", 3600.0),
    # Sends again the background exports still pending after 5 minutes (their message was lost).
    "backoffice-exports-resume": ("esms_portal.backoffice.resume_exports", 300.0),
    # The daily digests (esms_portal/dialogue/digests.py): sent once a day after PORTAL_DIGEST_HOUR,
    # the agents' on weekdays; a run finding them sent sends nothing, so it may run every quarter hour.
    "dialogue-digests": ("dialogue.digests", env.float("PORTAL_DIGEST_SWEEP_SECONDS", default=900.0)),
    # Publishes the Annuaire Santé's public extract once a day (an hourly idempotent call).
    "rpps-public-extract": ("rpps_plus.publish_public_extract",
                            env.float("PORTAL_EXTRACT_SWEEP_SECONDS", default=3600.0)),
}
# The back office's exports (esms_portal/backoffice/export_jobs.py): above this many rows (a capped count),
# an export is written by a Celery worker into the private storage, kept this many hours for the agent.
PORTAL_EXPORT_BACKGROUND_OVER = env.int("PORTAL_EXPORT_BACKGROUND_OVER", default=5000)
PORTAL_EXPORT_KEEP_HOURS = env.float("PORTAL_EXPORT_KEEP_HOURS", default=24.0)
PORTAL_DIGEST_HOUR = env.int("PORTAL_DIGEST_HOUR", default=7)  # local time (TIME_ZONE)

# IGC Santé test authority (esms_portal/pki): CA keys live encrypted outside the web root, under a
# passphrase from the environment (PORTAL_PKI_PASSPHRASE or PORTAL_PKI_PASSPHRASE_FILE). Only DEBUG
# (the demo) falls back to a marked demo passphrase; check esms.E020 refuses it anywhere else.
PORTAL_PKI_DIR = env.path("PORTAL_PKI_DIR", default=BASE_DIR / "var" / "pki")
PORTAL_PKI_PASSPHRASE = env.str("PORTAL_PKI_PASSPHRASE", default="")
if not PORTAL_PKI_PASSPHRASE and env.str("PORTAL_PKI_PASSPHRASE_FILE", default=""):
    PORTAL_PKI_PASSPHRASE = Path(env.str("PORTAL_PKI_PASSPHRASE_FILE")).read_text().strip()
if not PORTAL_PKI_PASSPHRASE and DEBUG:
    PORTAL_PKI_PASSPHRASE = "DEMO-ONLY-insecure-pki-passphrase"
PORTAL_PKI_CA_KEY_SIZE = env.int("PORTAL_PKI_CA_KEY_SIZE", default=4096)  # REFERENCE.md section 5: RSA 4096 CAs
# CRLs and CA certificates are fetched by TLS stacks over plain HTTP (an HTTPS fetch could loop).
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^pki/(crl|ca)/"]

# RPPS+ (rpps_plus): RPPS numbers are drawn from this range of first ten digits (the Luhn key is
# appended). The default is the ANS test range 99700...: a simulated number is never a real
# professional's (real numbers start with 10); check esms.E030 refuses a range that could be.
PORTAL_RPPS_RANGE = (
    env.str("PORTAL_RPPS_RANGE_FIRST", default="9970000000"),
    env.str("PORTAL_RPPS_RANGE_LAST", default="9970999999"),
)
# SMS of the e-CPS and pre-registration codes: a dotted path to a class with `send(to, text)`.
PORTAL_SMS_BACKEND = env.str("PORTAL_SMS_BACKEND", default="rpps_plus.sms.ConsoleSmsBackend")
PORTAL_RPPS_CODE_SECONDS = env.int("PORTAL_RPPS_CODE_SECONDS", default=15 * 60)  # one-time codes expire
PORTAL_RPPS_CODE_ATTEMPTS = env.int("PORTAL_RPPS_CODE_ATTEMPTS", default=3)  # wrong codes before new ones
PORTAL_ECPS_PIN_ATTEMPTS = env.int("PORTAL_ECPS_PIN_ATTEMPTS", default=3)  # wrong PINs before the lock
# No document gives the ANS a delay to analyse an unlisted profession: the card forms' window.
PORTAL_DELAYS["rpps_profession_analysis"] = (timedelta(days=2), timedelta(days=5))
