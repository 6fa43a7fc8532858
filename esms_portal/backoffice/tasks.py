"""Celery task of the bulk acts: thin, it loads the job by id and runs it (STYLE.md convention 7).
Run twice (acks_late redelivery, a retried task), it acts once per case (esms_portal.backoffice.bulk)."""

from esms_portal.backoffice import bulk
from esms_portal.celery import app


@app.task(name=bulk.RUN_TASK)
def run_bulk(job_id: str) -> None:
    bulk.bulk_run(job_id)


@app.task(name="esms_portal.backoffice.resume_bulk")
def resume_bulk() -> None:
    """Beat's safety net: a job whose message was lost (a broker restart) would wait forever."""
    for job_id in bulk.stalled_jobs():
        run_bulk.delay(str(job_id))
