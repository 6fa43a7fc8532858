"""Celery task of the bulk acts: thin, it loads the job by id and runs it (STYLE.md convention 7).
Run twice (acks_late redelivery, a retried task), it acts once per case (esms_portal.backoffice.bulk)."""

from esms_portal.backoffice import bulk
from esms_portal.celery import app


@app.task(name=bulk.RUN_TASK)
def run_bulk(job_id: str) -> None:
    bulk.bulk_run(job_id)
