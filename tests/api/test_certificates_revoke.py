"""Revoking over the API: a reason, the CRL at once, twice is a 409 (R-CER-4)."""

import pytest
from cryptography import x509

from esms_portal import pki as igc
from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth


def url(order):
    return f"/api/v1/certificates/{order.pk}/revoke/"


@pytest.mark.rule("R-CER-4")
def test_the_administrator_revokes_and_the_crl_lists_it(api, org_auth, dave):
    response = api(dave).post(url(org_auth), {"reason": "Serveur compromis", "revocation_reason": "key_compromise"},
                              format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["state"] == "revoked" and data["revocation_reason"] == "key_compromise" and data["revoked_at"]
    assert data["history"][-1]["act"] == "revoke" and data["history"][-1]["reason"] == "Serveur compromis"
    crl = x509.load_der_x509_crl(igc.crl_der("organisations"))
    assert crl.get_revoked_certificate_by_serial_number(org_auth.certificate.serial_number) is not None


def test_a_reason_is_required(api, org_auth, dave):
    response = api(dave).post(url(org_auth), {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"


def test_an_unknown_revocation_reason_is_refused(api, org_auth, dave):
    response = api(dave).post(url(org_auth), {"reason": "x", "revocation_reason": "lost"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "revocation_reason_invalid"


def test_revoking_twice_is_a_409(api, org_auth, dave):
    api(dave).post(url(org_auth), {"reason": "Remplacé"}, format="json")
    response = api(dave).post(url(org_auth), {"reason": "Encore"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_revoked"


def test_the_legal_representative_may_not_revoke(api, org_auth, alice):
    response = api(alice).post(url(org_auth), {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_an_outsider_gets_404(api, org_auth, charlie):
    assert api(charlie).post(url(org_auth), {"reason": "x"}, format="json").status_code == 404
    org_auth.refresh_from_db()
    assert org_auth.state == "issued"


@pytest.mark.rule("R-CER-4")
def test_a_token_is_not_a_card_login_in_production(api, org_auth, dave, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    response = api(dave).post(url(org_auth), {"reason": "x"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "card_login_required"
