"""Celery task of the tracker: thin, it calls the sweep (STYLE.md convention 7)."""

from esms_portal.celery import app
from esms_portal.onboarding import progress


@app.task(name="onboarding.progress_sweep", ignore_result=True)
def progress_sweep() -> int:
    return progress.sweep()
