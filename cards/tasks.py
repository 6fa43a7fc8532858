"""Celery tasks of the cards app: thin, they call the service (STYLE.md convention 7)."""

from esms_portal.celery import app

from . import services


@app.task(name="cards.renewal_sweep", ignore_result=True)
def renewal_sweep() -> int:
    return services.schedule_due_renewals()
