"""Renewing over the API: a new certificate from a new CSR or a generated key; once (R-CER-4)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import CertificateOrder
from tests.certificates import conftest as cast
from tests.kernel.pki_support import make_csr, rsa_key

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth


def url(order):
    return f"/api/v1/certificates/{order.pk}/renew/"


@pytest.mark.rule("R-CER-4")
def test_renewal_from_a_csr_file(api, org_auth, dave):
    upload = SimpleUploadedFile("dui.csr", make_csr(cn="DUI Alpha"))
    response = api(dave).post(url(org_auth), {"csr_file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["renews"] == str(org_auth.pk) and response.json()["software_name"] == "DUI Alpha"
    detail = api(dave).get(f"/api/v1/certificates/{org_auth.pk}/").json()
    assert detail["renewed_by"] == [response.json()["id"]] and detail["state"] == "issued"


def test_renewal_with_a_generated_key_gives_the_pkcs12_link(api, org_auth, dave):
    response = api(dave).post(url(org_auth), {"passphrase": "une phrase de passe solide"}, format="json")
    assert response.status_code == 201 and response.json()["method"] == "generated"
    assert api(dave).post(response.json()["pkcs12_download"]).status_code == 200


def test_a_certificate_renews_once(api, org_auth, dave):
    api(dave).post(url(org_auth), {"csr": make_csr(cn="DUI Alpha").decode()}, format="json")
    response = api(dave).post(url(org_auth), {"csr": make_csr(cn="DUI Alpha").decode()}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_renewed"


def test_a_weak_csr_renews_nothing(api, org_auth, dave):
    response = api(dave).post(url(org_auth), {"csr": make_csr(rsa_key(1024)).decode()}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "weak_key"
    assert CertificateOrder.objects.count() == 1


def test_an_outsider_gets_404(api, org_auth, charlie):
    response = api(charlie).post(url(org_auth), {"csr": make_csr().decode()}, format="json")
    assert response.status_code == 404 and CertificateOrder.objects.count() == 1


@pytest.mark.rule("R-CER-4")
def test_a_token_is_not_a_card_login_in_production(api, org_auth, dave, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    response = api(dave).post(url(org_auth), {"csr": make_csr(cn="DUI Alpha").decode()}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "card_login_required"
