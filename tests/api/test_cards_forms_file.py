import pytest

from cards.models import MandateRequest, StaffCardOrder
from tests.cards.conftest import staff_line
from tests.factories import CardFactory, UserFactory

BASE = "/api/v1/card-forms"


def test_the_legal_representative_files_an_f101(api, alice, alpha, draft):
    data = {"organisation": str(alpha.pk), "delivery_address": "1 rue de la Paix", "holder_title": "Directrice"}
    response = api(alice).post(f"{BASE}/f101/", data, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["form"] == "F101" and body["state"] == "submitted" and body["family"] == "CDE"
    assert "unmet_prerequisites" in body and body["available_acts"] == ["withdraw"]


def test_an_f101_without_contract_answers_its_code(api, alice, alpha):
    response = api(alice).post(f"{BASE}/f101/", {"organisation": str(alpha.pk), "delivery_address": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "contract_required"


def test_an_f301_with_lines_and_establishments(api, alice, alpha, alice_card):
    site = alpha.sites_for_test[0]
    lines = [staff_line(establishments=[str(site.pk)], make_mandataire=True),
             staff_line(last_name="Morel", email="morel@alpha.example")]
    response = api(alice).post(f"{BASE}/f301/", {"organisation": str(alpha.pk), "lines": lines}, format="json")
    assert response.status_code == 201
    first, second = response.json()["lines"]
    assert first["establishments"] == [str(site.pk)] and first["make_mandataire"] and first["family"] == "CPE"
    assert second["last_name"] == "Morel"


def test_incomplete_f301_lines_come_back_per_line(api, alice, alpha, alice_card):
    lines = [staff_line(), staff_line(email="", title="")]
    response = api(alice).post(f"{BASE}/f301/", {"organisation": str(alpha.pk), "lines": lines}, format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "invalid_lines"
    assert set(body["details"]["1"]) == {"email", "title"}
    assert not StaffCardOrder.objects.exists()


def test_an_f301_without_an_ordering_card_is_a_409(api, alice, alpha):
    response = api(alice).post(f"{BASE}/f301/", {"organisation": str(alpha.pk), "lines": [staff_line()]},
                               format="json")
    assert response.status_code == 409 and response.json()["code"] == "ordering_service_needs_card"


def test_an_f502_names_a_card_of_the_organisation(api, alice, alpha, beta):
    designee = CardFactory(active=True, organisation=alpha)
    data = {"organisation": str(alpha.pk), "action": "designate", "designee_card": str(designee.pk)}
    response = api(alice).post(f"{BASE}/f502/", data, format="json")
    assert response.status_code == 201 and response.json()["designee_card"]["id"] == str(designee.pk)
    foreign = CardFactory(active=True, organisation=beta)
    response = api(alice).post(f"{BASE}/f502/", {**data, "designee_card": str(foreign.pk)}, format="json")
    assert response.status_code == 404
    assert MandateRequest.objects.count() == 1


def test_a_mandataire_may_not_file_an_f502(api, bob, alpha, alice_card):
    data = {"organisation": str(alpha.pk), "action": "designate", "designee_card": str(alice_card.pk)}
    response = api(bob).post(f"{BASE}/f502/", data, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"


def test_an_outsider_cannot_file_for_another_organisation(api, charlie, alpha):
    response = api(charlie).post(f"{BASE}/f101/", {"organisation": str(alpha.pk), "delivery_address": "x"},
                                 format="json")
    assert response.status_code == 404


def test_f414_orders_test_cards_and_lists_them(api, bob, alpha, charlie):
    data = {"organisation": str(alpha.pk), "family": "CPE", "quantity": 2, "delivery_address": "1 rue du Test"}
    response = api(bob).post(f"{BASE}/f414/", data, format="json")
    assert response.status_code == 201 and response.json()["quantity"] == 2
    assert len(api(bob).get(f"{BASE}/f414/").json()["results"]) == 1
    assert len(api(charlie).get(f"{BASE}/f414/").json()["results"]) == 0
    response = api(bob).post(f"{BASE}/f414/", {**data, "quantity": 40}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_quantity"


@pytest.mark.rule("R-CRD-19", "R-CRD-4")
def test_an_f301_naming_a_carded_mandataire_answers_the_f502_code(api, alice, alpha, alice_card, accepted):
    CardFactory(active=True, holder=UserFactory(email="lucie@alpha.example"), organisation=alpha)
    lines = [staff_line(make_mandataire=True)]
    response = api(alice).post(f"{BASE}/f301/", {"organisation": str(alpha.pk), "lines": lines}, format="json")
    body = response.json()
    assert response.status_code == 400 and body["code"] == "mandataire_by_f502"
    assert "F502" in body["message"] and "make_mandataire" in body["details"]["0"]
    response = api(alice).post(f"{BASE}/f301/", {"organisation": str(alpha.pk), "lines": [staff_line()]},
                               format="json")
    assert response.status_code == 400 and response.json()["code"] == "second_card"
    assert not StaffCardOrder.objects.exists()


@pytest.mark.rule("R-CRD-14")
def test_f414_by_a_card_holder_without_a_role(api, alpha, beta):
    staff = UserFactory(email="lucie@alpha.example")
    CardFactory(active=True, holder=staff, organisation=alpha, family="CPE")
    data = {"organisation": str(alpha.pk), "family": "CPE", "quantity": 1, "delivery_address": "1 rue du Test"}
    response = api(staff).post(f"{BASE}/f414/", data, format="json")
    assert response.status_code == 201 and response.json()["ordered_by"] == str(staff)
    assert len(api(staff).get(f"{BASE}/f414/").json()["results"]) == 1
    response = api(staff).post(f"{BASE}/f414/", {**data, "organisation": str(beta.pk)}, format="json")
    assert response.status_code == 404
