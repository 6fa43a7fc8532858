"""The sweeper: claims due steps once, within the in-flight budget, and takes back lost leases."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps.services import LEASE_LOST_ERROR, claim_due_steps, sweep
from tests.kernel_app.models import StepEffect

from .steps_support import T0, Dispatched, due_steps, states


@pytest.fixture(autouse=True)
def _engine(settings):
    settings.PORTAL_STEP_BATCH = 3
    settings.PORTAL_STEP_MAX_IN_FLIGHT = 100
    settings.PORTAL_STEP_LEASE_SECONDS = 60
    settings.PORTAL_STEP_MAX_ATTEMPTS = 2


def test_it_claims_due_steps_only(ana):
    due = due_steps(ana, 4, due_at=T0)
    later = due_steps(ana, 1, due_at=T0 + timedelta(minutes=5), kind="test.broken")
    dispatched = Dispatched()
    with time_machine.travel(T0, tick=False):
        report = sweep(dispatched)
    assert sorted(dispatched) == sorted(s.pk for s in due)
    assert report.claimed == 4 and not report.saturated
    assert states(due) == [StepState.RUNNING] * 4 and states(later) == [StepState.PENDING]
    assert set(ScheduledStep.objects.filter(pk__in=dispatched).values_list("attempts", flat=True)) == {1}


def test_a_claimed_step_is_not_claimed_again(ana):
    due_steps(ana, 2)
    with time_machine.travel(T0 + timedelta(seconds=1), tick=False):
        first, second = Dispatched(), Dispatched()
        sweep(first)
        sweep(second)
    assert len(first) == 2 and second == []


def test_it_keeps_within_the_in_flight_budget_and_says_so(settings, ana):
    settings.PORTAL_STEP_MAX_IN_FLIGHT = 5
    due_steps(ana, 7)
    dispatched = Dispatched()
    with time_machine.travel(T0, tick=False):
        report = sweep(dispatched)
        assert (len(dispatched), report.saturated) == (5, True)
        assert sweep(Dispatched()).claimed == 0  # five still running


def test_a_step_whose_lease_expired_is_claimed_again(ana):
    (step,) = due_steps(ana, 1)
    with time_machine.travel(T0, tick=False):
        sweep(Dispatched())
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        assert sweep(Dispatched()).claimed == 0
    dispatched = Dispatched()
    with time_machine.travel(T0 + timedelta(seconds=61), tick=False):
        report = sweep(dispatched)
    step.refresh_from_db()
    assert (report.released, dispatched) == (1, [step.pk])
    assert (step.state, step.attempts, step.last_error) == (StepState.RUNNING, 2, LEASE_LOST_ERROR)


def test_a_lease_lost_on_the_last_attempt_fails_the_step(ana):
    (step,) = due_steps(ana, 1)
    for minute in (0, 2, 4):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            sweep(Dispatched())
    step.refresh_from_db()
    assert (step.state, step.attempts, step.last_error) == (StepState.FAILED, 2, LEASE_LOST_ERROR)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweepers_claim_disjoint_steps(settings, ana):
    settings.PORTAL_STEP_MAX_IN_FLIGHT = 1000
    steps = due_steps(ana, 300)
    claims = [[], [], []]
    barrier = threading.Barrier(len(claims))

    def claim(into):
        try:
            barrier.wait()
            while ids := claim_due_steps(T0 + timedelta(hours=1), 7):
                into.extend(ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(into,)) for into in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [pk for into in claims for pk in into]
    assert sorted(claimed) == sorted(s.pk for s in steps)
    assert all(claims), "every sweeper got some rows: they ran concurrently"
    assert not StepEffect.objects.exists()


def test_a_sweep_that_takes_its_limit_queues_the_next_one_ahead_of_its_last_batch(settings, ana):
    settings.PORTAL_STEP_SWEEP_LIMIT = 5
    due_steps(ana, 7)
    events = []
    with time_machine.travel(T0, tick=False):
        report = sweep(lambda ids: events.append(len(ids)), again=lambda: events.append("again"))
    assert events == [3, "again", 2] and report.saturated
    with time_machine.travel(T0, tick=False):
        report = sweep(lambda ids: events.append(len(ids)), again=lambda: events.append("again"))
    assert events[3:] == [2] and not report.saturated
