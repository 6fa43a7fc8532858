"""The move of the agents' TOTP secrets to django-otp (migrations 0013_otp_devices, 0014_drop_totp_fields):
an agent enrolled the old way logs in with his old secret, and no agent enrols again."""

import base64
import time

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_otp.plugins.otp_totp.models import TOTPDevice

from esms_portal.auth import two_factor

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery staple"
BEFORE = [("esms_portal", "0012_backoffice_cases")]
AFTER = [("esms_portal", "0014_drop_totp_fields")]


def old_seal(secret: str, secret_key: str) -> str:
    """How esms_portal/auth/two_factor.py sealed a secret before django-otp."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"esms-portal:totp-secret")
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))).encrypt(secret.encode()).decode()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_an_agent_enrolled_the_old_way_logs_in_with_his_old_secret(old_schema, client, settings):
    User = old_schema.get_model("esms_portal", "User")
    old_step = int(time.time() // 30) - 10  # his last login, 5 minutes ago
    agent = User.objects.create(email="ana@ans.example", password=make_password(PASSWORD), is_staff=True,
                                totp_secret=old_seal(SECRET, settings.SECRET_KEY), totp_last_step=old_step)
    User.objects.create(email="rotated@ans.example", password=make_password(PASSWORD), is_staff=True,
                                  totp_secret=old_seal(SECRET, "an older SECRET_KEY"), totp_last_step=None)
    User.objects.create(email="not-enrolled@ans.example", is_staff=True)
    settings.SECRET_KEY_FALLBACKS = ["an older SECRET_KEY"]

    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # today's models read the rest

    devices = {device.user.email: device for device in TOTPDevice.objects.select_related("user")}
    assert set(devices) == {"ana@ans.example", "rotated@ans.example"}  # sealed under a fallback key too
    assert devices["ana@ans.example"].bin_key == base64.b32decode(SECRET) and devices["ana@ans.example"].confirmed
    assert devices["ana@ans.example"].last_t == old_step and devices["rotated@ans.example"].last_t == -1

    settings.PORTAL_STAFF_2FA = True
    response = client.post("/connexion/", {"username": "ana@ans.example", "password": PASSWORD})
    assert response["Location"] == "/connexion/code/"  # not the enrolment: he keeps his app
    response = client.post("/connexion/code/", {"code": two_factor.totp(SECRET)})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == agent.pk


def test_the_last_used_step_is_kept_so_an_old_code_is_not_accepted_again(old_schema, settings):
    User = old_schema.get_model("esms_portal", "User")
    now_step = int(time.time() // 30)
    User.objects.create(email="ana@ans.example", is_staff=True, totp_secret=old_seal(SECRET, settings.SECRET_KEY),
                        totp_last_step=now_step)

    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # today's models read the rest

    device = TOTPDevice.objects.get(user__email="ana@ans.example")
    assert device.last_t == now_step
    # The code of the step used already (the migrations may have lasted past its 30 s on a busy machine).
    assert not device.verify_token(two_factor.totp(SECRET, at=now_step * 30))


def test_the_migration_goes_back_to_the_sealed_fields(old_schema, settings):
    User = old_schema.get_model("esms_portal", "User")
    User.objects.create(email="ana@ans.example", is_staff=True, totp_secret=old_seal(SECRET, settings.SECRET_KEY),
                        totp_last_step=42)
    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # today's models read the rest
    apps = migrate(BEFORE)

    agent = apps.get_model("esms_portal", "User").objects.get(email="ana@ans.example")
    assert agent.totp_last_step == 42 and SECRET not in agent.totp_secret
    assert two_factor.unseal(agent.totp_secret) == SECRET
    assert not TOTPDevice.objects.exists()
