"""Issuing organisation, server and card certificates (REFERENCE.md section 5), checked with openssl."""

from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from esms_portal import pki
from esms_portal.models import IssuedCertificate

from .pki_support import FINESS_ID, ec_key, make_csr, openssl, rsa_key, x509_text

NAMES = {NameOID.TITLE: "title", NameOID.SURNAME: "SN", NameOID.GIVEN_NAME: "GN"}
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki")]


def issue(profile=pki.Profile.ORG_AUTH_CLI, csr=None, **kwargs):
    kwargs.setdefault("organisation_name", "ASSOCIATION ALPHA")
    kwargs.setdefault("organisation_id", FINESS_ID)
    kwargs.setdefault("departement", "69")
    return pki.issue_from_csr(csr or make_csr(), profile=profile, **kwargs)


def test_org_auth_cli_has_the_igc_sante_subject_and_client_auth():
    issued = issue()
    cert = issued.certificate
    assert cert.subject.rfc4514_string() == "CN=Logiciel DUI,OU=1010780054,O=ASSOCIATION ALPHA,ST=Rhône (69),C=FR"
    text = x509_text(issued)
    assert "Digital Signature" in text and "Non Repudiation" not in text
    assert "TLS Web Client Authentication" in text and "Server Authentication" not in text
    assert "CA:FALSE" in text
    assert "URI:http://127.0.0.1:8000/pki/crl/organisations.crl" in text
    assert issued.authority == pki.ORGANISATIONS and issued.holder_id == FINESS_ID


def test_validity_is_three_years_to_the_second():
    cert = issue().certificate
    start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
    assert end == start.replace(year=start.year + 3)


def test_org_sign_has_non_repudiation_and_email_protection():
    issued = issue(pki.Profile.ORG_SIGN)
    text = x509_text(issued)
    assert "Digital Signature, Non Repudiation" in text
    assert "E-mail Protection" in text
    assert "Private Key Usage Period" in text


def test_ssl_serveur_carries_its_names_in_the_san():
    csr = make_csr(cn="dui.alpha.fr", dns=["dui.alpha.fr", "api.alpha.fr"])
    issued = issue(pki.Profile.SSL_SERVEUR, csr, allowed_dns_names=["dui.alpha.fr", "*.alpha.fr"])
    text = x509_text(issued)
    assert "DNS:dui.alpha.fr, DNS:api.alpha.fr" in text
    assert "TLS Web Server Authentication, TLS Web Client Authentication" in text
    assert "Digital Signature, Key Encipherment" in text
    assert issued.dns_names == ["dui.alpha.fr", "api.alpha.fr"]


def test_ssl_serveur_without_a_name_is_refused():
    with pytest.raises(pki.CsrRejected) as error:
        issue(pki.Profile.SSL_SERVEUR, make_csr(cn=""))
    assert error.value.code == "dns_name_required"
    assert not IssuedCertificate.objects.exists()


@pytest.mark.parametrize("name", ["INSI-AUTO", "INSI-MANU"])
def test_insi_certificate_is_named_insi_auto_or_manu(name):
    issued = issue(pki.Profile.ORG_AUTH_CLI_INSI, common_name=name)
    assert issued.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
    assert ExtendedKeyUsageOID.CLIENT_AUTH in issued.certificate.extensions.get_extension_for_class(
        x509.ExtendedKeyUsage
    ).value


@pytest.mark.parametrize("name", ["insi-auto", "INSI_AUTO", "Logiciel DUI"])
def test_insi_certificate_with_another_name_is_refused(name):
    with pytest.raises(pki.CsrRejected) as error:
        issue(pki.Profile.ORG_AUTH_CLI_INSI, common_name=name)
    assert error.value.code == "insi_name_invalid"


def test_insi_names_are_reserved_to_the_insi_profile():
    with pytest.raises(pki.CsrRejected) as error:
        issue(pki.Profile.ORG_AUTH_CLI, common_name="INSI-AUTO")
    assert error.value.code == "insi_name_reserved"


def test_serials_are_random_159_bit_and_unique():
    serials = {issue().serial_number for _ in range(5)}
    assert len(serials) == 5
    assert all(0 < s < 2**159 for s in serials)


def test_ec_p256_key_is_accepted():
    issued = issue(csr=make_csr(ec_key("secp256r1")))
    assert issued.certificate.public_key().curve.name == "secp256r1"


def test_chain_pem_is_leaf_then_authority_then_root(tmp_path):
    issued = issue()
    chain = pki.chain_pem(issued)
    assert chain.count("BEGIN CERTIFICATE") == 3
    bundle = tmp_path / "chain.pem"
    bundle.write_text(chain)
    result = openssl("verify", "-CAfile", str(bundle), "-untrusted", str(bundle), str(bundle))
    assert result.returncode == 0, result.stderr


