"""The agents' TOTP secrets move from the user row (Fernet-sealed, 0006) to django-otp's TOTPDevice.

Each sealed secret is unsealed with the key derivation two_factor.py used (HKDF-SHA256 of SECRET_KEY
or of one of SECRET_KEY_FALLBACKS, info "esms-portal:totp-secret") and written as a confirmed device
with the same key (hex) and `last_t` = the last step accepted, so that no agent enrols again and no
code already used is accepted again. The old fields are dropped by the next migration.
"""

import base64
import binascii
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations

logger = logging.getLogger(__name__)

DEVICE_NAME = "Application d'authentification"


def _fernet() -> MultiFernet:
    def key(secret_key: str) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"esms-portal:totp-secret")
        return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))

    return MultiFernet([Fernet(key(k)) for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]])


def _hex_key(sealed: str) -> str | None:
    try:
        secret = _fernet().decrypt(sealed.encode()).decode().replace(" ", "").upper()
        return base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    except (InvalidToken, binascii.Error, ValueError):
        return None


def secrets_to_devices(apps, schema_editor):
    User = apps.get_model("esms_portal", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for user_id, sealed, last_step in User.objects.exclude(totp_secret="").values_list(
            "pk", "totp_secret", "totp_last_step"):
        key = _hex_key(sealed)
        if key is None:  # SECRET_KEY changed without fallback: this agent enrols again at his next login
            logger.error("Second facteur de l'utilisateur %s illisible : non migré", user_id)
            continue
        TOTPDevice.objects.create(
            user_id=user_id, name=DEVICE_NAME, confirmed=True, key=key, step=30, t0=0, digits=6,
            tolerance=1, drift=0, last_t=-1 if last_step is None else last_step,
        )


def devices_to_secrets(apps, schema_editor):
    User = apps.get_model("esms_portal", "User")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.filter(confirmed=True).order_by("pk"):
        secret = base64.b32encode(bytes.fromhex(device.key)).decode()
        User.objects.filter(pk=device.user_id, totp_secret="").update(
            totp_secret=_fernet().encrypt(secret.encode()).decode(),
            totp_last_step=None if device.last_t < 0 else device.last_t,
        )
    TOTPDevice.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("esms_portal", "0012_backoffice_cases"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(secrets_to_devices, devices_to_secrets),
    ]
