import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from contracts import selectors, services
from contracts.models import ContractState
from esms_portal.core.errors import ActNotAllowed, ReasonRequired, StateConflict
from esms_portal.dialogue.selectors import messages_of
from esms_portal.workflow.backoffice import get_queue, queue_requests
from esms_portal.workflow.instruction import Timeliness
from tests.factories import UserFactory, complete_contract_data


def test_an_agent_takes_the_dossier(in_instruction, ana):
    assert in_instruction.state == ContractState.IN_INSTRUCTION
    assert in_instruction.agent == ana


def test_the_organisation_cannot_instruct_its_own_contract(submitted, alice):
    with pytest.raises(ActNotAllowed):
        services.contract_start_instruction(actor=alice, contract_pk=submitted.pk)


@pytest.mark.rule("R-CON-3")
def test_an_accepted_contract_is_valid_for_every_service(in_instruction, ana, alpha):
    contract = services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    assert contract.state == ContractState.ACCEPTED
    assert selectors.has_valid_contract(alpha.pk)
    assert all(contract.covers_service(s) for s in ("INS", "DMP", "MSSante", "RPPS+", "a future service"))


def test_a_refusal_needs_a_reason(in_instruction, ana):
    with pytest.raises(ReasonRequired):
        services.contract_reject(actor=ana, contract_pk=in_instruction.pk, reason="")
    contract = services.contract_reject(actor=ana, contract_pk=in_instruction.pk, reason="Signataire non habilité")
    assert contract.state == ContractState.REJECTED
    assert contract.audit_trail().last().reason == "Signataire non habilité"


def test_a_rejected_contract_lets_the_organisation_start_again(in_instruction, ana, alice, alpha):
    services.contract_reject(actor=ana, contract_pk=in_instruction.pk, reason="Signataire non habilité")
    assert services.contract_start(actor=alice, structure=alpha).state == ContractState.DRAFT


def test_terminating_an_accepted_contract_is_an_agent_act_with_a_reason(in_instruction, ana, alpha):
    services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    contract = services.contract_terminate(actor=ana, contract_pk=in_instruction.pk, reason="Cessation d'activité")
    assert contract.state == ContractState.TERMINATED and contract.terminated_at
    assert not selectors.has_valid_contract(alpha.pk)


def test_a_transition_from_the_wrong_state_is_refused(submitted, ana):
    with pytest.raises(StateConflict):
        services.contract_accept(actor=ana, contract_pk=submitted.pk)


@pytest.mark.rule("R-CON-5")
def test_asking_for_completion_pauses_the_clock_until_the_answer(alpha, alice, ana):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        contract = services.contract_start(actor=alice, structure=alpha)
        services.contract_update(actor=alice, contract_pk=contract.pk, data=complete_contract_data(), cgu_accepted=True)
        services.contract_submit(actor=alice, contract_pk=contract.pk)
        clock.shift(timedelta(days=2))
        services.contract_start_instruction(actor=ana, contract_pk=contract.pk)
        services.contract_ask_completion(actor=ana, contract_pk=contract.pk, message="Précisez le téléphone.")
        clock.shift(timedelta(days=10))  # the organisation takes ten days to answer
        contract.refresh_from_db()
        assert contract.instruction_days() == 2
        answered = services.contract_complete(actor=alice, contract_pk=contract.pk, message="Voici le numéro.")
        assert answered.state == ContractState.IN_INSTRUCTION
        clock.shift(timedelta(days=3))
        assert answered.instruction_days() == 5
        assert [m.body for m in messages_of(answered)] == ["Précisez le téléphone.", "Voici le numéro."]


@pytest.mark.rule("R-CON-5")
@pytest.mark.parametrize("days, expected", [(3, Timeliness.ON_TIME), (6, Timeliness.DUE), (16, Timeliness.DUE),
                                            (17, Timeliness.LATE)])
def test_the_back_office_reads_each_dossier_against_the_6_to_16_day_window(submitted, days, expected):
    later = submitted.submitted_at + timedelta(days=days, hours=1)
    assert submitted.timeliness(now=later) == expected


@pytest.mark.rule("R-CON-5")
def test_the_queue_lists_waiting_dossiers_oldest_first_with_filters(submitted, beta, charlie, ana):
    other = services.contract_start(actor=charlie, structure=beta)
    services.contract_update(actor=charlie, contract_pk=other.pk, data=complete_contract_data(), cgu_accepted=True)
    services.contract_submit(actor=charlie, contract_pk=other.pk)
    queue = get_queue("contrats")
    assert list(queue_requests(queue)) == [submitted, other]
    assert list(queue_requests(queue, state=ContractState.SUBMITTED, region="11")) == [submitted, other]
    assert list(queue_requests(queue, region="84")) == []
    assert list(queue_requests(queue, min_days=6)) == []


def test_each_decision_is_mailed_to_the_organisation(
    in_instruction, ana, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    assert mailoutbox[-1].subject == "Votre contrat d'adhésion est accepté"
    assert mailoutbox[-1].to == ["alice@alpha.example"]
    assert "tous les services" in mailoutbox[-1].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_deciding_at_once_one_wins_the_other_is_told(alpha, alice):
    agents = [UserFactory(email=f"agent{i}@esante.example", is_staff=True) for i in range(2)]
    contract = services.contract_start(actor=alice, structure=alpha)
    services.contract_update(actor=alice, contract_pk=contract.pk, data=complete_contract_data(), cgu_accepted=True)
    services.contract_submit(actor=alice, contract_pk=contract.pk)
    services.contract_start_instruction(actor=agents[0], contract_pk=contract.pk)
    barrier, outcomes = threading.Barrier(2), []

    def decide(agent, act):
        try:
            barrier.wait()
            if act == "accept":
                services.contract_accept(actor=agent, contract_pk=contract.pk)
            else:
                services.contract_reject(actor=agent, contract_pk=contract.pk, reason="Doublon")
            outcomes.append(act)
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(agents[0], "accept")),
               threading.Thread(target=decide, args=(agents[1], "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "conflict" in outcomes and len(outcomes) == 2
    contract.refresh_from_db()
    assert contract.audit_trail().filter(act__in=["accept", "reject"]).count() == 1


def test_a_failing_mail_server_does_not_undo_or_break_a_decision(
    in_instruction, ana, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("esms_portal.core.notify.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        contract = services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    contract.refresh_from_db()
    assert contract.state == ContractState.ACCEPTED
