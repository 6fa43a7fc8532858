"""Celery tasks of the timed-step engine: thin, they load by id and call the service
(STYLE.md convention 7). Beat runs `sweep` every PORTAL_STEP_SWEEP_SECONDS (esms_portal/celery.py)."""

from esms_portal.celery import app

from . import services


def _dispatch(ids: list[int]) -> None:
    with app.producer_or_acquire() as producer:
        for step_id in ids:
            run.apply_async((step_id,), producer=producer)


def _sweep_again() -> None:
    # More steps are due than one sweep takes: queue the next sweep now, ahead of this sweep's
    # last batch, rather than waiting for the next beat.
    sweep.apply_async()


@app.task(name="esms_portal.steps.sweep", ignore_result=True)
def sweep() -> None:
    services.sweep(_dispatch, again=_sweep_again)


@app.task(name="esms_portal.steps.run", ignore_result=True)
def run(step_id: int) -> str:
    return services.run_step(step_id)
