"""The case index follows every declared request type through its acts (esms_portal.backoffice.cases)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from esms_portal.models import Case, Stage

from .conftest import act, ref

pytestmark = pytest.mark.django_db


def test_a_filed_form_of_a_new_declared_type_is_a_case(f999, alpha):
    case = Case.objects.get()
    assert (case.ref, case.stage, case.state_label) == (ref(f999), Stage.WAITING, "Déposée")
    assert (case.organisation_name, case.finess, case.region) == (alpha.name, alpha.finess, alpha.region)
    assert case.number == str(f999.pk).split("-")[0].upper()


def test_a_draft_contract_is_no_case_until_it_is_submitted(draft, alice):
    assert not Case.objects.exists()


def test_the_contracts_case_names_its_people_and_its_state_is_feminine(submitted, ana):
    case = Case.objects.get(type_key="contrats")
    assert case.people == "Alice Marie Martin"  # the representative, as filed (no director named)
    assert "ALICE MARIE MARTIN" in case.search_text
    assert case.state_label == "Déposée"


def test_starting_the_instruction_assigns_the_agent(f999, ana):
    act(f999, "start_instruction", ana)
    case = Case.objects.get()
    assert (case.stage, case.assignee, list(case.followers.all())) == (Stage.INSTRUCTION, ana, [ana])


def test_a_decision_closes_the_case(f999, ana):
    act(f999, "start_instruction", ana)
    act(f999, "accept", ana)
    case = Case.objects.get()
    assert (case.stage, case.is_open, case.state_label) == (Stage.CLOSED, False, "Acceptée")


def test_a_completion_request_pauses_the_deadline(f999, ana):
    act(f999, "start_instruction", ana)
    act(f999, "ask_completion", ana, reason="Pièce manquante")
    case = Case.objects.get()
    assert case.stage == Stage.COMPLETION
    assert case.deadline.year == 9999


def test_the_deadline_is_the_day_after_the_windows_last_day(f999):
    case = Case.objects.get()
    assert case.deadline == f999.submitted_at + timedelta(days=case.window_high_days + 1)


def test_the_index_command_rebuilds_every_case(f999, submitted):
    Case.objects.all().delete()
    call_command("backoffice_index")
    assert {c.type_key for c in Case.objects.all()} == {"f999", "contrats"}


def test_instruction_days_do_not_count_the_pause(f999, ana):
    from esms_portal.backoffice.cases import instruction_days

    act(f999, "start_instruction", ana)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        act(f999, "ask_completion", ana, reason="x")
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert instruction_days(Case.objects.get()) == 3
