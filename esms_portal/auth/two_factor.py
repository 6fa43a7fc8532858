"""Two-factor login of ANS agents (DESIGN.md "Who uses it": a staff account with 2FA), on django-otp.

The password step (views.LoginView) does not log a staff user in when `PORTAL_STAFF_2FA` is on: it
leaves a pending login in the session, and a second factor completes it (`/connexion/code/`): a TOTP
code of the agent's authenticator app (django-otp's TOTPDevice), one of his single-use backup codes
(StaticDevice) or a passkey (django-otp-webauthn, passkeys.py). An agent without a TOTP device or a
passkey first enrols one (`/connexion/code/enrolement/`); his backup codes are then shown once.
A pending login lasts 5 minutes and allows 5 wrong codes, then the password is asked again; wrong
codes also count with wrong passwords in the login lockout (lockout.py), so they cannot be guessed by
going back to the password. A completed login records its device (`django_otp.login`): OTPMiddleware
then says `request.user.is_verified()`.

TOTP is RFC 6238 (HMAC-SHA-1, 30-second steps, 6 digits, one step of drift either way); a code is
accepted once (the device's `last_t`). django-otp keeps a TOTP key as plain hex in its table: reading
the database gives the agents' codes as it gives their sessions; only the key offered during an
enrolment, kept in the session, is sealed (Fernet under a key derived from SECRET_KEY).
"""

import base64
import secrets
import time
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from esms_portal.models import User

ISSUER = "Portail ESMS"
PENDING_SECONDS = 5 * 60
MAX_TRIES = 5
BACKUP_CODES = 10
SESSION_KEY = "portal_2fa_pending"
BACKUP_CODES_SESSION_KEY = "portal_2fa_backup_codes"
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"


# Keys as authenticator apps show them (base32) and as django-otp stores them (hex)

def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()  # 160 bits (RFC 4226 section 4, R6)


def secret_key_bytes(secret: str) -> bytes:
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def totp(secret: str, *, at: float | None = None) -> str:
    """The code of a base32 secret now or `at` (the demo's `totp_code`, the tests)."""
    code = TOTP(secret_key_bytes(secret), step=30, t0=0, digits=6)
    if at is not None:
        code.time = at
    return str(code.token()).zfill(6)


def grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, email: str) -> str:
    """The Key Uri Format of authenticator apps (what a QR code would carry)."""
    issuer = quote(ISSUER)
    return f"otpauth://totp/{issuer}:{quote(email, safe='@')}?secret={secret}&issuer={issuer}"


# The key offered for enrolment rides in the session sealed: Fernet under a key derived from
# SECRET_KEY (HKDF, its own purpose), with the fallback keys.

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


# Devices

def required_for(user) -> bool:
    return bool(settings.PORTAL_STAFF_2FA and user.is_staff)


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey (backup codes alone are not a second factor to enrol)."""
    return has_totp(user) or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_enrol(*, user: User, secret: str, code: str) -> TOTPDevice | None:
    """Saves `secret` as the user's authenticator app if `code` is its current code (the app has it
    right). None for a wrong code, or when the user has a second factor already (concurrent enrolment)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).get()  # one enrolment at a time
        if has_second_factor(user):
            return None
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=secret_key_bytes(secret).hex(), confirmed=True)
        digits = _digits(code)
        check = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        if not (digits.isdigit() and check.verify(int(digits), tolerance=device.tolerance)):
            return None  # (the device's own verify_token would save it to count the failure)
        device.last_t, device.drift = check.t(), check.drift  # the code is used
        device.save()
        return device


def user_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device of the user that accepts `code` (a TOTP code never accepted before, or a backup
    code, used up); None if none does. Devices are locked: of two requests with the same code
    (replay, double submit) one wins."""
    with transaction.atomic():
        if (digits := _digits(code)).isdigit() and len(digits) == 6:
            for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_token(digits):
                    return device
        backup = code.strip().lower()
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(backup):
                return device
    return None


def _digits(code: str) -> str:
    return code.replace(" ", "").strip()


def new_backup_codes(user: User) -> list[str]:
    """Replaces the user's backup codes with BACKUP_CODES new ones, returned to be shown once."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# The pending login in the session, between the password and the second factor

def login_start(request, user: User, *, redirect_to: str) -> str:
    """The password was right: remembers the half-done login; returns the URL name of the next page."""
    enrolled = has_second_factor(user)
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "since": time.time(),
        "tries": 0,
        "next": redirect_to,
        # The secret offered for enrolment stays the same if the page is shown again.
        "secret": "" if enrolled else seal(new_secret()),
    }
    return "two-factor-code" if enrolled else "two-factor-enrol"


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


def login_complete(request, user: User, device) -> str:
    """Logs the user in (a new session key) with the device that confirmed it; returns where he was
    going. A first enrolment also gives the backup codes, shown once by the next page."""
    state = request.session.pop(SESSION_KEY)
    login(request, user, backend=state["backend"])
    otp_login(request, device)
    if state["secret"]:
        request.session[BACKUP_CODES_SESSION_KEY] = {"codes": new_backup_codes(user), "next": state["next"]}
        return reverse("backup-codes")
    return state["next"]
