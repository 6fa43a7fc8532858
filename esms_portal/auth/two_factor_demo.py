"""The demo agent's second factor: a fixed, published secret, so that `make demo` keeps 2FA on and
the agent can still log in (with an authenticator app, or `manage.py totp_code` in DEBUG)."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from esms_portal.auth import two_factor
from esms_portal.models import User

DEMO_AGENT = "agent@demo.ans.example"
DEMO_SECRET = "IVJU2UZAMRSW23ZAMFTWK3TUEBAU4UZB"  # base32 of "ESMS demo agent ANS!": demo only, public


def enrol_demo_agent(stdout) -> None:
    agent = User.objects.filter(email=DEMO_AGENT).first()
    if agent is None:
        return
    TOTPDevice.objects.update_or_create(
        user=agent, name=two_factor.TOTP_DEVICE_NAME,
        defaults={"key": two_factor.secret_key_bytes(DEMO_SECRET).hex(), "confirmed": True},
    )
    stdout.write(f"Agent ANS : code à 6 chiffres de l'application d'authentification, secret {DEMO_SECRET}")
    stdout.write(f"  code du moment : DJANGO_DEBUG=true .venv/bin/python manage.py totp_code {DEMO_AGENT}")
