"""F503 over the API: add or remove a technical administrator (R-CER-1, R-CER-2)."""

import pytest

from certificates import selectors
from certificates.models import AdministratorChange
from tests.certificates import conftest as cast
from tests.factories import CardFactory, UserFactory

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted = cast.f413, cast.f413_accepted

URL = "/api/v1/certificates/f503/"


@pytest.fixture
def erin(alpha):
    user = UserFactory(email="erin@alpha.example", first_name="Erin", last_name="Admin")
    CardFactory(active=True, holder=user, organisation=alpha)
    return user


def file(client, alpha, action, email):
    return client.post(URL, {"organisation": str(alpha.pk), "action": action, "administrator_email": email},
                       format="json")


def instruct(client, form_id, act):
    return client.post(f"{URL}{form_id}/{act}/", {}, format="json")


@pytest.mark.rule("R-CER-1")
def test_add_then_remove_an_administrator(api, f413_accepted, alice, ana, alpha, dave, erin):
    added = file(api(alice), alpha, "add", erin.email)
    assert added.status_code == 201 and added.json()["form"] == "F503" and added.json()["action"] == "add"
    assert added.json()["administrator"] == {"name": str(erin), "email": erin.email}
    instruct(api(ana), added.json()["id"], "start-instruction")
    assert instruct(api(ana), added.json()["id"], "accept").json()["state"] == "accepted"
    assert selectors.is_technical_admin(erin, alpha.pk)
    removed = file(api(alice), alpha, "remove", dave.email).json()
    instruct(api(ana), removed["id"], "start-instruction")
    instruct(api(ana), removed["id"], "accept")
    assert not selectors.is_technical_admin(dave, alpha.pk)


@pytest.mark.rule("R-CER-1")
def test_the_last_administrator_stays(api, f413_accepted, alice, ana, alpha, dave):
    form_id = file(api(alice), alpha, "remove", dave.email).json()["id"]
    instruct(api(ana), form_id, "start-instruction")
    response = instruct(api(ana), form_id, "accept")
    assert response.status_code == 409 and response.json()["code"] == "prerequisite_missing"


@pytest.mark.parametrize(("action", "email", "code"), [
    ("promote", "dave@editeur.example", "action_required"),
    ("remove", "erin@alpha.example", "not_an_administrator"),
    ("add", "inconnu@nulle-part.example", "administrator_not_designable"),
])
def test_bad_inputs_give_the_services_codes(api, f413_accepted, alice, alpha, erin, action, email, code):
    response = file(api(alice), alpha, action, email)
    assert response.status_code == 400 and response.json()["code"] == code
    assert not AdministratorChange.objects.exists()


def test_an_accepted_f413_comes_first(api, f413, alice, alpha, erin):
    response = file(api(alice), alpha, "add", erin.email)
    assert response.status_code == 409 and response.json()["code"] == "f413_required"


def test_outsiders_get_404(api, f413_accepted, alice, charlie, alpha, erin):
    assert file(api(charlie), alpha, "add", erin.email).status_code == 404
    form_id = file(api(alice), alpha, "add", erin.email).json()["id"]
    assert api(charlie).get(f"{URL}{form_id}/").status_code == 404
    assert len(api(charlie).get(URL).json()["results"]) == 0
    assert len(api(alice).get(URL).json()["results"]) == 1
