"""Bulk start of instruction and completion requests, for any declared type (the contract too)."""

import pytest
from django.core import mail

from esms_portal.backoffice.bulk import bulk_submit, report
from esms_portal.core.errors import InvalidInput
from esms_portal.dialogue.selectors import messages_of
from esms_portal.models import AuditEntry
from tests.kernel_app.models import SampleForm

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db


def test_bulk_start_of_instruction_across_types(alice, alpha, ana, submitted):
    forms = file_forms(alice, alpha, 2)
    job = bulk_submit(agent=ana, act="start_instruction", refs=[ref(forms[0]), f"contrats:{submitted.pk}",
                                                              ref(forms[1])])
    assert [c.outcome for c in job.cases.order_by("position")] == ["done"] * 3
    submitted.refresh_from_db()
    assert (submitted.state, submitted.agent) == ("in_instruction", ana)
    assert report(job).done_cases[1].label == f"Contrat d'adhésion n° {submitted.pk}"
    assert set(SampleForm.objects.values_list("agent", flat=True)) == {ana.pk}


def test_bulk_completion_request_sends_the_one_message_to_each(alice, alpha, ana, in_instruction,
                                                               django_capture_on_commit_callbacks):
    form = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    with django_capture_on_commit_callbacks(execute=True):
        job = bulk_submit(agent=ana, act="ask_completion", refs=[ref(form), f"contrats:{in_instruction.pk}"],
                          message="Merci de joindre le justificatif.")
    assert [c.outcome for c in job.cases.all()] == ["done", "done"]
    form.refresh_from_db()
    assert (form.state, form.decision_reason) == ("completion_requested", "Merci de joindre le justificatif.")
    # The completion request is a message of each request's conversation (esms_portal.dialogue).
    for request in (form, in_instruction):
        assert [m.body for m in messages_of(request)] == ["Merci de joindre le justificatif."]
    assert AuditEntry.objects.filter(act="ask_completion", reason="Merci de joindre le justificatif.").count() == 2
    assert len(mail.outbox) == 2


def test_a_completion_request_needs_its_message(alice, alpha, ana):
    form = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    with pytest.raises(InvalidInput, match="message est obligatoire"):
        bulk_submit(agent=ana, act="ask_completion", refs=[ref(form)], message="  ")


def test_a_type_without_the_act_skips_the_case(ana, alice, alpha):
    form = file_forms(alice, alpha, 1)[0]
    job = bulk_submit(agent=ana, act="accept", refs=[ref(form)])  # not in instruction yet
    assert job.cases.get().reason.startswith("Ce dossier est maintenant « Déposée »")
