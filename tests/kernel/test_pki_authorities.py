"""The test authorities: creation, key protection, TEST names, passphrase check esms.E020."""

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command

from esms_portal.pki import AuthorityUnavailable, authorities
from esms_portal.pki.checks import check_pki_passphrase


@pytest.fixture
def empty_pki(tmp_path, settings):
    settings.PORTAL_PKI_DIR = tmp_path / "pki"
    settings.PORTAL_PKI_PASSPHRASE = "another-test-passphrase-42"
    settings.PORTAL_PKI_CA_KEY_SIZE = 2048
    return tmp_path / "pki"


def test_pki_init_creates_three_authorities_then_does_nothing(empty_pki, capsys):
    call_command("pki_init")
    first = {p.name: p.read_bytes() for p in empty_pki.iterdir()}
    assert sorted(first) == [
        "organisations.crt.pem", "organisations.key.pem", "personnes.crt.pem", "personnes.key.pem",
        "racine.crt.pem", "racine.key.pem",
    ]
    call_command("pki_init")
    assert {p.name: p.read_bytes() for p in empty_pki.iterdir()} == first
    assert "déjà présente" in capsys.readouterr().out


def test_keys_are_encrypted_and_private(empty_pki):
    authorities.init_authorities()
    key_file = empty_pki / "organisations.key.pem"
    assert key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(empty_pki.stat().st_mode) == 0o700
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(key_file.read_bytes(), password=None)


def test_a_wrong_passphrase_cannot_open_the_keys(empty_pki, settings):
    authorities.init_authorities()
    settings.PORTAL_PKI_PASSPHRASE = "not-the-right-passphrase"
    with pytest.raises(AuthorityUnavailable):
        authorities.load("organisations")


def test_names_say_test_and_chain_to_the_root(empty_pki):
    authorities.init_authorities()
    root = authorities.ca_certificate("racine")
    for name in ("racine", "personnes", "organisations"):
        subject = authorities.ca_certificate(name).subject.rfc4514_string()
        assert "CN=TEST AC " in subject and "OU=IGC-SANTE TEST" in subject and "SIMULATION" in subject
    authorities.ca_certificate("organisations").verify_directly_issued_by(root)
    authorities.ca_certificate("personnes").verify_directly_issued_by(root)


def test_missing_authorities_answer_unavailable(empty_pki):
    with pytest.raises(AuthorityUnavailable) as error:
        authorities.load("organisations")
    assert error.value.code == "pki_unavailable"


@pytest.mark.parametrize(
    "debug, passphrase, fails",
    [
        (False, "", True),
        (False, authorities.DEMO_PASSPHRASE, True),
        (False, "short", True),
        (False, "a-long-enough-production-passphrase", False),
        (True, authorities.DEMO_PASSPHRASE, False),
        (True, "", True),
    ],
)
def test_check_e020_refuses_a_missing_or_demo_passphrase_outside_debug(settings, debug, passphrase, fails):
    settings.DEBUG = debug
    settings.PORTAL_PKI_PASSPHRASE = passphrase
    errors = check_pki_passphrase(None)
    assert [e.id for e in errors] == (["esms.E020"] if fails else [])


def test_no_issuance_without_a_passphrase(empty_pki, settings):
    settings.DEBUG = False
    settings.PORTAL_PKI_PASSPHRASE = authorities.DEMO_PASSPHRASE
    with pytest.raises(AuthorityUnavailable):
        authorities.load("organisations")
