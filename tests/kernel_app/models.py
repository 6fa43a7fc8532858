"""A minimal request used to prove the kernel's guarantees independently of any real form."""

from django.db import models
from django_fsm import transition

from contracts.models import Structure
from esms_portal.core.permissions import transition_permission
from esms_portal.workflow.instruction import FormState, InstructedForm
from esms_portal.workflow.requests import Request, guard, state_field


class DossierState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposé"
    ACCEPTED = "accepted", "Accepté"
    REJECTED = "rejected", "Refusé"


class Dossier(Request):
    state = state_field(DossierState.choices, DossierState.DRAFT)
    organisation = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    complete = models.BooleanField(default=True)
    acceptances = models.PositiveIntegerField(default=0)

    tenant_field = "organisation"

    @guard("Le dossier est incomplet.", rule="R-TEST-1")
    def is_complete(self):
        return self.complete

    @transition(field="state", source=DossierState.DRAFT, target=DossierState.SUBMITTED,
                conditions=[is_complete], permission=transition_permission("dossier.submit"))
    def submit(self):
        pass

    @transition(field="state", source=DossierState.SUBMITTED, target=DossierState.ACCEPTED,
                permission=transition_permission("dossier.decide"))
    def accept(self):
        # A visible effect: a double acceptance would count 2.
        self.acceptances += 1

    @transition(field="state", source=DossierState.SUBMITTED, target=DossierState.REJECTED,
                permission=transition_permission("dossier.decide"), custom={"reason_required": True})
    def reject(self):
        pass

    def audit_snapshot(self):
        return {"complete": self.complete}


class StepEffect(models.Model):
    """The effect of a test step (tests/kernel_app/steps.py): one row per step, guarded by a unique
    constraint, so a step whose handler ran twice to completion would fail loudly."""

    step_id = models.BigIntegerField(unique=True)
    worker_pid = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"effect of step {self.step_id}"


class SampleForm(InstructedForm):
    """F999, a test-only ANS form: what adding a form takes is its model (here), its declaration
    (portal.py), its filing and effect (services.py) and its templates; the kernel does the rest."""

    state = state_field(FormState.choices, FormState.SUBMITTED)
    subject = models.CharField(max_length=100)
    ready = models.BooleanField(default=True)
    effective = models.BooleanField(default=False)

    class Meta(InstructedForm.Meta):
        verbose_name = "F999 — formulaire de test"

    @guard("Le formulaire de test n'est pas prêt.", rule="R-TEST-2")
    def is_ready(self) -> bool:
        return self.ready

    def prerequisites(self) -> list:
        return [self.is_ready]
