"""Ordering a certificate from a CSR over the API: JSON or multipart, stable codes, nothing issued
on a refusal, the card login in production (R-CER-4, R-CER-5)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import CertificateOrder
from esms_portal.models import IssuedCertificate
from tests.certificates import conftest as cast
from tests.kernel.pki_support import make_csr, rsa_key

# The certificates cast (dave, alpha's F413 at each stage), shared with tests/certificates.
_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth

URL = "/api/v1/certificates/"


def body(alpha, **values):
    return {"organisation": str(alpha.pk), "profile": "ORG_AUTH_CLI", "software_name": "DUI Alpha", **values}


def nothing_issued() -> bool:
    return not CertificateOrder.objects.exists() and not IssuedCertificate.objects.exists()


@pytest.mark.rule("R-CER-4", "R-CER-5")
def test_the_administrator_orders_with_a_pem_csr_in_json(api, f413_accepted, dave, alpha):
    response = api(dave).post(URL, body(alpha, csr=make_csr(cn="DUI Alpha").decode()), format="json")
    assert response.status_code == 201
    data = response.json()
    order = CertificateOrder.objects.get()
    assert data["id"] == str(order.pk) and data["profile"] == "ORG_AUTH_CLI" and data["method"] == "csr"
    assert data["organisation"]["id"] == str(alpha.pk) and data["pkcs12_download"] is None
    assert data["capabilities"] == {"feed_dmp": True, "call_insi": False, "consult_dmp": False}
    assert f"OU=1{alpha.sites_for_test[0].finess}" in data["subject"]


def test_the_csr_may_be_a_der_file_in_multipart(api, f413_accepted, dave, alpha):
    upload = SimpleUploadedFile("dui.der", make_csr(cn="DUI Alpha", pem=False))
    response = api(dave).post(URL, body(alpha, csr_file=upload), format="multipart")
    assert response.status_code == 201 and response.json()["common_name"] == "DUI Alpha"


def test_a_pem_text_field_in_multipart_works_too(api, f413_accepted, dave, alpha):
    response = api(dave).post(URL, body(alpha, csr=make_csr(cn="DUI Alpha").decode()), format="multipart")
    assert response.status_code == 201


@pytest.mark.parametrize(("csr", "code"), [
    (b"", "csr_required"),
    (b"-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n", "csr_malformed"),
    (b"\x30\x03\x02\x01\x00", "csr_malformed"),
    (b"A" * (64 * 1024 + 10), "csr_too_large"),
])
def test_an_unreadable_csr_file_gives_its_code_and_issues_nothing(api, f413_accepted, dave, alpha, csr, code):
    data = body(alpha, csr_file=SimpleUploadedFile("x.csr", csr)) if csr else body(alpha)
    response = api(dave).post(URL, data, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == code
    assert nothing_issued()


@pytest.mark.rule("R-CER-4")
def test_a_weak_key_is_refused_and_issues_nothing(api, f413_accepted, dave, alpha):
    response = api(dave).post(URL, body(alpha, csr=make_csr(rsa_key(1024)).decode()), format="json")
    assert response.status_code == 400 and response.json()["code"] == "weak_key"
    assert nothing_issued()


@pytest.mark.rule("R-CER-3")
def test_a_csr_naming_another_structure_is_refused(api, f413_accepted, dave, alpha):
    csr = make_csr(cn="DUI Alpha", ou="1999999999").decode()
    response = api(dave).post(URL, body(alpha, csr=csr), format="json")
    assert response.status_code == 400 and response.json()["code"] == "csr_name_out_of_scope"
    assert nothing_issued()


@pytest.mark.rule("R-CER-5")
def test_a_second_certificate_for_the_same_software_is_a_409(api, org_auth, dave, alpha):
    response = api(dave).post(URL, body(alpha, csr=make_csr(cn="DUI Alpha").decode()), format="json")
    assert response.status_code == 409 and response.json()["code"] == "certificate_exists_for_software"
    assert CertificateOrder.objects.count() == 1


def test_a_type_outside_the_f413_is_a_409(api, f413_accepted, dave, alpha):
    response = api(dave).post(URL, body(alpha, profile="ORG_CONF", csr=make_csr().decode()), format="json")
    assert response.status_code == 409 and response.json()["code"] == "profile_not_in_scope"


@pytest.mark.rule("R-CER-4")
def test_the_legal_representative_is_not_an_administrator(api, f413_accepted, alice, alpha):
    response = api(alice).post(URL, body(alpha, csr=make_csr().decode()), format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"
    assert nothing_issued()


def test_an_outsider_gets_404_for_the_organisation(api, f413_accepted, charlie, alpha):
    response = api(charlie).post(URL, body(alpha, csr=make_csr().decode()), format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert nothing_issued()


@pytest.mark.rule("R-CER-4")
def test_a_token_is_not_a_card_login_in_production(api, f413_accepted, dave, alpha, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    response = api(dave).post(URL, body(alpha, csr=make_csr(cn="DUI Alpha").decode()), format="json")
    assert response.status_code == 403 and response.json()["code"] == "card_login_required"
    assert nothing_issued()


def test_a_csr_name_with_a_direction_override_and_an_emoji_is_refused_with_a_stable_code(api, f413_accepted, dave,
                                                                                          alpha):
    csr = make_csr(cn="LOG\u202eICIEL\U0001F600").decode()
    response = api(dave).post(URL, body(alpha, csr=csr), format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_subject_characters"
    assert response.json()["details"]["characters"] == ["U+1F600", "U+202E"]
    assert nothing_issued()
