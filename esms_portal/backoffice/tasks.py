"""Celery tasks of the bulk acts and the large exports: thin, they load the job by id and send its chunks,
or run one (STYLE.md convention 7).
Run twice (acks_late redelivery, a retried task, a chunk sent twice), they act once per case: each case's
mark is its claim (esms_portal.backoffice.bulk); an export job rewrites its file."""

from esms_portal.backoffice import bulk, export_jobs
from esms_portal.celery import app


@app.task(name=bulk.RUN_TASK)
def run_bulk(job_id: str) -> None:
    """Sends the job's chunks not done yet, one message each: every worker process takes some."""
    bulk.bulk_dispatch(job_id)


@app.task(name=bulk.CHUNK_TASK)
def run_bulk_chunk(job_id: str, start: int, stop: int) -> None:
    bulk.bulk_run_chunk(job_id, start, stop)


@app.task(name="esms_portal.backoffice.resume_bulk")
def resume_bulk() -> None:
    """Beat's safety net: a job whose message was lost (a broker restart) would wait forever."""
    for job_id in bulk.stalled_jobs():
        run_bulk.delay(str(job_id))


@app.task(name=export_jobs.RUN_TASK)
def run_export(job_id: str) -> None:
    """A large export's file (esms_portal.backoffice.export_jobs); delivered again, it writes it again."""
    export_jobs.export_run(job_id)


@app.task(name="esms_portal.backoffice.expire_exports")
def expire_exports() -> int:
    """settings.PORTAL_PERIODIC_TASKS: the exports past their time go, files and rows."""
    return export_jobs.expire_jobs()


@app.task(name="esms_portal.backoffice.resume_exports")
def resume_exports() -> None:
    """Beat's safety net: an export whose message was lost would stay « en préparation »."""
    for job_id in export_jobs.stalled_jobs():
        run_export.delay(str(job_id))
