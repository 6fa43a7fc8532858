import pytest

from cards import services
from cards.models import Card
from tests.cards.conftest import staff_line

BASE = "/api/v1/card-forms/f301"


@pytest.fixture
def f301(alice, alpha, alice_card):
    return services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])


def act(form, name):
    return f"{BASE}/{form.pk}/{name}/"


def test_an_agent_instructs_and_accepts_an_f301(api, ana, f301, accepted):
    client = api(ana)
    assert client.get(f"{BASE}/{f301.pk}/").json()["available_acts"] == ["start_instruction"]
    assert client.post(act(f301, "start-instruction")).json()["state"] == "in_instruction"
    body = client.post(act(f301, "accept")).json()
    assert body["state"] == "accepted" and body["lines"][0]["card"]
    assert Card.objects.get(pk=body["lines"][0]["card"]).state == "ordered"


def test_accepting_with_unmet_prerequisites_is_a_409_that_lists_them(api, ana, f301):
    client = api(ana)
    client.post(act(f301, "start-instruction"))
    response = client.post(act(f301, "accept"))
    assert response.status_code == 409 and response.json()["code"] == "prerequisite_missing"
    assert response.json()["details"]["unmet"]


def test_completion_round_trip(api, ana, alice, f301):
    api(ana).post(act(f301, "start-instruction"))
    response = api(ana).post(act(f301, "ask-completion"), {}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "reason_required"
    body = api(ana).post(act(f301, "ask-completion"), {"reason": "Précisez."}, format="json").json()
    assert body["state"] == "completion_requested" and body["decision_reason"] == "Précisez."
    assert api(alice).post(act(f301, "complete"), {"reason": "Voilà."}, format="json").json()["state"] == (
        "in_instruction"
    )


def test_a_lost_race_is_a_409(api, ana, f301):
    api(ana).post(act(f301, "start-instruction"))
    services.form_reject(actor=ana, form=f301, reason="Doublon")
    response = api(ana).post(act(f301, "reject"), {"reason": "Doublon"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state_conflict"


def test_the_organisation_may_not_instruct_but_may_withdraw(api, bob, f301):
    response = api(bob).post(act(f301, "start-instruction"))
    assert response.status_code == 403
    assert api(bob).post(act(f301, "withdraw")).json()["state"] == "withdrawn"


def test_outsiders_get_404_on_the_form_its_list_and_acts(api, charlie, f301):
    client = api(charlie)
    assert client.get(f"{BASE}/{f301.pk}/").status_code == 404
    assert len(client.get(f"{BASE}/").json()["results"]) == 0
    assert client.post(act(f301, "withdraw")).status_code == 404
    assert client.get(f"/api/v1/card-forms/f101/{f301.pk}/").status_code == 404


def test_the_forms_list_costs_the_same_queries_for_1_or_5_forms(api, alice, alpha, f301, django_assert_num_queries):
    client = api(alice)
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(f"{BASE}/")
    for n in range(4):
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(email=f"staff{n}@alpha.example")])
    with django_assert_num_queries(2):
        assert len(client.get(f"{BASE}/").json()["results"]) == 5
