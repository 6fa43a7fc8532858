"""Scheduling and cancelling timed steps: named delays, compression, one row per step."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps import cancel_steps, delay, schedule_step

from .steps_support import T0


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0, tick=False):
        yield


def test_a_named_delay_sets_due_date_and_deadline(ana):
    step = schedule_step("annuaire_publication", ana, delay="annuaire_publication")
    assert step.due_at == T0 + timedelta(hours=24)
    assert step.deadline == T0 + timedelta(hours=48)
    assert (step.state, step.attempts, step.target) == (StepState.PENDING, 0, ana)


def test_the_demo_compression_turns_minutes_into_seconds(settings, ana):
    settings.PORTAL_TIME_COMPRESSION = 60
    assert delay("rpps_number_email").due == timedelta(seconds=30)
    step = schedule_step("rpps_number_email", ana, delay="rpps_number_email")
    assert step.due_at == T0 + timedelta(seconds=30)


def test_every_delay_of_the_documents_is_a_setting(settings):
    assert delay("ecps_activation").due == timedelta(hours=48)
    assert delay("card_delivery").due == timedelta(days=10)
    assert delay("card_renewal").due == timedelta(days=30)
    assert delay("contract_instruction") == type(delay("demo"))(timedelta(days=6), timedelta(days=16))
    assert delay("certificate_renewal_reminder").due == timedelta(days=30)


def test_an_unknown_delay_is_refused(ana):
    with pytest.raises(ValueError):
        schedule_step("x", ana, delay="nowhere")
    with pytest.raises(ValueError):
        schedule_step("x", ana)


def test_scheduling_the_same_step_twice_is_one_row(ana):
    first = schedule_step("ecps_activation", ana, delay="ecps_activation")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        again = schedule_step("ecps_activation", ana, delay="ecps_activation")
    assert again.pk == first.pk
    assert again.due_at == first.due_at
    assert ScheduledStep.objects.count() == 1


def test_occurrences_of_a_recurring_step_are_distinct(ana):
    schedule_step("card_renewal", ana, due_at=T0, occurrence="2029")
    schedule_step("card_renewal", ana, due_at=T0, occurrence="2032")
    assert ScheduledStep.objects.count() == 2


def test_a_rolled_back_decision_schedules_nothing(ana):
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule_step("card_delivery", ana, delay="card_delivery")
        raise RuntimeError("the deciding act failed")
    assert not ScheduledStep.objects.exists()


def test_cancel_steps_cancels_the_open_steps_of_its_target_only(ana, alice):
    mine = schedule_step("card_delivery", ana, delay="card_delivery")
    failed = schedule_step("ecps_activation", ana, delay="ecps_activation")
    ScheduledStep.objects.filter(pk=failed.pk).update(state=StepState.FAILED)
    done = schedule_step("rpps_number_email", ana, delay="rpps_number_email")
    ScheduledStep.objects.filter(pk=done.pk).update(state=StepState.DONE)
    other = schedule_step("card_delivery", alice, delay="card_delivery")

    assert cancel_steps(ana) == 2
    states = dict(ScheduledStep.objects.values_list("pk", "state"))
    assert states[mine.pk] == states[failed.pk] == StepState.CANCELLED
    assert (states[done.pk], states[other.pk]) == (StepState.DONE, StepState.PENDING)


def test_cancel_steps_can_be_limited_to_some_kinds(ana):
    schedule_step("card_delivery", ana, delay="card_delivery")
    kept = schedule_step("ecps_activation", ana, delay="ecps_activation")
    assert cancel_steps(ana, kinds=["card_delivery"]) == 1
    kept.refresh_from_db()
    assert kept.state == StepState.PENDING


def test_scheduling_a_cancelled_step_again_plans_it_anew(ana):
    step = schedule_step("card_delivery", ana, delay="card_delivery")
    cancel_steps(ana)
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        again = schedule_step("card_delivery", ana, delay="card_delivery")
    assert again.pk == step.pk
    assert (again.state, again.due_at) == (StepState.PENDING, T0 + timedelta(days=11))


def test_a_long_occurrence_still_makes_a_distinct_key(ana):
    first = schedule_step("card_renewal", ana, due_at=T0, occurrence="x" * 300 + "1")
    second = schedule_step("card_renewal", ana, due_at=T0, occurrence="x" * 300 + "2")
    assert first.pk != second.pk and len(first.dedup_key) == 255
