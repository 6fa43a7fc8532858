import pytest
from django.urls import reverse

from cards import services
from cards.models import CardState, FormState
from tests.cards.conftest import staff_line
from tests.factories import CardFactory


@pytest.fixture
def agent(client, ana):
    ana.is_superuser = False
    ana.save()
    client.force_login(ana)
    return client


def test_agents_consult_cards_forms_and_incidents(agent, alice, alpha, alice_card):
    services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    for model in ("card", "staffcardorder", "directorcardorder", "mandaterequest", "cardincident", "testcardorder"):
        assert agent.get(reverse(f"admin:cards_{model}_changelist")).status_code == 200, model
    page = agent.get(reverse("admin:cards_card_change", args=[alice_card.pk])).content.decode()
    assert alice_card.national_id in page and "pin_hash" not in page


def test_an_agent_opposes_cards_with_a_reason_through_the_service(agent, alice_card):
    changelist = reverse("admin:cards_card_changelist")
    selected = {"action": "oppose", "_selected_action": [alice_card.pk]}
    page = agent.post(changelist, selected).content.decode()
    assert "Motif" in page
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.ACTIVE  # nothing yet: the reason is asked first
    agent.post(changelist, {**selected, "apply": "1", "reason": ""})
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.ACTIVE
    agent.post(changelist, {**selected, "apply": "1", "reason": "Fraude"})
    alice_card.refresh_from_db()
    assert alice_card.state == CardState.OPPOSED and alice_card.audit_trail().last().reason == "Fraude"


def test_an_agent_takes_then_rejects_forms(agent, alice, alpha, alice_card):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    changelist = reverse("admin:cards_staffcardorder_changelist")
    agent.post(changelist, {"action": "start_instruction", "_selected_action": [order.pk]})
    agent.post(changelist, {"action": "reject", "_selected_action": [order.pk], "apply": "1", "reason": "Doublon"})
    order.refresh_from_db()
    assert order.state == FormState.REJECTED and order.decision_reason == "Doublon"


def test_accepting_with_unmet_prerequisites_is_reported_not_forced(agent, alice, alpha, alice_card):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    changelist = reverse("admin:cards_staffcardorder_changelist")
    agent.post(changelist, {"action": "start_instruction", "_selected_action": [order.pk]})
    response = agent.post(changelist, {"action": "accept", "_selected_action": [order.pk]}, follow=True)
    assert "contrat d&#x27;adhésion" in response.content.decode()
    order.refresh_from_db()
    assert order.state == FormState.IN_INSTRUCTION


def test_members_do_not_reach_the_cards_admin(client, alice, alpha):
    CardFactory(active=True, organisation=alpha)
    client.force_login(alice)
    assert client.get(reverse("admin:cards_card_changelist")).status_code == 302
