"""Instruction by ANS agents: the clock every instructed request runs against (R-CON-5).

A request is instructed from its submission to the agent's decision. While the agent waits for
the organisation to complete the dossier, the clock is paused. The back office compares the
elapsed days with the window of the documents (6 to 16 days for a contract).
"""

import uuid
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import transition

from esms_portal.core.permissions import may
from esms_portal.workflow.requests import Request


class Timeliness(StrEnum):
    ON_TIME = "on_time"  # before the lower bound of the window
    DUE = "due"  # inside the window
    LATE = "late"  # past its upper bound


TIMELINESS_LABELS = {
    Timeliness.ON_TIME: "Dans les délais",
    Timeliness.DUE: "À instruire",
    Timeliness.LATE: "En retard",
}


class InstructedRequest(Request):
    """A request an ANS agent instructs, against the window its declaration names (`RequestType.window`)."""

    submitted_at = models.DateTimeField("déposée le", null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    paused_at = models.DateTimeField("en attente de compléments depuis", null=True, blank=True)
    paused_for = models.DurationField("durée des attentes", default=timedelta)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="agent instructeur",
    )

    request_type = None  # its declaration (esms_portal.workflow.declarations), bound at start-up

    class Meta:
        abstract = True

    @property
    def instruction_window(self) -> str:
        return self.request_type.window

    # Clock acts, called from transitions.
    def start_clock(self, now=None):
        self.submitted_at = now or timezone.now()
        self.decided_at = None
        self.paused_at = None
        self.paused_for = timedelta()

    def pause_clock(self, now=None):
        if self.paused_at is None:
            self.paused_at = now or timezone.now()

    def resume_clock(self, now=None):
        if self.paused_at is not None:
            self.paused_for += (now or timezone.now()) - self.paused_at
            self.paused_at = None

    def stop_clock(self, now=None):
        now = now or timezone.now()
        self.resume_clock(now)
        self.decided_at = now

    # Readings for the back office.
    def instruction_elapsed(self, now=None) -> timedelta:
        if self.submitted_at is None:
            return timedelta()
        end = self.decided_at or self.paused_at or now or timezone.now()
        return max(end - self.submitted_at - self.paused_for, timedelta())

    def instruction_days(self, now=None) -> int:
        return self.instruction_elapsed(now).days

    def timeliness(self, now=None) -> Timeliness:
        # Counted in whole days, as the documents do: day 16 is still within "6 to 16 days".
        low, high = window(self.instruction_window)
        days = self.instruction_days(now)
        if days > high.days:
            return Timeliness.LATE
        if days >= low.days:
            return Timeliness.DUE
        return Timeliness.ON_TIME

    def timeliness_label(self, now=None) -> str:
        return TIMELINESS_LABELS[self.timeliness(now)]


def window(name: str) -> tuple[timedelta, timedelta]:
    """The (lower, upper) bounds of a named delay, in real time: agents count real days even in
    the demo, whose compression only speeds up timed steps."""
    low, high = settings.PORTAL_DELAYS[name]
    return low, high


class FormState(models.TextChoices):
    # Feminine: each names a « demande » (« F301 déposée »).
    SUBMITTED = "submitted", "Déposée"
    IN_INSTRUCTION = "in_instruction", "En instruction"
    COMPLETION_REQUESTED = "completion_requested", "Compléments demandés"
    ACCEPTED = "accepted", "Acceptée"
    REJECTED = "rejected", "Refusée"
    WITHDRAWN = "withdrawn", "Abandonnée"


IN_FLIGHT_FORM_STATES = [FormState.SUBMITTED, FormState.IN_INSTRUCTION, FormState.COMPLETION_REQUESTED]


def _act_named_by(attribute: str):
    """A transition permission whose act the request's declaration names (`instruct_act`, `respond_act`)."""

    def check(instance, user) -> bool:
        return may(user, getattr(instance.request_type, attribute), instance)

    return check


