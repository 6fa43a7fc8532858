"""Revocation and CRLs, checked with the real openssl binary."""

import pytest
from cryptography import x509

from esms_portal import pki as igc  # `pki` is the fixture: the authorities' directory
from esms_portal.models import RevocationList

from .pki_support import FINESS_ID, make_csr, rsa_key, verify_with_crl

pytestmark = [pytest.mark.django_db]


def issue():
    return igc.issue_from_csr(make_csr(), profile=igc.Profile.ORG_AUTH_CLI, organisation_name="ASSOCIATION ALPHA",
                              organisation_id=FINESS_ID, departement="69")


def org_crl() -> bytes:
    return igc.crl_der("organisations")


def test_openssl_accepts_a_valid_certificate_against_the_crl(pki, tmp_path):
    result = verify_with_crl(tmp_path, pki, issue(), org_crl())
    assert result.returncode == 0, result.stderr.decode()
    assert b"OK" in result.stdout


def test_openssl_refuses_a_revoked_certificate(pki, tmp_path):
    issued = issue()
    igc.revoke(issued, reason="key_compromise")
    result = verify_with_crl(tmp_path, pki, issued, org_crl())
    assert result.returncode != 0
    assert b"certificate revoked" in result.stdout + result.stderr


def test_card_certificate_revocation_reaches_the_persons_crl(pki, tmp_path):
    issued = igc.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="D", given_name="C", title="Pharmacien"
    )
    assert verify_with_crl(tmp_path, pki, issued, igc.crl_der("personnes")).returncode == 0
    igc.revoke(issued, reason="Opposition de la carte")
    assert issued.revocation_reason == "unspecified" and issued.revocation_note == "Opposition de la carte"
    assert verify_with_crl(tmp_path, pki, issued, igc.crl_der("personnes")).returncode != 0


def test_the_crl_lists_the_serial_and_reason_at_once(pki):
    issued = issue()
    igc.revoke(issued, reason="superseded")
    crl = x509.load_der_x509_crl(org_crl())
    entry = crl.get_revoked_certificate_by_serial_number(issued.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.superseded
    assert crl.is_signature_valid(igc.ca_certificate("organisations").public_key())


def test_each_revocation_increments_the_crl_number(pki):
    first, second = issue(), issue()
    igc.revoke(first, reason="superseded")
    number = RevocationList.objects.get(authority="organisations").number
    igc.revoke(second, reason="superseded")
    crl = x509.load_der_x509_crl(org_crl())
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == number + 1
    assert len(crl) == 2


def test_a_second_revocation_is_refused_with_a_stable_code(pki):
    issued = issue()
    igc.revoke(issued, reason="superseded")
    with pytest.raises(igc.AlreadyRevoked) as error:
        igc.revoke(issued, reason="key_compromise")
    assert error.value.code == "already_revoked" and error.value.status == 409
    issued.refresh_from_db()
    assert issued.revocation_reason == "superseded"


def test_crl_and_ca_are_served_publicly_as_der(pki, client):
    issue()
    response = client.get("/pki/crl/organisations.crl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    x509.load_der_x509_crl(response.content)
    response = client.get("/pki/ca/racine.crt")
    assert response.status_code == 200
    assert "TEST AC RACINE" in x509.load_der_x509_certificate(response.content).subject.rfc4514_string()


def test_unknown_authority_is_404(pki, client):
    assert client.get("/pki/crl/autre.crl").status_code == 404
    assert client.get("/pki/ca/autre.crt").status_code == 404


def test_the_crl_url_in_certificates_is_the_served_one(pki, client, settings):
    settings.PORTAL_BASE_URL = "https://portail.example"
    cert = issue().certificate
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    url = points[0].full_name[0].value
    assert url == "https://portail.example/pki/crl/organisations.crl"
    assert client.get(url.removeprefix("https://portail.example")).status_code == 200
