"""Over 50 cases a real Celery worker runs the job; the same job sent twice acts once per case."""

import pytest
from django.conf import settings

from esms_portal.backoffice.bulk import RUN_TASK, bulk_submit, report
from esms_portal.celery import app
from esms_portal.models import AuditEntry, BulkJob
from tests.kernel.faults_support import Worker, wait_for
from tests.kernel_app.models import SampleForm

from .conftest import file_forms, ref

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    process = Worker(settings.CELERY_BROKER_URL, tmp_path / "worker.log", beat=False)
    process.start()
    yield process
    process.kill()


def finished(job: BulkJob, process: Worker, timeout: float = 120) -> BulkJob:
    try:
        wait_for(lambda: BulkJob.objects.get(pk=job.pk).state == "done", timeout=timeout, every=0.25,
                 what="the job done")
    except AssertionError:
        raise AssertionError(process.log_tail()) from None
    return BulkJob.objects.get(pk=job.pk)


def test_over_50_cases_a_worker_runs_the_job_and_a_second_message_does_nothing_twice(alice, alpha, ana, worker):
    ready = file_forms(alice, alpha, 58, in_instruction_by=ana)
    unready = file_forms(alice, alpha, 2, ready=False, in_instruction_by=ana)
    job = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in (*ready, *unready)], idempotency_key="bg")
    assert job.background and job.state == "pending"  # nothing done in the agent's request
    app.send_task(RUN_TASK, args=[str(job.pk)])  # the same job again: a retried task, concurrently
    again = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in (*ready, *unready)], idempotency_key="bg")
    assert again.pk == job.pk
    job = finished(job, worker)
    done = report(job)
    assert (done.done, done.skipped, done.total) == (58, 2, 60)
    assert {c.reason for c in done.skipped_cases} == {"Le formulaire de test n'est pas prêt."}
    assert SampleForm.objects.filter(state="accepted", effective=True).count() == 58
    assert AuditEntry.objects.filter(act="accept").count() == 58  # each case accepted once
