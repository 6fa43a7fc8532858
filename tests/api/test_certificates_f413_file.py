"""Filing the F413 over the API (R-CER-1 to R-CER-3): the services' codes, 404 outside."""

import pytest

from certificates.models import AdministratorDesignation
from esms_portal.models import Role, RoleGrant
from tests.certificates import conftest as cast
from tests.factories import UserFactory

_authorities, dave = cast._authorities, cast.dave

URL = "/api/v1/certificates/f413/"


def body(alpha, **values):
    return {
        "organisation": str(alpha.pk), "structure_id_kind": "finess", "structure_id": alpha.sites_for_test[0].finess,
        "certificate_types": ["ORG_AUTH_CLI", "ORG_SIGN"], "administrator_emails": ["dave@editeur.example"],
        "software_names": ["DUI Alpha"], **values,
    }


@pytest.mark.rule("R-CER-1", "R-CER-3")
def test_the_legal_representative_files_the_f413(api, accepted, alice, alice_card, alpha, dave):
    response = api(alice).post(URL, body(alpha), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["form"] == "F413" and data["state"] == "submitted" and data["filed_by"] == str(alice)
    assert data["administrators"] == [{"name": "", "email": dave.email}]  # not yet a member: no name
    assert data["certificate_types"] == ["ORG_AUTH_CLI", "ORG_SIGN"] and data["available_acts"] == ["withdraw"]
    assert data["history"][0]["act"] == "file"


@pytest.mark.rule("R-CER-3")
@pytest.mark.parametrize(("values", "code"), [
    ({"structure_id": "123"}, "structure_id_invalid"),
    ({"structure_id_kind": "rpps"}, "structure_id_invalid"),
    ({"certificate_types": []}, "certificate_types_required"),
    ({"certificate_types": ["SSL_SERVEUR"]}, "server_name_required"),
    ({"certificate_types": ["SSL_SERVEUR"], "server_names": ["pas un nom"]}, "server_name_invalid"),
    ({"administrator_emails": []}, "administrator_required"),
    ({"administrator_emails": ["inconnu@nulle-part.example"]}, "administrator_not_designable"),
])
def test_bad_inputs_give_the_services_codes(api, accepted, alice, alice_card, alpha, dave, values, code):
    response = api(alice).post(URL, body(alpha, **values), format="json")
    assert response.status_code == 400 and response.json()["code"] == code
    assert not AdministratorDesignation.objects.exists()


@pytest.mark.rule("R-CER-2")
def test_a_designee_without_a_card_is_a_409(api, accepted, alice, alice_card, alpha):
    colleague = UserFactory(email="nocard@alpha.example")  # a member: the filer knows him
    RoleGrant.objects.create(user=colleague, role=Role.PROFESSIONAL, organisation=alpha)
    response = api(alice).post(URL, body(alpha, administrator_emails=["nocard@alpha.example"]), format="json")
    assert response.status_code == 409 and response.json()["code"] == "administrator_card_required"


@pytest.mark.rule("R-CER-2")
def test_the_contract_comes_first(api, alice, alice_card, alpha, dave):
    response = api(alice).post(URL, body(alpha), format="json")
    assert response.status_code == 409 and response.json()["code"] == "contract_required"


@pytest.mark.rule("R-CER-2")
def test_the_filer_needs_a_card(api, accepted, alice, alpha, dave):
    response = api(alice).post(URL, body(alpha), format="json")
    assert response.status_code == 409 and response.json()["code"] == "filer_card_required"


def test_an_administrator_may_not_file(api, accepted, alice_card, alpha, dave):
    from esms_portal.models import Role, RoleGrant

    RoleGrant.objects.create(user=dave, role=Role.TECHNICAL_ADMIN, organisation=alpha)
    response = api(dave).post(URL, body(alpha), format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_an_outsider_gets_404(api, accepted, charlie, alpha, dave):
    response = api(charlie).post(URL, body(alpha), format="json")
    assert response.status_code == 404 and not AdministratorDesignation.objects.exists()


@pytest.mark.rule("R-FIN-3", "R-FIN-5")
def test_an_organisation_with_patients_may_not_give_a_siret(api, accepted, alice, alice_card, alpha, dave):
    response = api(alice).post(URL, body(alpha, structure_id_kind="siret", structure_id="18751275100020"),
                               format="json")
    assert response.status_code == 400 and response.json()["code"] == "siret_not_allowed"
    assert not AdministratorDesignation.objects.exists()
