"""CSR checks: stable codes, nothing issued by mistake; the parser is fuzzed."""

import pytest
from cryptography import x509
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from esms_portal import pki
from esms_portal.models import IssuedCertificate
from esms_portal.pki.csr import read_csr

from .pki_support import FINESS_ID, ec_key, make_csr, rsa_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki")]


def rejection(csr, profile=pki.Profile.ORG_AUTH_CLI, **kwargs) -> pki.CsrRejected:
    kwargs.setdefault("organisation_name", "ASSOCIATION ALPHA")
    kwargs.setdefault("organisation_id", FINESS_ID)
    with pytest.raises(pki.CsrRejected) as error:
        pki.issue_from_csr(csr, profile=profile, **kwargs)
    assert not IssuedCertificate.objects.exists()
    assert error.value.message  # a French sentence for the UI
    return error.value


def test_der_csr_is_accepted():
    issued = pki.issue_from_csr(
        make_csr(pem=False), profile=pki.Profile.ORG_AUTH_CLI, organisation_name="A", organisation_id=FINESS_ID
    )
    assert issued.pk


GARBAGE = [b"", b"   ", b"hello", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n", b"\x30\x82\x01"]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_is_malformed(data):
    assert rejection(data).code == "csr_malformed"


def test_truncated_csr_is_malformed():
    pem = make_csr()
    assert rejection(pem[: len(pem) // 2]).code == "csr_malformed"
    der = make_csr(pem=False)
    assert rejection(der[:-10]).code == "csr_malformed"


def test_a_certificate_is_not_a_csr():
    issued = pki.issue_from_csr(make_csr(), profile=pki.Profile.ORG_AUTH_CLI, organisation_name="A",
                                organisation_id=FINESS_ID)
    pem = issued.pem.encode()
    issued.delete()
    assert rejection(pem).code == "csr_malformed"


def test_huge_input_is_refused():
    assert rejection(b"A" * 70_000).code == "csr_too_large"


def test_tampered_signature_is_refused():
    der = bytearray(make_csr(pem=False))
    der[-5] ^= 0xFF  # inside the signature value
    assert rejection(bytes(der)).code == "csr_bad_signature"


def test_rsa_1024_is_a_weak_key():
    error = rejection(make_csr(rsa_key(1024)))
    assert error.code == "weak_key" and error.details == {"key_size": 1024}


def test_other_curves_are_refused():
    assert rejection(make_csr(ec_key("secp256k1"))).code == "weak_key"


def test_p384_is_accepted():
    issued = pki.issue_from_csr(make_csr(ec_key("secp384r1")), profile=pki.Profile.ORG_AUTH_CLI,
                                organisation_name="A", organisation_id=FINESS_ID)
    assert issued.certificate.public_key().curve.name == "secp384r1"


def test_ed25519_is_unsupported():
    from cryptography.hazmat.primitives.asymmetric import ed25519

    csr = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "x")])
    ).sign(ed25519.Ed25519PrivateKey.generate(), None)
    from cryptography.hazmat.primitives.serialization import Encoding

    assert rejection(csr.public_bytes(Encoding.PEM)).code == "unsupported_key"


def test_another_structure_in_the_csr_is_out_of_scope():
    error = rejection(make_csr(ou="1750000000"))
    assert error.code == "csr_name_out_of_scope" and error.details == {"names": ["1750000000"]}


def test_the_structure_itself_in_the_csr_is_in_scope():
    issued = pki.issue_from_csr(make_csr(ou=FINESS_ID), profile=pki.Profile.ORG_AUTH_CLI,
                                organisation_name="A", organisation_id=FINESS_ID)
    assert issued.holder_id == FINESS_ID


def test_dns_name_outside_the_declared_scope_is_refused():
    csr = make_csr(cn="dui.alpha.fr", dns=["dui.alpha.fr", "www.evil.example"])
    error = rejection(csr, pki.Profile.SSL_SERVEUR, allowed_dns_names=["dui.alpha.fr"])
    assert error.code == "csr_name_out_of_scope" and error.details == {"names": ["www.evil.example"]}


def test_server_cn_outside_the_scope_is_refused():
    error = rejection(make_csr(cn="evil.example"), pki.Profile.SSL_SERVEUR, allowed_dns_names=["dui.alpha.fr"])
    assert error.code == "csr_name_out_of_scope"


def test_a_wildcard_scope_covers_one_label_only():
    csr = make_csr(cn="a.b.alpha.fr")
    assert rejection(csr, pki.Profile.SSL_SERVEUR, allowed_dns_names=["*.alpha.fr"]).code == "csr_name_out_of_scope"


def test_email_or_ip_in_the_san_is_out_of_scope():
    import ipaddress

    csr = make_csr(extra_san=[x509.IPAddress(ipaddress.ip_address("10.0.0.1"))])
    assert rejection(csr).code == "csr_name_out_of_scope"


def test_invalid_dns_name_is_refused():
    error = rejection(make_csr(cn="pas un nom"), pki.Profile.SSL_SERVEUR, allowed_dns_names=["dui.alpha.fr"])
    assert error.code == "invalid_dns_name"


def test_unknown_profile_is_refused():
    assert rejection(make_csr(), "ORG_CONF").code == "unknown_profile"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2048))
def test_fuzzed_bytes_only_ever_raise_csr_rejected(data):
    try:
        read_csr(data)
    except pki.CsrRejected as error:
        assert error.code
        assert error.message


VALID_DER = make_csr(pem=False)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID_DER) - 1), st.integers(0, 255), st.integers(1, len(VALID_DER)))
@example(position=10, value=1, cut=len(VALID_DER))  # found by this test: an invalid CSR version
def test_mutated_csrs_only_ever_raise_csr_rejected(position, value, cut):
    data = bytearray(VALID_DER)
    data[position] = value
    for candidate in (bytes(data), bytes(data[:cut])):
        try:
            read_csr(candidate)
        except pki.CsrRejected:
            pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_fuzzed_pem_text_only_ever_raises_csr_rejected(body):
    try:
        read_csr(f"-----BEGIN CERTIFICATE REQUEST-----\n{body}\n-----END CERTIFICATE REQUEST-----\n")
    except pki.CsrRejected:
        pass
