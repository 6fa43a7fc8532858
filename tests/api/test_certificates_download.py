"""Downloading a certificate's chain: PEM, or DER as a certs-only PKCS#7, with their media types."""

from cryptography.hazmat.primitives.serialization import pkcs7

from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth


def url(order, fmt):
    return f"/api/v1/certificates/{order.pk}/chain/{fmt}/"


def test_the_pem_chain_goes_up_to_the_test_root(api, org_auth, alice):
    response = api(alice).get(url(org_auth, "pem"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pem-certificate-chain"
    assert response.content.decode().count("BEGIN CERTIFICATE") == 3
    assert response["Content-Disposition"].startswith('attachment; filename="TEST-ORG_AUTH_CLI-')


def test_the_der_chain_is_a_pkcs7(api, org_auth, dave):
    response = api(dave).get(url(org_auth, "der"), HTTP_ACCEPT="application/pkcs7-mime")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkcs7-mime"
    certificates = pkcs7.load_der_pkcs7_certificates(response.content)
    assert org_auth.certificate.certificate in certificates and len(certificates) == 3


def test_an_outsider_gets_a_json_404(api, org_auth, charlie):
    for fmt in ("pem", "der"):
        response = api(charlie).get(url(org_auth, fmt))
        assert response.status_code == 404 and response.json()["code"] == "not_found"
