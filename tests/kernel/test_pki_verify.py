"""verify_person_certificate: what the card login accepts and refuses."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from esms_portal import pki as igc

from .pki_support import FINESS_ID, make_csr, rsa_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki")]


def card_certificate(**kwargs):
    return igc.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="DUPONT", given_name="CAROLE",
        title="Pharmacien", **kwargs,
    )


def code_of(cert, **kwargs) -> str:
    with pytest.raises(igc.CertificateRejected) as error:
        igc.verify_person_certificate(cert, **kwargs)
    assert error.value.message
    return error.value.code


def test_a_valid_card_certificate_passes():
    assert igc.verify_person_certificate(card_certificate().certificate) is None


def test_a_self_signed_look_alike_is_a_foreign_authority():
    key = rsa_key(2048, 1)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "899700218896")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256())
    )
    assert code_of(cert) == "foreign_authority"


def test_a_forged_certificate_with_the_authoritys_name_has_a_bad_signature():
    key = rsa_key(2048, 1)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "899700218896")]))
        .issuer_name(igc.ca_certificate("personnes").subject).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256())
    )
    assert code_of(cert) == "bad_signature"


def test_an_organisation_certificate_is_not_a_card_certificate():
    issued = igc.issue_from_csr(make_csr(), profile=igc.Profile.ORG_AUTH_CLI, organisation_name="A",
                                organisation_id=FINESS_ID)
    assert code_of(issued.certificate) == "foreign_authority"


def test_expired_and_not_yet_valid():
    cert = card_certificate().certificate
    assert code_of(cert, at=cert.not_valid_after_utc + timedelta(seconds=1)) == "expired"
    assert code_of(cert, at=cert.not_valid_before_utc - timedelta(seconds=1)) == "not_yet_valid"


def test_a_revoked_card_certificate_is_refused():
    issued = card_certificate()
    igc.revoke(issued, reason="certificate_hold")
    assert code_of(issued.certificate) == "revoked"


def test_before_its_revocation_it_was_valid():
    issued = card_certificate()
    igc.revoke(issued, reason="key_compromise")
    type(issued).objects.filter(pk=issued.pk).update(revoked_at=issued.revoked_at + timedelta(hours=1))
    igc.verify_person_certificate(issued.certificate, at=issued.revoked_at + timedelta(minutes=59))


def test_a_certificate_unknown_to_the_registry_is_refused():
    issued = card_certificate()
    cert = issued.certificate
    issued.delete()
    assert code_of(cert) == "unknown_certificate"
