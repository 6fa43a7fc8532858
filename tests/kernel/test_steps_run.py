"""Running a claimed step: once, idempotent, retried with backoff, failed after N attempts."""

from datetime import timedelta

import pytest
import time_machine

from esms_portal.core.errors import ActNotAllowed, StateConflict
from esms_portal.models import AuditEntry, ScheduledStep, StepState
from esms_portal.steps import cancel_steps, step_retry
from esms_portal.steps.services import run_step, sweep
from tests.kernel_app.models import StepEffect

from .steps_support import T0, Dispatched, due_steps


@pytest.fixture(autouse=True)
def _engine(settings):
    settings.PORTAL_STEP_MAX_ATTEMPTS = 3
    settings.PORTAL_STEP_RETRY_SECONDS = 10


def claim_all(at=T0) -> list[int]:
    dispatched = Dispatched()
    with time_machine.travel(at, tick=False):
        sweep(dispatched)
    return dispatched


def test_a_claimed_step_runs_its_handler_and_is_done(ana):
    (step,) = due_steps(ana, 1)
    claim_all()
    with time_machine.travel(T0 + timedelta(seconds=2), tick=False):
        assert run_step(step.pk) == "done"
    step.refresh_from_db()
    assert (step.state, step.done_at, step.attempts) == (StepState.DONE, T0 + timedelta(seconds=2), 1)
    assert StepEffect.objects.filter(step_id=step.pk).count() == 1


def test_the_same_message_twice_gives_one_effect(ana):
    (step,) = due_steps(ana, 1)
    claim_all()
    assert [run_step(step.pk), run_step(step.pk)] == ["done", "skipped"]
    assert StepEffect.objects.count() == 1


def test_a_step_that_is_not_claimed_does_not_run(ana):
    (step,) = due_steps(ana, 1)
    assert run_step(step.pk) == "skipped"
    claim_all()
    cancel_steps(ana)  # a running step is not cancelled: its handler checks its target
    assert run_step(step.pk) == "done"


def test_a_cancelled_step_does_not_run(ana):
    (step,) = due_steps(ana, 1)
    cancel_steps(ana)
    claim_all()
    assert run_step(step.pk) == "skipped"
    assert not StepEffect.objects.exists()


def test_a_failing_handler_is_retried_later_with_a_growing_delay(ana):
    (step,) = due_steps(ana, 1, kind="test.broken")
    claim_all()
    with time_machine.travel(T0, tick=False):
        assert run_step(step.pk) == StepState.PENDING
    step.refresh_from_db()
    assert (step.due_at, step.last_error) == (T0 + timedelta(seconds=10), "RuntimeError: service ANS indisponible")
    claim_all(T0 + timedelta(seconds=10))
    with time_machine.travel(T0 + timedelta(seconds=10), tick=False):
        run_step(step.pk)
    step.refresh_from_db()
    assert (step.state, step.attempts, step.due_at) == (StepState.PENDING, 2, T0 + timedelta(seconds=30))


def test_after_its_last_attempt_a_step_fails_with_its_error_and_blocks_nothing(ana, alice):
    (broken,) = due_steps(ana, 1, kind="test.broken")
    others = due_steps(alice, 3)
    moment = T0
    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            for pk in claim_all(moment):
                run_step(pk)
        moment += timedelta(hours=1)
    broken.refresh_from_db()
    assert (broken.state, broken.attempts) == (StepState.FAILED, 3)
    assert broken.last_error == "RuntimeError: service ANS indisponible"
    assert StepEffect.objects.count() == 3
    assert set(ScheduledStep.objects.filter(pk__in=[s.pk for s in others]).values_list("state", flat=True)) == {
        StepState.DONE
    }


def test_a_handler_error_rolls_back_its_effects(ana):
    (step,) = due_steps(ana, 1, kind="test.half_done")
    claim_all()
    assert run_step(step.pk) == StepState.PENDING
    assert not StepEffect.objects.exists()


def test_an_agent_retries_a_failed_step_and_the_act_is_audited(settings, ana):
    settings.PORTAL_STEP_MAX_ATTEMPTS = 1
    (step,) = due_steps(ana, 1, kind="test.broken")
    run_step(claim_all()[0])
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        step_retry(step_id=step.pk, actor=ana)
    step.refresh_from_db()
    assert (step.state, step.attempts, step.due_at) == (StepState.PENDING, 0, T0 + timedelta(days=1))
    entry = AuditEntry.objects.get(object_id=str(step.pk), act="retry")
    assert (entry.actor, entry.from_state, entry.to_state) == (ana, "failed", "pending")


def test_only_a_failed_step_can_be_retried(ana):
    (step,) = due_steps(ana, 1)
    with pytest.raises(StateConflict):
        step_retry(step_id=step.pk, actor=ana)


def test_only_an_agent_retries_a_step(alice, ana):
    (step,) = due_steps(ana, 1)
    with pytest.raises(ActNotAllowed):
        step_retry(step_id=step.pk, actor=alice)
