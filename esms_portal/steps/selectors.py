"""Reads of the back-office board of timed steps (agents see every organisation's steps)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from esms_portal.core import keyset
from esms_portal.models import ScheduledStep
from esms_portal.models.steps import OPEN_STATES, StepState
from esms_portal.steps.registry import label_of

ROWS = 100
COUNT_CAP = keyset.COUNT_CAP  # a section's count stops there: « plus de 1 000 »


@dataclass(frozen=True)
class Section:
    title: str
    hint: str
    steps: list
    count: str  # capped: « 42 », « plus de 1 000 »
    more: bool  # more rows than shown
    retry: bool = False


def _section(title: str, hint: str, queryset: QuerySet, *, retry: bool = False) -> Section:
    rows = list(queryset.select_related("content_type").prefetch_related("target")[: ROWS + 1])
    steps = rows[:ROWS]
    for step in steps:
        step.kind_label = label_of(step.kind)
    return Section(title, hint, steps, keyset.count_text(queryset, COUNT_CAP), len(rows) > ROWS, retry)


def step_get(pk) -> ScheduledStep:
    """Any organisation's step: the board is for agents only (the view checks)."""
    return get_object_or_404(ScheduledStep, pk=pk)


def steps_board(now: datetime | None = None) -> list[Section]:
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    steps = ScheduledStep.objects.all()
    return [
        _section(
            "En retard",
            "Date limite dépassée sans que l'étape soit terminée.",
            steps.filter(state__in=OPEN_STATES, deadline__lt=now).order_by("deadline"),
        ),
        _section(
            "En échec",
            "Tentatives épuisées : corrigez la cause puis relancez.",
            steps.filter(state=StepState.FAILED).order_by("due_at"),
            retry=True,
        ),
        _section(
            "Échues",
            "Échéance atteinte, en attente ou en cours de traitement.",
            steps.filter(state__in=[StepState.PENDING, StepState.RUNNING], due_at__lte=now).order_by("due_at"),
        ),
        _section(
            "À venir",
            "Prochaines échéances.",
            steps.filter(state=StepState.PENDING, due_at__gt=now).order_by("due_at"),
        ),
        _section(
            "Terminées aujourd'hui",
            "",
            steps.filter(state=StepState.DONE, done_at__gte=today).order_by("-done_at"),
        ),
    ]
