"""Bulk acceptance: each case through the same service as its own page, skipped with its reason."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal.backoffice.bulk import bulk_submit, report
from esms_portal.core.errors import ActNotAllowed
from esms_portal.models import AuditEntry, BulkJobState
from esms_portal.workflow.form_services import form_accept
from tests.kernel_app.models import SampleForm

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db


def test_a_bulk_accept_skips_the_case_whose_prerequisites_are_missing(alice, alpha, ana):
    ready = file_forms(alice, alpha, 2, in_instruction_by=ana)
    unready = file_forms(alice, alpha, 1, ready=False, in_instruction_by=ana)[0]
    job = bulk_submit(agent=ana, act="accept", refs=[ref(ready[0]), ref(unready), ref(ready[1])])
    assert job.state == BulkJobState.DONE and not job.background
    assert [(c.ref, c.outcome, c.reason) for c in job.cases.order_by("position")] == [
        (ref(ready[0]), "done", ""),
        (ref(unready), "skipped", "Le formulaire de test n'est pas prêt."),
        (ref(ready[1]), "done", ""),
    ]
    states = dict(SampleForm.objects.values_list("pk", "state"))
    assert [states[f.pk] for f in (*ready, unready)] == ["accepted", "accepted", "in_instruction"]
    assert SampleForm.objects.get(pk=ready[0].pk).effective  # the declared effect ran, as on its page


def test_a_case_another_agent_already_decided_is_skipped_with_who_decided(alice, alpha, ana, bruno):
    form = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    form_accept(actor=bruno, form=form)
    job = bulk_submit(agent=ana, act="accept", refs=[ref(form)])
    case = job.cases.get()
    assert case.outcome == "skipped"
    assert case.reason.startswith("Ce dossier est maintenant « Acceptée » (acceptation par Bruno Agent le ")
    assert AuditEntry.objects.filter(object_id=str(form.pk), act="accept").count() == 1


def test_each_case_has_its_own_audit_row_and_the_same_queries(alice, alpha, ana):
    forms = file_forms(alice, alpha, 6, in_instruction_by=ana)
    counts = []
    for group in (forms[:1], forms[1:3], forms[3:6]):
        with CaptureQueriesContext(connection) as queries:
            bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in group])
        counts.append(len(queries))
    per_case = counts[1] - counts[0]
    assert counts[2] - counts[1] == per_case  # a constant number of queries per case
    assert AuditEntry.objects.filter(act="accept", actor=ana).count() == 6


def test_each_case_runs_in_its_own_transaction(alice, alpha, ana):
    forms = file_forms(alice, alpha, 3, in_instruction_by=ana)
    with CaptureQueriesContext(connection) as queries:
        bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in forms])
    savepoints = [q["sql"] for q in queries if q["sql"].startswith("SAVEPOINT")]
    # The test's transaction is the outer one: each case opens its own (a savepoint here).
    assert len(savepoints) >= 3
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"] and "kernel_app_sampleform" in q["sql"]]
    assert len(locks) == 3  # each case locks its own row, as perform_act does


def test_an_unknown_case_is_skipped_not_the_job(alice, alpha, ana):
    form = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    job = bulk_submit(agent=ana, act="accept", refs=["f999:00000000-0000-0000-0000-000000000000", "nope:1",
                                                     ref(form)])
    assert [(c.outcome, c.reason) for c in job.cases.order_by("position")] == [
        ("skipped", "Dossier introuvable."), ("skipped", "Dossier introuvable."), ("done", "")]
    assert report(job).done == 1


def test_an_organisation_user_may_not_act_in_bulk(alice, alpha):
    form = file_forms(alice, alpha, 1)[0]
    with pytest.raises(ActNotAllowed):
        bulk_submit(agent=alice, act="accept", refs=[ref(form)])
