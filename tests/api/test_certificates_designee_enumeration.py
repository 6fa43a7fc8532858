"""F413/F503 tell a filer nothing about people he cannot know: whether an address outside his
organisation (or an ANS agent's) has an account or a card is one answer, naming nobody, and a
designated stranger is shown by the address typed, never by his name."""

import pytest
from django.urls import reverse

from tests.certificates import conftest as cast
from tests.factories import CardFactory, UserFactory

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted = cast.f413, cast.f413_accepted

F413_URL, F503_URL = "/api/v1/certificates/f413/", "/api/v1/certificates/f503/"


@pytest.fixture
def strangers(beta, ana):
    """Addresses the filer cannot know about: no account, another organisation's legal
    representative without a card, an ANS agent without and with a card."""
    outsider = UserFactory(email="zoe@beta.example", first_name="Zoé", last_name="Secrète")
    agent_with_card = UserFactory(email="agent2@esante.example", is_staff=True, first_name="Paul", last_name="Agent")
    CardFactory(active=True, holder=agent_with_card, family="CPA")
    return {"nobody@nulle-part.example": None, outsider.email: outsider, ana.email: ana,
            agent_with_card.email: agent_with_card}


def f413_body(alpha, email):
    site = alpha.sites_for_test[0]
    return {"organisation": str(alpha.pk), "structure_id_kind": "finess", "structure_id": site.finess,
            "certificate_types": ["ORG_AUTH_CLI"], "administrator_emails": [email]}


def answers(post, strangers):
    """Each refusal with the typed address blanked out, and the names it would have leaked."""
    seen = set()
    for email, user in strangers.items():
        response = post(email)
        body = response.json()
        assert user is None or (user.last_name not in body["message"] and user.first_name not in body["message"])
        seen.add((response.status_code, body["code"], body["message"].replace(email, "<email>")))
    return seen


@pytest.mark.rule("R-CER-1")
def test_the_f413_answers_alike_for_every_person_the_filer_cannot_know(api, accepted, alice, alice_card, alpha,
                                                                     strangers):
    client = api(alice)
    seen = answers(lambda email: client.post(F413_URL, f413_body(alpha, email), format="json"), strangers)
    assert len(seen) == 1
    (status, code, _message), = seen
    assert (status, code) == (400, "administrator_not_designable")


@pytest.mark.rule("R-CER-1")
def test_the_f503_answers_alike_for_every_person_the_filer_cannot_know(api, f413_accepted, alice, alpha, strangers):
    client = api(alice)
    body = {"organisation": str(alpha.pk), "action": "add"}
    seen = answers(lambda email: client.post(F503_URL, {**body, "administrator_email": email}, format="json"),
                   strangers)
    assert [code for _, code, _ in seen] == ["administrator_not_designable"]


def test_a_member_without_a_card_is_named_as_the_filer_knows_him(api, accepted, alice, alice_card, alpha, bob):
    response = api(alice).post(F413_URL, f413_body(alpha, bob.email), format="json")
    assert response.status_code == 409 and response.json()["code"] == "administrator_card_required"
    assert "Bob Durand" in response.json()["message"]


def test_a_designated_stranger_is_shown_by_his_address_not_his_name(client, api, f413, alice, ana, dave):
    detail = reverse("certificates:f413_detail", args=[f413.pk])
    client.force_login(alice)
    page = client.get(detail).content.decode()
    assert dave.email in page and "Editeur" not in page
    assert api(alice).get(f"{F413_URL}{f413.pk}/").json()["administrators"] == [{"name": "", "email": dave.email}]
    client.force_login(ana)  # the instructing agent reads the names
    assert "Dave Editeur" in client.get(detail).content.decode()
