"""The OCSP responders, judged by the real `openssl ocsp` client over HTTP (RFC 6960)."""

import base64
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp as x509_ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.test import override_settings

from esms_portal import pki as igc  # `pki` is the fixture: the authorities' directory
from esms_portal.pki import ocsp

from .pki_support import FINESS_ID, make_csr, openssl, rsa_key, x509_text

pytestmark = [pytest.mark.django_db(transaction=True)]


def issue():
    return igc.issue_from_csr(make_csr(), profile=igc.Profile.ORG_AUTH_CLI, organisation_name="ASSOCIATION ALPHA",
                              organisation_id=FINESS_ID, departement="69")


def ask_openssl(tmp_path, pki_dir, url, *, authority="organisations", issued=None, serial=None, nonce=True):
    issuer = tmp_path / "issuer.pem"
    issuer.write_bytes(igc.ca_certificate(authority).public_bytes(serialization.Encoding.PEM))
    args = ["ocsp", "-issuer", str(issuer), "-url", url, "-CAfile", str(pki_dir / "ca-bundle.pem"), "-resp_text"]
    if issued is not None:
        leaf = tmp_path / "leaf.pem"
        leaf.write_text(issued.pem)
        args += ["-cert", str(leaf)]
    else:
        args += ["-serial", serial]
    if not nonce:
        args.append("-no_nonce")
    result = openssl(*args)
    return result.returncode, (result.stdout + result.stderr).decode()


def ocsp_url(live_server, authority="organisations"):
    return f"{live_server.url}/pki/ocsp/{authority}"


def test_a_valid_certificate_is_good_and_the_answer_verifies(pki, live_server, tmp_path):
    code, output = ask_openssl(tmp_path, pki, ocsp_url(live_server), issued=issue())
    assert code == 0, output
    assert "Response verify OK" in output
    assert "leaf.pem: good" in output
    assert "OCSP Nonce" in output and "WARNING: no nonce" not in output


def test_a_revoked_certificate_is_revoked_with_its_time_and_reason(pki, live_server, tmp_path):
    issued = issue()
    igc.revoke(issued, reason="key_compromise")
    code, output = ask_openssl(tmp_path, pki, ocsp_url(live_server), issued=issued)
    assert code == 0, output
    assert "Response verify OK" in output
    assert "leaf.pem: revoked" in output
    assert "Reason: keyCompromise" in output
    assert "Revocation Time:" in output


def test_a_serial_the_authority_never_issued_is_unknown(pki, live_server, tmp_path):
    code, output = ask_openssl(tmp_path, pki, ocsp_url(live_server), serial="0x1234567890ABCDEF")
    assert code == 0, output
    assert "Response verify OK" in output
    assert ": unknown" in output


def test_a_card_certificate_is_answered_by_the_persons_responder(pki, live_server, tmp_path):
    issued = igc.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="D", given_name="C", title="Pharmacien"
    )
    code, output = ask_openssl(tmp_path, pki, ocsp_url(live_server, "personnes"), authority="personnes",
                               issued=issued)
    assert code == 0, output
    assert "Response verify OK" in output and "leaf.pem: good" in output


def test_issued_certificates_name_their_ocsp_responder(pki):
    assert "OCSP - URI:" in x509_text(issue())  # as openssl reads it
    aia = issue().certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    urls = [d.access_location.value for d in aia if d.access_method == x509.oid.AuthorityInformationAccessOID.OCSP]
    assert len(urls) == 1 and urls[0].endswith("/pki/ocsp/organisations")


def test_the_responder_is_a_delegated_ocsp_signer_of_its_authority(pki):
    signer = ocsp.responder("organisations").certificate
    assert signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.OCSP_SIGNING]
    )
    assert signer.extensions.get_extension_for_class(x509.OCSPNoCheck)
    signer.verify_directly_issued_by(igc.ca_certificate("organisations"))
    # Made once: a second process reads the same files rather than making another.
    ocsp._responders.clear()
    assert ocsp.responder("organisations").certificate == signer


def _request_der(issued, *, nonce=b""):
    builder = x509_ocsp.OCSPRequestBuilder().add_certificate(
        issued.certificate, igc.ca_certificate(issued.authority), hashes.SHA1()
    )
    if nonce:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    return builder.build().public_bytes(serialization.Encoding.DER)


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, answer.read(), answer.headers.get("Content-Type")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type")


def test_the_get_form_answers_with_the_nonce(pki, live_server):
    issued = issue()
    encoded = base64.b64encode(_request_der(issued, nonce=b"0123456789abcdef")).decode()
    status, body, content_type = _get(f"{ocsp_url(live_server)}/{urllib.parse.quote(encoded, safe='')}")
    assert status == 200 and content_type == "application/ocsp-response"
    answer = x509_ocsp.load_der_ocsp_response(body)
    assert answer.response_status == x509_ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == x509_ocsp.OCSPCertStatus.GOOD
    assert answer.serial_number == issued.serial_number
    assert answer.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce == b"0123456789abcdef"


def test_a_question_to_the_wrong_authority_is_unauthorized_and_garbage_malformed(pki, live_server):
    person = igc.issue_person_certificate(
        rsa_key().public_key(), national_id="899700218896", surname="D", given_name="C", title="Pharmacien"
    )
    wrong = x509_ocsp.load_der_ocsp_response(ocsp.answer(_request_der(person), authority="organisations"))
    assert wrong.response_status == x509_ocsp.OCSPResponseStatus.UNAUTHORIZED
    garbage = x509_ocsp.load_der_ocsp_response(ocsp.answer(b"MZ\x90\x00 not an OCSP request"))
    assert garbage.response_status == x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    status, body, _ = _get(f"{ocsp_url(live_server)}/%25%25%25")
    assert status == 200
    assert x509_ocsp.load_der_ocsp_response(body).response_status == x509_ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    assert _get(f"{live_server.url}/pki/ocsp/racine/AAAA")[0] == 404


def test_a_client_asking_too_fast_is_told_to_try_later(pki, client):
    issued = issue()
    with override_settings(PORTAL_OCSP_RATE="2/m"):
        answers = [client.post("/pki/ocsp/organisations", _request_der(issued),
                               content_type="application/ocsp-request", REMOTE_ADDR="192.0.2.77") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert x509_ocsp.load_der_ocsp_response(answers[2].content).response_status == (
        x509_ocsp.OCSPResponseStatus.TRY_LATER
    )
