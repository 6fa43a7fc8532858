"""Several step ids in one Celery message: a backlog is grouped, each step still runs once."""

from datetime import timedelta

import pytest

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps.services import run_step
from esms_portal.steps.tasks import batches, run_batch
from tests.kernel_app.models import StepEffect

from .steps_support import T0, due_steps, states
from .test_steps_run import claim_all


@pytest.fixture(autouse=True)
def _ten_per_message(settings):
    settings.PORTAL_STEP_TASK_BATCH = 10


def test_a_backlog_goes_out_ten_steps_per_message():
    assert [len(group) for group in batches(list(range(100)))] == [10] * 10
    assert [len(group) for group in batches(list(range(105)))] == [10] * 10 + [5]


def test_a_few_due_steps_are_spread_over_several_messages():
    assert batches([1, 2, 3]) == [[1], [2], [3]]
    assert [len(group) for group in batches(list(range(30)))] == [3] * 10


def test_one_per_message_is_a_setting(settings):
    settings.PORTAL_STEP_TASK_BATCH = 1
    assert batches(list(range(100))) == [[n] for n in range(100)]


def test_a_batch_runs_each_of_its_steps(ana):
    steps = due_steps(ana, 3)
    ids = claim_all()
    assert run_batch(ids) == ["done"] * 3
    assert states(steps) == [StepState.DONE] * 3
    assert StepEffect.objects.count() == 3


def test_a_batch_delivered_again_after_a_crash_runs_only_the_rest(ana):
    """The worker died after the first step of the batch: its message comes back whole."""
    steps = due_steps(ana, 3)
    ids = claim_all()
    run_step(ids[0])
    assert run_batch(ids) == ["skipped", "done", "done"]
    assert states(steps) == [StepState.DONE] * 3
    assert StepEffect.objects.count() == 3


def test_a_failing_step_does_not_stop_its_batch(ana):
    (broken,) = due_steps(ana, 1, kind="test.broken", due_at=T0 - timedelta(minutes=1))  # claimed first
    others = due_steps(ana, 2)
    ids = claim_all()
    assert run_batch(ids) == [StepState.PENDING, "done", "done"]
    assert states(others) == [StepState.DONE] * 2
    assert ScheduledStep.objects.get(pk=broken.pk).attempts == 1
