"""Two-factor login of ANS agents (DESIGN.md "Who uses it": a staff account with 2FA).

The password step (views.LoginView) does not log a staff user in when `PORTAL_STAFF_2FA` is on: it
leaves a pending login in the session, and a TOTP code from the agent's authenticator app completes
it (`/connexion/code/`); an agent without a secret first enrols one (`/connexion/code/enrolement/`).
A pending login lasts 5 minutes and allows 5 wrong codes, then the password is asked again; wrong
codes also count with wrong passwords in the login lockout (lockout.py), so they cannot be guessed by
going back to the password.

TOTP is RFC 6238 over the HOTP of RFC 4226: HMAC-SHA-1, 30-second steps, 6 digits, one step of
clock drift accepted either way; a code is accepted once (the user's last used step is kept).
"""

import base64
import hashlib
import hmac
import logging
import secrets
import struct
import time
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import login
from django.db.models import Q

from esms_portal.models import User

logger = logging.getLogger(__name__)

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
ISSUER = "Portail ESMS"
PENDING_SECONDS = 5 * 60
MAX_TRIES = 5
SESSION_KEY = "portal_2fa_pending"


# TOTP (RFC 4226 section 5.3, RFC 6238 section 4)

def hotp(key: bytes, counter: int, *, digits: int = DIGITS) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def secret_key_bytes(secret: str) -> bytes:
    """The key of a base32 secret as authenticator apps show it (spaces, lower case, no padding)."""
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def totp(secret: str, *, at: float | None = None, digits: int = DIGITS) -> str:
    return hotp(secret_key_bytes(secret), time_step(at), digits=digits)


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step, within the drift allowed around `at`, whose code is `code`; None when none is."""
    code = code.replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key, now = secret_key_bytes(secret), time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            return step
    return None


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()  # 160 bits (RFC 4226 section 4, R6)


def grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    """The Key Uri Format of authenticator apps (what a QR code would carry)."""
    issuer = quote(ISSUER)
    return f"otpauth://totp/{issuer}:{quote(email, safe='@')}?secret={secret}&issuer={issuer}"


# Secrets at rest: Fernet under a key derived from SECRET_KEY (HKDF, its own purpose), with the
# fallback keys so that rotating SECRET_KEY with SECRET_KEY_FALLBACKS keeps agents' second factors.

def _fernet() -> MultiFernet:
    def key(secret_key: str) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"esms-portal:totp-secret")
        return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))

    return MultiFernet([Fernet(key(k)) for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]])


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


# Enrolment and verification

def required_for(user) -> bool:
    return bool(settings.PORTAL_STAFF_2FA and user.is_staff)


def user_enrol(*, user: User, secret: str, code: str) -> bool:
    """Saves `secret` as the user's second factor if `code` is its current code (the app has it
    right). False for a wrong code, or when the user already has a secret (concurrent enrolment)."""
    step = matching_step(secret, code)
    if step is None:
        return False
    saved = User.objects.filter(pk=user.pk, totp_secret="").update(totp_secret=seal(secret), totp_last_step=step)
    return saved == 1


def user_verify(*, user: User, code: str) -> bool:
    """True if `code` is a current code of the user's secret never accepted before."""
    secret = unseal(user.totp_secret)
    if secret is None:
        # Only an agent with a secret comes here: SECRET_KEY changed without SECRET_KEY_FALLBACKS.
        logger.error("Second facteur de l'utilisateur %s illisible (SECRET_KEY changée ?)", user.pk)
        return False
    step = matching_step(secret, code)
    if step is None:
        return False
    # A conditional UPDATE: of two requests with the same code (replay, double submit) one wins.
    unused = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    return User.objects.filter(unused, pk=user.pk).update(totp_last_step=step) == 1


# The pending login in the session, between the password and the code

def login_start(request, user: User, *, redirect_to: str) -> str:
    """The password was right: remembers the half-done login; returns the URL name of the code page."""
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "since": time.time(),
        "tries": 0,
        "next": redirect_to,
        # The secret offered for enrolment stays the same if the page is shown again.
        "secret": "" if user.totp_secret else seal(new_secret()),
    }
    return "two-factor-code" if user.totp_secret else "two-factor-enrol"


def pending_login(request) -> tuple[User, dict] | None:
    """The user of the session's pending login and its state; None if there is none or it expired."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        return None
    user = User.objects.filter(pk=state["user"], is_active=True, is_staff=True).first()
    if user is None or time.time() - state["since"] > PENDING_SECONDS:
        login_abandon(request)
        return None
    return user, state


def pending_secret(state: dict) -> str:
    return unseal(state["secret"]) or ""


def login_failed_try(request) -> bool:
    """Counts a wrong code; False when it was the last try allowed (the pending login is dropped)."""
    state = request.session[SESSION_KEY]
    state["tries"] += 1
    if state["tries"] >= MAX_TRIES:
        login_abandon(request)
        return False
    request.session[SESSION_KEY] = state
    return True


def login_abandon(request) -> None:
    request.session.pop(SESSION_KEY, None)


def login_complete(request, user: User) -> str:
    """Logs the user in (a new session key) and returns where he was going."""
    state = request.session.pop(SESSION_KEY)
    login(request, user, backend=state["backend"])
    return state["next"]
