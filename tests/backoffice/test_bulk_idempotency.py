"""The same job twice, or a job run twice, acts once per case."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from esms_portal.backoffice.bulk import bulk_run, bulk_submit, stalled_jobs
from esms_portal.models import AuditEntry, BulkCase, BulkJob

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db


def test_the_same_submission_twice_is_one_job(alice, alpha, ana):
    forms = file_forms(alice, alpha, 2, in_instruction_by=ana)
    first = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="k-1")
    again = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="k-1")
    assert first.pk == again.pk and BulkJob.objects.count() == 1
    assert list(again.cases.values_list("outcome", flat=True)) == ["done", "done"]
    assert AuditEntry.objects.filter(act="accept").count() == 2


def test_a_job_run_again_acts_only_on_unmarked_cases(alice, alpha, ana):
    forms = file_forms(alice, alpha, 3, in_instruction_by=ana)
    job = BulkJob.objects.create(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="k-2")
    # A first run that died after its first case: that case is marked, the others are not.
    BulkCase.objects.create(job=job, ref=ref(forms[0]), position=0, outcome="done")
    bulk_run(job.pk)
    bulk_run(job.pk)  # a retried task
    assert BulkCase.objects.filter(job=job).count() == 3
    assert AuditEntry.objects.filter(act="accept").count() == 2  # the marked case was not acted on again
    assert job.cases.get(ref=ref(forms[0])).outcome == "done"


def test_two_agents_may_use_the_same_key(alice, alpha, ana, bruno):
    forms = file_forms(alice, alpha, 2, in_instruction_by=ana)
    one = bulk_submit(agent=ana, act="accept", refs=[ref(forms[0])], idempotency_key="same")
    two = bulk_submit(agent=bruno, act="accept", refs=[ref(forms[1])], idempotency_key="same")
    assert one.pk != two.pk


def test_a_background_job_without_progress_is_found_stalled(alice, alpha, ana):
    forms = file_forms(alice, alpha, 2, in_instruction_by=ana)
    job = BulkJob.objects.create(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="k-3",
                                 background=True)
    assert stalled_jobs() == []  # just sent
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert stalled_jobs() == [job.pk]
        bulk_run(job.pk)
        assert stalled_jobs() == []  # done


def test_the_worker_knows_the_bulk_tasks_and_beat_resends_lost_jobs(settings):
    from esms_portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start-up
    assert {"esms_portal.backoffice.run_bulk", "esms_portal.backoffice.resume_bulk"} <= set(app.tasks)
    assert settings.PORTAL_PERIODIC_TASKS["backoffice-bulk-resume"][0] == "esms_portal.backoffice.resume_bulk"
