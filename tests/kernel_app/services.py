"""Filing and effect of the test-only form F999 (tests/kernel_app/models.py)."""

from django.db import transaction

from esms_portal.core import permissions
from esms_portal.workflow.requests import record_creation

from .models import SampleForm


def f999_file(*, actor, organisation, subject: str, ready: bool = True) -> SampleForm:
    permissions.require(actor, SampleForm.request_type.file_act, organisation)
    with transaction.atomic():
        form = SampleForm(organisation=organisation, filed_by=actor, subject=subject, ready=ready)
        form.start_clock()
        form.save()
        record_creation(form, actor=actor, act="submit")
    return form


def f999_take_effect(form: SampleForm, *, actor) -> None:
    form.effective = True
    form.save(update_fields=["effective"])
