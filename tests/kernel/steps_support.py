"""Helpers of the timed-step tests: a clock, a target, due steps, a dispatch that records ids."""

from datetime import datetime
from zoneinfo import ZoneInfo

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps import schedule_step

PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=PARIS)


def due_steps(target, count, *, kind="test.effect", due_at=T0, **payload):
    return [
        schedule_step(kind, target, due_at=due_at, occurrence=str(n), payload=payload or None)
        for n in range(count)
    ]


def states(steps) -> list[str]:
    by_pk = dict(ScheduledStep.objects.filter(pk__in=[s.pk for s in steps]).values_list("pk", "state"))
    return [by_pk[s.pk] for s in steps]


class Dispatched(list):
    """A sweep's dispatch that keeps the ids instead of sending Celery messages."""

    def __call__(self, ids):
        self.extend(ids)


def running(step) -> bool:
    step.refresh_from_db()
    return step.state == StepState.RUNNING
