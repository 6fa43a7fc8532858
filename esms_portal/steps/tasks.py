"""Celery tasks of the timed-step engine: thin, they load by id and call the service
(STYLE.md convention 7). Beat runs `sweep` every PORTAL_STEP_SWEEP_SECONDS (esms_portal/celery.py)."""

from esms_portal.celery import app

from . import services


def _dispatch(ids: list[int]) -> None:
    with app.producer_or_acquire() as producer:
        for step_id in ids:
            run.apply_async((step_id,), producer=producer)


@app.task(name="esms_portal.steps.sweep", ignore_result=True)
def sweep() -> None:
    report = services.sweep(_dispatch)
    if report.saturated:
        # More steps are due than the in-flight budget allowed: sweep again once the messages
        # sent ahead of this one are consumed, rather than waiting for the next beat.
        sweep.apply_async()


@app.task(name="esms_portal.steps.run", ignore_result=True)
def run(step_id: int) -> str:
    return services.run_step(step_id)