def expanding(guards_method: str):
    """A guard standing for the request's own guards, listed by the method `guards_method`: a refusal
    names the first unmet one (esms_portal.workflow.requests.check_act expands it)."""

    def check(instance) -> bool:
        return all(bound() for bound in getattr(instance, guards_method)())

    check.expand = lambda instance: getattr(instance, guards_method)()
    return check


class InstructionMachine(InstructedRequest):
    """The instruction acts every instructed request shares (contract and ANS forms), in DS's words:
    passer en instruction, demander des compléments, accepter, refuser. Each request lists its
    prerequisites (`prerequisites()`, checked at acceptance) and what an answer to a completion
    request must satisfy (`completion_guards()`)."""

    class Meta:
        abstract = True

    def prerequisites(self) -> list:
        """The guards checked at acceptance (bound methods), in the order the UI explains them."""
        return []

    def completion_guards(self) -> list:
        return []

    def unmet_prerequisites(self) -> list[str]:
        return [check.message for check in self.prerequisites() if not check()]

    def pending_prerequisites(self) -> list[str]:
        """What still blocks acceptance, while the request awaits a decision (none once decided)."""
        return [] if self.decided_at else self.unmet_prerequisites()

    @transition(field="state", source=FormState.SUBMITTED, target=FormState.IN_INSTRUCTION,
                permission=_act_named_by("instruct_act"))
    def start_instruction(self, agent=None):
        """Prise en charge par un agent de l'ANS."""
        self.agent = agent

    @transition(field="state", source=FormState.IN_INSTRUCTION, target=FormState.COMPLETION_REQUESTED,
                permission=_act_named_by("instruct_act"), custom={"reason_required": True})
    def ask_completion(self, motive: str = ""):
        """Demande de compléments: the instruction clock pauses (R-CON-5)."""
        self.pause_clock()
        self.record_decision_reason(motive)

    @transition(field="state", source=FormState.COMPLETION_REQUESTED, target=FormState.IN_INSTRUCTION,
                conditions=[expanding("completion_guards")], permission=_act_named_by("respond_act"))
    def complete(self):
        """Réponse de l'organisation: the clock runs again."""
        self.resume_clock()

    @transition(field="state", source=FormState.IN_INSTRUCTION, target=FormState.ACCEPTED,
                conditions=[expanding("prerequisites")], permission=_act_named_by("instruct_act"))
    def accept(self):
        """Acceptation : la demande prend effet."""
        self.stop_clock()

    @transition(field="state", source=FormState.IN_INSTRUCTION, target=FormState.REJECTED,
                permission=_act_named_by("instruct_act"), custom={"reason_required": True})
    def reject(self, motive: str = ""):
        """Refus motivé."""
        self.stop_clock()
        self.record_decision_reason(motive)

    def record_decision_reason(self, reason: str) -> None:
        """Kept on the request where it has a column for it (the forms' `decision_reason`)."""


class InstructedForm(InstructionMachine):
    """An ANS form (F101, F301, F502, F413, F503...): filed by an organisation, instructed by an agent.

    Concrete forms declare `state = state_field(FormState.choices, FormState.SUBMITTED)` and their
    prerequisites as guards, checked again when the agent accepts: a form filed too early waits, it is
    not lost. Their declaration (`RequestType`) names who files, instructs and answers them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_reason = models.TextField("motif de la décision", blank=True)

    tenant_field = "organisation"

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.form_code} {self.organisation.identifier} ({self.get_state_display()})"

    @property
    def form_code(self) -> str:
        return self.request_type.number

    def record_decision_reason(self, reason: str) -> None:
        # In the act's own locked transaction: the reason is never written apart from its decision.
        self.decision_reason = reason

    @transition(field="state", source=[FormState.SUBMITTED, FormState.COMPLETION_REQUESTED],
                target=FormState.WITHDRAWN, permission=_act_named_by("respond_act"))
    def withdraw(self):
        """Abandon par l'organisation."""
        self.stop_clock()
