"""The instruction machine every instructed request shares (contract and ANS forms)."""

import pytest

from cards import services
from cards.models import DirectorCardOrder, FormState
from contracts.models import Contract, ContractState
from esms_portal.core.errors import PrerequisiteMissing
from esms_portal.workflow.instruction import InstructionMachine
from esms_portal.workflow.requests import acts_of, perform_act


def test_the_contract_inherits_the_instruction_acts_instead_of_declaring_them():
    assert issubclass(Contract, InstructionMachine)
    for act in ("start_instruction", "ask_completion", "complete", "accept", "reject"):
        assert act not in Contract.__dict__, f"Contract re-declares {act}"
    assert {"submit", "withdraw", "terminate"} <= set(acts_of(Contract))


@pytest.mark.django_db
def test_a_decision_reason_is_written_by_the_act_itself_in_its_locked_transaction(alice, alpha, submitted, ana):
    order = services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue de la Paix, Paris")
    services.form_act(actor=ana, form=order, act="start_instruction")
    # perform_act alone (no service after it) records the reason with the transition.
    perform_act(DirectorCardOrder, order.pk, "ask_completion", actor=ana, reason="Adresse ?", motive="Adresse ?")
    order.refresh_from_db()
    assert (order.state, order.decision_reason) == (FormState.COMPLETION_REQUESTED, "Adresse ?")


@pytest.mark.django_db
def test_a_contract_refused_acceptance_names_its_own_unmet_prerequisite(in_instruction, ana):
    Contract.objects.filter(pk=in_instruction.pk).update(representative_email="")
    with pytest.raises(PrerequisiteMissing, match="Le dossier est incomplet"):
        perform_act(Contract, in_instruction.pk, "accept", actor=ana)
    assert Contract.objects.get(pk=in_instruction.pk).state == ContractState.IN_INSTRUCTION
