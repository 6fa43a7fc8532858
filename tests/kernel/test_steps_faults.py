"""Reliability of the timed steps with real processes: Redis, PostgreSQL and `celery worker`
(DESIGN.md "Timed steps"; issue [timed-steps], "Reliability proof").

Every step of these tests creates one StepEffect row guarded by a unique constraint: a step that
ran twice to completion would raise on its second run and end `failed`.
"""

import os
import shutil
import time

import pytest
from django.db.models import Count

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps.services import claim_due_steps
from esms_portal.steps.tasks import run
from tests.kernel_app.models import StepEffect

from .faults_support import ONE_PER_MESSAGE, TEN_PER_MESSAGE, RedisServer, Worker, wait_for
from .steps_support import due_steps

pytestmark = [
    pytest.mark.faults,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
BATCH = 240


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("PORTAL_REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server introuvable (apt-get install redis-server)", pytrace=False)
        pytest.skip("redis-server introuvable : les tests de pannes démarrent leur propre Redis")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(redis_server, tmp_path):
    started = []

    def start(**options):
        process = Worker(redis_server.url, tmp_path / "worker.log", **options)
        process.start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def count(state) -> int:
    return ScheduledStep.objects.filter(state=state).count()


def all_done(steps, worker_process, timeout=90):
    def finished():
        return count(StepState.DONE) == len(steps)

    try:
        wait_for(finished, timeout=timeout, every=0.25, what="every step done")
    except AssertionError:
        states = dict(ScheduledStep.objects.values_list("state").annotate(n=Count("pk")))
        raise AssertionError(f"states: {states}\n{worker_process.log_tail()}") from None


def assert_each_effect_once(steps):
    assert StepEffect.objects.count() == len(steps)
    assert set(StepEffect.objects.values_list("step_id", flat=True)) == {s.pk for s in steps}


@pytest.mark.parametrize("engine", [ONE_PER_MESSAGE, TEN_PER_MESSAGE], ids=["one-per-message", "ten-per-message"])
def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(ana, worker, engine):
    steps = due_steps(ana, BATCH, sleep=0.02)
    first = worker(engine=engine)
    wait_for(lambda: StepEffect.objects.count() >= 40, timeout=60, what="the batch under way")
    first.kill()
    unfinished = BATCH - count(StepState.DONE)
    assert unfinished > 0, "the worker was killed after the batch: nothing was proven"
    interrupted = set(ScheduledStep.objects.filter(state=StepState.RUNNING).values_list("pk", flat=True))
    assert interrupted, "no step was under way when the worker died"

    second = worker(engine=engine)
    all_done(steps, second)
    assert_each_effect_once(steps)
    # The steps cut short were finished by the second worker (re-delivered or re-claimed
    # after their lease, whichever came first), each with its single effect.
    assert StepEffect.objects.filter(step_id__in=interrupted).count() == len(interrupted)
    assert not ScheduledStep.objects.exclude(last_error="").exclude(last_error__startswith="Délai").exists()


def test_a_message_delivered_twice_has_one_effect(ana, worker, redis_server):
    steps = due_steps(ana, 30, sleep=0.05)
    ids = claim_due_steps(steps[-1].due_at, len(steps))
    from esms_portal.celery import app

    with app.connection_for_write(redis_server.url) as broker:
        for step_id in ids:
            for _ in range(2):  # the very same message, twice: same task id
                run.apply_async((step_id,), task_id=f"step-{step_id}", connection=broker)
    process = worker(beat=False)
    all_done(steps, process)
    assert_each_effect_once(steps)
    assert set(ScheduledStep.objects.values_list("attempts", flat=True)) == {1}
    assert len(set(StepEffect.objects.values_list("worker_pid", flat=True))) == 2, "both processes ran"


def test_redis_restarted_mid_run_loses_nothing(ana, worker, redis_server):
    steps = due_steps(ana, BATCH, sleep=0.02)
    process = worker()
    wait_for(lambda: StepEffect.objects.count() >= 40, timeout=60, what="the batch under way")
    redis_server.stop()
    assert count(StepState.DONE) < BATCH, "Redis stopped after the batch: nothing was proven"
    time.sleep(1.5)  # long enough for the worker, beat and a sweep to meet the outage
    redis_server.start()  # same port, empty: every queued message is gone
    all_done(steps, process)
    assert_each_effect_once(steps)


def test_a_failing_step_is_retried_then_failed_without_blocking_the_others(ana, alice, worker):
    (broken,) = due_steps(ana, 1, kind="test.broken")
    others = due_steps(alice, 60)
    process = worker()

    def broken_failed():
        broken.refresh_from_db()
        return broken.state == StepState.FAILED

    wait_for(broken_failed, timeout=60, what="the broken step to fail")
    assert (broken.attempts, broken.last_error) == (3, "RuntimeError: service ANS indisponible")
    wait_for(lambda: count(StepState.DONE) == len(others), timeout=60, what="the other steps")
    assert_each_effect_once(others)
    assert process.process.poll() is None
