from django.urls import reverse

from contracts.models import ContractState


def test_agents_act_on_contracts_from_the_admin_through_the_services(client, ana, submitted):
    ana.is_superuser = False
    ana.save()
    client.force_login(ana)
    changelist = reverse("admin:contracts_contract_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "start_instruction", "_selected_action": [submitted.pk]})
    submitted.refresh_from_db()
    assert submitted.state == ContractState.IN_INSTRUCTION
    assert submitted.audit_trail().last().act == "start_instruction"


def test_an_act_from_the_wrong_state_is_reported_not_forced(client, ana, submitted):
    client.force_login(ana)
    changelist = reverse("admin:contracts_contract_changelist")
    response = client.post(changelist, {"action": "accept", "_selected_action": [submitted.pk]}, follow=True)
    assert "a changé d&#x27;état" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ContractState.SUBMITTED