def test_chain_as_der_pkcs7():
    der = pki.chain_pkcs7_der(issue())
    result = openssl("pkcs7", "-inform", "DER", "-print_certs", "-noout", input=der)
    assert result.returncode == 0
    assert result.stdout.decode().count("subject=") == 3


def test_generated_key_comes_in_a_pkcs12_under_the_holders_passphrase(tmp_path):
    from cryptography.hazmat.primitives.serialization import pkcs12

    issued, bundle = pki.issue_with_generated_key(
        passphrase="une phrase de passe longue", profile=pki.Profile.ORG_SIGN,
        organisation_name="ASSOCIATION ALPHA", organisation_id=FINESS_ID, common_name="Logiciel DUI",
    )
    key, cert, cas = pkcs12.load_key_and_certificates(bundle, b"une phrase de passe longue")
    assert cert == issued.certificate and len(cas) == 2
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()
    path = tmp_path / "bundle.p12"
    path.write_bytes(bundle)
    result = openssl("pkcs12", "-in", str(path), "-passin", "pass:une phrase de passe longue", "-nokeys", "-info")
    assert result.returncode == 0, result.stderr


def test_pkcs12_needs_a_long_enough_passphrase():
    with pytest.raises(pki.CsrRejected) as error:
        pki.issue_with_generated_key(
            passphrase="court", profile=pki.Profile.ORG_SIGN, organisation_name="A", organisation_id=FINESS_ID,
            common_name="Logiciel",
        )
    assert error.value.code == "weak_passphrase"


def test_cps_card_certificate_has_a_multivalued_rdn_and_no_organisation():
    issued = pki.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="DUPONT", given_name="CAROLE", title="Pharmacien",
    )
    cert = issued.certificate
    assert cert.subject.rfc4514_string(NAMES) == "SN=DUPONT+GN=CAROLE+CN=899700218896,title=Pharmacien,C=FR"
    assert not cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert issued.authority == pki.PERSONS and issued.profile == pki.Profile.PERSON_AUTH
    assert "TLS Web Client Authentication" in x509_text(issued)


def test_staff_card_certificate_names_the_structure():
    issued = pki.issue_person_certificate(
        rsa_key().public_key(), national_id="3010780054/CPET00001", surname="MARTIN", given_name="ALICE",
        title="Carte de service santé ou social", organisation_name="ASSOCIATION ALPHA",
        organisation_id=FINESS_ID, departement="1",
    )
    assert issued.certificate.subject.rfc4514_string(NAMES) == (
        "CN=3010780054/CPET00001,title=Carte de service santé ou social,OU=1010780054,"
        "O=ASSOCIATION ALPHA,ST=Ain (01),C=FR"
    )


def test_card_certificate_follows_the_cards_expiry():
    end = datetime(2027, 5, 1, 12, tzinfo=UTC)
    issued = pki.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="D", given_name="C", title="Pharmacien",
        not_after=end,
    )
    assert issued.not_after == end


def test_card_certificate_from_a_pem_public_key():
    from cryptography.hazmat.primitives import serialization

    pem = rsa_key().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    issued = pki.issue_person_certificate(
        pem, national_id="899700218896", surname="D", given_name="C", title="Pharmacien"
    )
    assert issued.certificate.public_key() == rsa_key().public_key()


def test_card_certificate_refuses_a_weak_key():
    with pytest.raises(pki.CsrRejected) as error:
        pki.issue_person_certificate(
            rsa_key(1024).public_key(), national_id="899700218896", surname="D", given_name="C", title="P"
        )
    assert error.value.code == "weak_key"


@pytest.mark.parametrize("name", [
    "LOG\u202eICIEL\U0001F600",  # a right-to-left override and an emoji: shows what it is not
    "Logiciel\u200bDUI",  # a zero-width space
    "Logiciel <DUI>",
    "Logiciel\nDUI",
])
def test_a_name_outside_the_profiles_character_set_is_refused(name):
    with pytest.raises(pki.CsrRejected) as refused:
        issue(csr=make_csr(cn=name))
    assert refused.value.code == "invalid_subject_characters"
    assert "\u202e" not in refused.value.message  # the refusal quotes code points, not the characters
    assert not IssuedCertificate.objects.exists()


def test_a_requested_name_and_an_organisation_name_are_held_to_the_same_set():
    for kwargs in ({"common_name": "DUI\U0001F600"}, {"organisation_name": "ASSOCIATION\u202eALPHA"}):
        with pytest.raises(pki.CsrRejected) as refused:
            issue(**kwargs)
        assert refused.value.code == "invalid_subject_characters"


def test_french_names_and_the_observed_punctuation_are_certified_in_nfc():
    issued = issue(common_name="E\u0301tablissement L'Œuvre (69) - DMP/2019, Soins & Santé+.")
    assert issued.common_name == "Établissement L'Œuvre (69) - DMP/2019, Soins & Santé+."
    assert issued.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == issued.common_name
