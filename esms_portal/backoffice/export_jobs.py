"""Exports too large for the agent's request, written by a Celery worker.

Above settings.PORTAL_EXPORT_BACKGROUND_OVER rows (a capped count: `LIMIT over + 1`, never an exact count
of the whole queue), an export is an `ExportJob`: a worker (esms_portal.backoffice.tasks) runs the same
writers as the streamed exports (esms_portal.backoffice.exports) into a file of the private storage
(outside the web root, as the dialogue's attachments), and only the agent who asked downloads it
(anyone else: 404). The same export asked again while one is being prepared is that one (a partial
unique constraint on agent and key). After settings.PORTAL_EXPORT_KEEP_HOURS the periodic sweep
deletes the file and the row. Smaller exports keep streaming from the request.
"""

import hashlib
import json
import logging
import os
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.http import FileResponse, Http404
from django.utils import timezone

from esms_portal.backoffice import exports
from esms_portal.backoffice.queue import QueueFilters, queue_cases
from esms_portal.celery import app
from esms_portal.core import permissions
from esms_portal.core.errors import StateConflict
from esms_portal.core.queries import get_or_404
from esms_portal.core.uploads import private_storage
from esms_portal.models import ExportJob, ExportJobState

logger = logging.getLogger(__name__)

RUN_TASK = "esms_portal.backoffice.run_export"  # esms_portal.backoffice.tasks
ACTIVE = (ExportJobState.PENDING, ExportJobState.RUNNING)
FINAL = (ExportJobState.DONE, ExportJobState.FAILED)
PROGRESS_SECONDS = 1.0  # how often a running job records its rows written (by time: one query a second)
FOLDER = "exports"
STALLED_AFTER = timedelta(minutes=5)  # a job still pending this long is sent again (tasks.resume_exports)


class ExportNotReady(StateConflict, code="export_not_ready",
                     message="L'export est encore en préparation : réessayez dans quelques instants."):
    pass


class ExportFailed(StateConflict, code="export_failed",
                   message="L'export a échoué : relancez-le depuis la file des dossiers."):
    pass


def is_large(filters: dict, agent) -> bool:
    """More rows than the threshold? Counted up to the threshold and one, whatever the queue holds."""
    over = settings.PORTAL_EXPORT_BACKGROUND_OVER
    return queue_cases(filters, agent).order_by()[: over + 1].count() > over


def _stored(filters: dict) -> dict:
    """The cleaned filters as JSON (a label by its pk); QueueFilters reads them back in the task."""
    return {name: value.pk if isinstance(value, Model) else value for name, value in sorted(filters.items())}


def export_submit(filters: dict, agent, columns: list[str], file_format: str) -> ExportJob:
    """The job of this export: the one being prepared for the agent if any, else a new one, sent to a
    worker once the transaction commits."""
    permissions.require(agent, "backoffice.queue")
    stored = _stored(filters)
    key = hashlib.sha256(json.dumps([stored, list(columns), file_format]).encode()).hexdigest()
    with transaction.atomic():
        job, created = ExportJob.objects.get_or_create(agent=agent, key=key, state__in=ACTIVE, defaults={
            "filters": stored, "columns": list(columns), "format": file_format,
            "expires_at": timezone.now() + timedelta(hours=settings.PORTAL_EXPORT_KEEP_HOURS)})
    if created:
        transaction.on_commit(lambda: app.send_task(RUN_TASK, args=[str(job.pk)]))
    return job


class _Progress:
    """The rows as they are written, their number recorded at most once every PROGRESS_SECONDS."""

    def __init__(self, job_id, rows):
        self.job_id, self.rows, self.written = job_id, rows, 0

    def __iter__(self):
        yield next(self.rows)  # the header
        last = time.monotonic()
        for row in self.rows:
            yield row
            self.written += 1
            if time.monotonic() - last >= PROGRESS_SECONDS:
                ExportJob.objects.filter(pk=self.job_id).update(rows=self.written)
                last = time.monotonic()


def export_run(job_id) -> ExportJob | None:
    """Write the job's file. Delivered again (a worker lost mid-way), it writes the file again; two runs
    at once each write their own part file and the last renamed wins: the same rows."""
    job = ExportJob.objects.select_related("agent").filter(pk=job_id).first()
    if job is None or job.state in FINAL:
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJobState.RUNNING)
    name = f"{FOLDER}/{job.pk}.{job.format}"
    path = private_storage.path(name)
    part = f"{path}.{uuid.uuid4().hex}.part"
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        filters = QueueFilters(job.filters).values()
        progress = _Progress(job.pk, exports.table(filters, job.agent, job.columns))
        with open(part, "wb") as out:
            exports.write_file(iter(progress), job.format, out)
        os.replace(part, path)
    except Exception:
        logger.exception("export job %s", job.pk)
        if os.path.exists(part):
            os.remove(part)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJobState.FAILED, finished_at=timezone.now())
    else:
        now = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJobState.DONE, rows=progress.written, file=name, size=os.path.getsize(path),
            finished_at=now, expires_at=now + timedelta(hours=settings.PORTAL_EXPORT_KEEP_HOURS))
    job.refresh_from_db()
    return job


def expire_jobs(now=None) -> int:
    """Delete the jobs past their `expires_at` and their files; how many."""
    expired = list(ExportJob.objects.filter(expires_at__lte=now or timezone.now()).values_list("pk", "file"))
    for _, name in expired:
        if name:
            private_storage.delete(name)
    ExportJob.objects.filter(pk__in=[pk for pk, _ in expired]).delete()
    return len(expired)


def stalled_jobs(*, quiet: timedelta = STALLED_AFTER) -> list:
    """Jobs still pending after `quiet`: their message was lost (a broker restart). A worker that died
    mid-way needs nothing: acks_late delivers its message again."""
    cutoff = timezone.now() - quiet
    return list(ExportJob.objects.filter(state=ExportJobState.PENDING, created_at__lt=cutoff)
                .values_list("pk", flat=True))


def job_get_for_agent(agent, pk) -> ExportJob:
    """One of the agent's own export jobs; 404 for anyone else."""
    if not permissions.may(agent, "backoffice.queue"):
        raise Http404
    return get_or_404(ExportJob.objects, message="Export introuvable.", pk=pk, agent=agent)


def filename(job: ExportJob) -> str:
    return f"dossiers-{timezone.localdate(job.created_at):%Y-%m-%d}.{job.format}"


def file_response(job: ExportJob) -> FileResponse:
    """The job's file, once written; ExportNotReady before, ExportFailed if it failed."""
    if job.state == ExportJobState.FAILED:
        raise ExportFailed()
    if job.state != ExportJobState.DONE:
        raise ExportNotReady()
    try:
        stream = private_storage.open(job.file, "rb")
    except FileNotFoundError:
        raise Http404("Export introuvable.") from None
    response = FileResponse(stream, as_attachment=True, filename=filename(job),
                            content_type=exports.CONTENT_TYPES[job.format])
    response["Cache-Control"] = "private, no-store"
    return response
