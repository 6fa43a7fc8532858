"""A background job is cut into chunks that every worker process takes: a case's mark is its claim,
so chunks sent twice, on two real workers at once, still act once per case; a case costs the same
number of queries whatever the chunk's size."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal.backoffice import bulk
from esms_portal.backoffice.bulk import CHUNK, CHUNK_TASK, RUN_TASK, bulk_dispatch, bulk_run_chunk, bulk_submit, report
from esms_portal.celery import app
from esms_portal.core import batches
from esms_portal.models import Attestation, AuditEntry, BulkCase, BulkJob, OnboardingChange
from tests.kernel.faults_support import Worker, wait_for
from tests.kernel_app.models import SampleForm

from .conftest import file_forms, ref

CASE_QUERIES = 27  # one accepted F999 case, its attestation and mark included (bench/README.md)


def _job(ana, forms, key):
    return BulkJob.objects.create(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key=key,
                                  background=True)


@pytest.mark.django_db
def test_a_case_costs_the_same_queries_whatever_the_chunk(alice, alpha, ana, django_capture_on_commit_callbacks):
    forms = file_forms(alice, alpha, 6, in_instruction_by=ana)
    counts = []
    for key, chunk in (("q-2", forms[:2]), ("q-4", forms[2:])):
        job = _job(ana, chunk, key)
        with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
            bulk_run_chunk(job.pk, 0, len(chunk))
        assert report(BulkJob.objects.get(pk=job.pk)).done == len(chunk)
        counts.append(len(queries))
    assert counts[1] - counts[0] == 2 * CASE_QUERIES  # no query grows with the chunk but the cases' own


@pytest.mark.django_db
def test_a_chunk_refreshes_the_onboarding_rows_of_its_organisations_once_at_its_end(alice, alpha, ana,
                                                                                     monkeypatch):
    from esms_portal.onboarding import progress

    forms = file_forms(alice, alpha, 3, in_instruction_by=ana)
    OnboardingChange.objects.all().delete()
    refreshed = []
    monkeypatch.setattr(progress, "refresh", lambda ids, **kw: refreshed.append(set(ids)) or len(ids))
    bulk_run_chunk(_job(ana, forms, "onb").pk, 0, 3)
    assert refreshed == [{alpha.pk}]  # three acts on one EJ: one refresh, after the last


def test_the_batch_hands_its_items_to_each_flush_once_on_leaving():
    seen = []
    assert batches.defer(seen.append, 1) is False  # no batch open: the caller does its work itself
    with batches.batch():
        with batches.batch():  # nested: the outer block flushes
            assert batches.defer(seen.append, 1) is True
        batches.defer(seen.append, 2)
        batches.defer(seen.append, 1)
        assert seen == []
    assert seen == [{1, 2}]


@pytest.mark.django_db
def test_the_job_is_sent_as_chunks_holding_cases_not_marked(alice, alpha, ana, monkeypatch):
    forms = file_forms(alice, alpha, 3, in_instruction_by=ana)
    monkeypatch.setattr(bulk, "CHUNK", 2)
    sent = []
    monkeypatch.setattr(bulk.app, "send_task", lambda name, args: sent.append((name, args)))
    job = _job(ana, forms, "dispatch")
    BulkCase.objects.create(job=job, ref=ref(forms[2]), position=2, outcome="done")
    assert bulk_dispatch(job.pk) == 1 and sent == [(CHUNK_TASK, [str(job.pk), 0, 2])]
    bulk_run_chunk(job.pk, 0, 2)
    assert BulkJob.objects.get(pk=job.pk).state == "done"  # the last chunk saw every case marked
    assert bulk_dispatch(job.pk) == 0


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_chunks_sent_twice_on_two_workers_act_once_per_case(alice, alpha, ana, tmp_path):
    workers = [Worker(settings.CELERY_BROKER_URL, tmp_path / f"worker{n}.log", beat=False, concurrency=1)
               for n in (1, 2)]
    for worker in workers:
        worker.start()
    try:
        forms = file_forms(alice, alpha, 2 * CHUNK + 15, in_instruction_by=ana)
        job = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="two")
        assert job.background
        app.send_task(RUN_TASK, args=[str(job.pk)])  # the whole job again: every chunk sent twice
        for start in range(0, len(forms), CHUNK):  # and each chunk once more, as a redelivery would
            app.send_task(CHUNK_TASK, args=[str(job.pk), start, start + CHUNK])
        try:
            wait_for(lambda: BulkJob.objects.get(pk=job.pk).state == "done", timeout=240, every=0.25,
                     what="the job done")
        except AssertionError:
            raise AssertionError("\n".join(w.log_tail() for w in workers)) from None
    finally:
        for worker in workers:
            worker.kill()
    done = report(BulkJob.objects.get(pk=job.pk))
    assert (done.done, done.skipped, done.total) == (len(forms), 0, len(forms))
    assert SampleForm.objects.filter(state="accepted").count() == len(forms)
    assert AuditEntry.objects.filter(act="accept").count() == len(forms)  # each case accepted once
    assert Attestation.objects.count() == len(forms)  # and attested once, its hash in that one audit row
    hashes = {e.snapshot["attestation"]["sha256"] for e in AuditEntry.objects.filter(act="accept")}
    assert hashes == set(Attestation.objects.values_list("sha256", flat=True))
