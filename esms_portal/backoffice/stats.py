"""The instruction's figures over every declared request type (contract, forms, analyses): cases filed
and decided per week, and the median instruction time of each type against the documents' window
(R-CON-5: 6 to 16 days for a contract). Two queries whatever the number of types or of cases: one
UNION ALL for the weeks, one for the medians (PostgreSQL's percentile_cont; other databases, the
embedded demo, get the same medians in Python)."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import CharField, Count, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from esms_portal.workflow.declarations import RequestType, request_types
from esms_portal.workflow.instruction import window

WEEKS = 12
# A decision of the agent ends the clock; an organisation's withdrawal stops it too, without one.
NOT_DECIDED_BY_AGENT = ("withdrawn",)


@dataclass(frozen=True)
class Week:
    start: date
    filed: int
    decided: int


@dataclass(frozen=True)
class TypeDelay:
    key: str
    label: str
    decided: int  # cases decided by an agent
    median_days: float | None
    window_low_days: int
    window_high_days: int

    @property
    def late(self) -> bool:
        return self.median_days is not None and self.median_days > self.window_high_days


def _scoped(declared: RequestType, *, region: str, departement: str):
    requests = declared.model._default_manager.order_by()
    path = declared.model.tenant_field
    if region:
        requests = requests.filter(**{f"{path}__region": region})
    if departement:
        requests = requests.filter(**{f"{path}__departement": departement})
    return requests


def week_start(moment: datetime) -> date:
    local = timezone.localtime(moment).date()
    return local - timedelta(days=local.weekday())


def weekly(*, region: str = "", departement: str = "", weeks: int = WEEKS, now: datetime | None = None) -> list[Week]:
    """Cases filed (submitted_at) and decided by an agent (decided_at) per week, over the last `weeks`
    weeks, Monday first, the current week last; weeks without a case count 0."""
    first = week_start(now or timezone.now()) - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    parts = []
    for declared in request_types():
        requests = _scoped(declared, region=region, departement=departement)
        filed = requests.filter(submitted_at__gte=since)
        decided = requests.filter(decided_at__gte=since).exclude(state__in=NOT_DECIDED_BY_AGENT)
        for kind, field, found in (("filed", "submitted_at", filed), ("decided", "decided_at", decided)):
            parts.append(found.annotate(kind=Value(kind, output_field=CharField()), week=TruncWeek(field)).values(
                "kind", "week").annotate(n=Count("pk")).values_list("kind", "week", "n"))
    counts: dict[tuple[str, date], int] = {}
    if parts:
        for kind, week, n in parts[0].union(*parts[1:], all=True):
            day = timezone.localtime(week).date() if isinstance(week, datetime) else week
            counts[(kind, day)] = counts.get((kind, day), 0) + n
    starts = [first + timedelta(weeks=n) for n in range(weeks)]
    return [Week(start, counts.get(("filed", start), 0), counts.get(("decided", start), 0)) for start in starts]


def instruction_delays(*, region: str = "", departement: str = "") -> list[TypeDelay]:
    """Per declared type: how many cases an agent decided and their median instruction time in days
    (submission to decision, the completion waits left out), beside the window of its declaration."""
    parts, params = [], []
    for declared in request_types():
        decided = _scoped(declared, region=region, departement=departement).filter(
            decided_at__isnull=False, submitted_at__isnull=False).exclude(state__in=NOT_DECIDED_BY_AGENT)
        if connection.vendor == "postgresql":
            sql, part_params = decided.values_list("decided_at", "submitted_at", "paused_for").query.sql_with_params()
            parts.append(
                f"SELECT %s, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY "
                f"date_part('epoch', d.decided_at - d.submitted_at - d.paused_for)) FROM ({sql}) AS d")
            params += [declared.key, *part_params]
        else:
            parts.append(decided)
    found = _medians_postgres(parts, params) if connection.vendor == "postgresql" else _medians_python(parts)
    delays = []
    for declared in request_types():
        count, seconds = found.get(declared.key, (0, None))
        low, high = window(declared.window)
        delays.append(TypeDelay(declared.key, declared.label, count,
                                None if seconds is None else round(max(seconds, 0) / 86400, 1), low.days, high.days))
    return delays


def _medians_postgres(parts: list[str], params: list) -> dict:
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(f"({part})" for part in parts), params)
        return {key: (count, median) for key, count, median in cursor.fetchall()}


def _medians_python(querysets) -> dict:
    found = {}
    for declared, decided in zip(request_types(), querysets, strict=True):
        seconds = [(d - s - p).total_seconds() for d, s, p in decided.values_list(
            "decided_at", "submitted_at", "paused_for")]
        found[declared.key] = (len(seconds), statistics.median(seconds) if seconds else None)
    return found
