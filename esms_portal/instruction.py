"""Instruction by ANS agents: the clock every instructed request runs against (R-CON-5).

A request is instructed from its submission to the agent's decision. While the agent waits for
the organisation to complete the dossier, the clock is paused. The back office compares the
elapsed days with the window of the documents (6 to 16 days for a contract).
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils import timezone

from .workflow import Request


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
    """A request an ANS agent instructs. Subclasses name their window in `instruction_window`."""

    submitted_at = models.DateTimeField("déposée le", null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    paused_at = models.DateTimeField("en attente de compléments depuis", null=True, blank=True)
    paused_for = models.DurationField("durée des attentes", default=timedelta)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="agent instructeur",
    )

    instruction_window = "contract_instruction"  # a name in settings.PORTAL_DELAYS

    class Meta:
        abstract = True

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
