"""Celery tasks of the timed-step engine: thin, they load by id and call the service
(STYLE.md convention 7). Beat runs `sweep` every PORTAL_STEP_SWEEP_SECONDS (esms_portal/celery.py).

A message carries up to PORTAL_STEP_TASK_BATCH step ids (`run_batch`): a worker's per-message
cost (Redis round trips, ack, pool hand-off) is larger than a step's own work, so a backlog goes
out in small groups. Nothing of a step's guarantees depends on its message: each step runs under
its own claim, in its own transaction (`services.run_step`), and the message is acked only once
every step in it has run (acks_late). A worker killed mid-batch leaves its finished steps done and
the others running; the redelivered message skips the former, and the lease brings back the
latter if the message itself is lost.
"""

from django.conf import settings

from esms_portal.celery import app
from esms_portal.steps import services

# A claim is spread over at least this many messages, so that idle worker processes share a few
# due steps instead of one process running them all in a row; only a backlog is grouped.
MIN_MESSAGES_PER_CLAIM = 10


def batches(ids: list[int]) -> list[list[int]]:
    size = max(1, min(settings.PORTAL_STEP_TASK_BATCH, len(ids) // MIN_MESSAGES_PER_CLAIM))
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def _dispatch(ids: list[int]) -> None:
    with app.producer_or_acquire() as producer:
        for group in batches(ids):
            run_batch.apply_async((group,), producer=producer)


def _sweep_again() -> None:
    # More steps are due than one sweep takes: queue the next sweep now, ahead of this sweep's
    # last batch, rather than waiting for the next beat.
    sweep.apply_async()


@app.task(name="esms_portal.steps.sweep", ignore_result=True)
def sweep() -> None:
    services.sweep(_dispatch, again=_sweep_again)


@app.task(name="esms_portal.steps.run_batch", ignore_result=True)
def run_batch(step_ids: list[int]) -> list[str]:
    return [services.run_step(step_id) for step_id in step_ids]


@app.task(name="esms_portal.steps.run", ignore_result=True)
def run(step_id: int) -> str:
    # One step per message: what the sweeper sent before run_batch; kept for such messages.
    return services.run_step(step_id)
