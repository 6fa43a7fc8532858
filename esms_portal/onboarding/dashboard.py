"""The agents' national dashboard: how many organisations stand at each step, the median time spent
per step against the documents' delays, the oldest waiting ones; by region and department.

The rows of `base_query` (rows.py) give each EJ's date per milestone. Joining them over 40,000 EJs
costs about 470 ms, so `figures` reads the same rows kept in OnboardingProgress (progress.py writes
them from `base_query`) and aggregates one narrow table; `live_figures` still joins them, for the
proofs and the benchmark. PostgreSQL aggregates in SQL (percentile_cont); other databases (the
embedded demo) get the same figures in Python.
"""

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from esms_portal.core import tenant
from esms_portal.models import OnboardingProgress
from esms_portal.onboarding.milestones import BY_KEY, MILESTONES, Milestone
from esms_portal.onboarding.progress import repair
from esms_portal.onboarding.rows import base_query, column, current_case
from esms_portal.onboarding.support import span

OLDEST = 20


@dataclass
class StepFigure:
    milestone: Milestone
    current: int = 0  # organisations whose first unfinished step is this one
    done: int = 0
    median: timedelta | None = None  # from the step becoming possible to its completion
    expected: timedelta = timedelta()  # the documents' delays for it

    @property
    def median_days(self) -> float | None:
        return None if self.median is None else round(self.median.total_seconds() / 86400, 1)

    @property
    def expected_days(self) -> float:
        return round(self.expected.total_seconds() / 86400, 1)

    @property
    def late(self) -> bool:
        return self.median is not None and bool(self.expected) and self.median > self.expected


@dataclass
class Figures:
    total: int = 0
    complete: int = 0
    steps: list[StepFigure] = field(default_factory=list)
    oldest: list[dict] = field(default_factory=list)


def _start(milestone: Milestone) -> str:
    """SQL: when the step became possible (its prerequisites' latest completion)."""
    deps = [column(BY) for BY in MILESTONES if BY.key in (*milestone.depends_on, *milestone.after)]
    if not deps:
        return "created_at"
    return deps[0] if len(deps) == 1 else f"GREATEST({', '.join(deps)})"


def figures(*, region: str = "", departement: str = "", now: datetime | None = None) -> Figures:
    """The dashboard, read from the progress rows (OnboardingProgress): the EJs whose row is not
    up to date yet are recomputed first (progress.repair)."""
    now = now or timezone.now()
    repair()
    if connection.vendor == "postgresql":
        staged, params = _progress_rows(region=region, departement=departement)
        return _postgres_figures(staged, params, now, materialize=False)
    return python_figures(_progress_dicts(region=region, departement=departement), now)


def live_figures(*, region: str = "", departement: str = "", now: datetime | None = None) -> Figures:
    """The same figures computed from the apps' tables (base_query), without the progress rows."""
    now = now or timezone.now()
    sql, params = base_query(region=region, departement=departement)
    if connection.vendor == "postgresql":
        step, since = current_case()
        return _postgres_figures(f"SELECT *, {step} AS step, {since} AS since FROM ({sql}) AS base", params, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return python_figures(rows, now)


def _progress_filter(region: str, departement: str):
    rows = OnboardingProgress.objects.all()
    if region:
        rows = rows.filter(region=region)
    if departement:
        rows = rows.filter(departement=departement)
    return rows


def _progress_rows(*, region: str, departement: str) -> tuple[str, list]:
    """SQL: the progress rows under base_query's column names, with their step and since."""
    dates = [F(f"{m.key}_at") for m in MILESTONES]
    rows = _progress_filter(region, departement).order_by().values(
        "region", "departement", "created_at", "step", "since", id=F("organisation_id"),
        **{column(m): date for m, date in zip(MILESTONES, dates, strict=True)},
    )
    return rows.query.sql_with_params()


def _progress_dicts(*, region: str, departement: str) -> list[dict]:
    return list(_progress_filter(region, departement).values(
        "region", "departement", "created_at", id=F("organisation_id"), name=F("organisation__name"),
        identifier=Coalesce(F("organisation__finess"), F("organisation__siret")),
        **{column(m): F(f"{m.key}_at") for m in MILESTONES},
    ))


def _postgres_figures(staged_sql: str, params: list, now: datetime, *, materialize: bool = True) -> Figures:
    """One statement over `staged_sql` (rows with base_query's columns, `step` and `since`).

    `materialize`: the joined rows are computed once for the counts, the medians and the oldest
    waiting organisations. The progress table is rather read twice: its partial index gives the
    oldest in a few rows, where a CTE would first copy 40,000."""
    structure = tenant.structure_model()._meta.db_table
    aggregates = ["COUNT(*)", "COUNT(*) FILTER (WHERE step = 'complete')"]
    for m in MILESTONES:
        aggregates.append(f"COUNT(*) FILTER (WHERE step = '{m.key}')")
        aggregates.append(f"COUNT({column(m)})")
        # date_part is double precision; EXTRACT is numeric since PostgreSQL 14, twice as slow to
        # sort for the same medians.
        aggregates.append(
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY GREATEST(date_part('epoch', {column(m)} - {_start(m)}), 0))"
            f" FILTER (WHERE {column(m)} IS NOT NULL AND {_start(m)} IS NOT NULL)"
            if m.depends_on or m.after else "NULL"
        )
    # The names of the 20 oldest only are looked up.
    oldest = ("(SELECT json_agg(o) FROM (SELECT w.id, ej.name, COALESCE(ej.finess, ej.siret) AS identifier, "
              "w.region, w.departement, w.step, w.since FROM (SELECT id, region, departement, step, since "
              f"FROM {'staged' if materialize else f'({staged_sql}) AS staged'} WHERE step <> 'complete' "
              f"ORDER BY since, id LIMIT %s) AS w JOIN {structure} AS ej ON ej.id = w.id ORDER BY w.since, w.id) AS o)")
    if materialize:
        statement = f"WITH staged AS MATERIALIZED ({staged_sql}) SELECT {', '.join(aggregates)}, {oldest} FROM staged"
        arguments = [*params, OLDEST]
    else:
        statement = f"SELECT {', '.join(aggregates)}, {oldest} FROM ({staged_sql}) AS staged"
        arguments = [*params, OLDEST, *params]
    with connection.cursor() as cursor:
        cursor.execute(statement, arguments)
        row = cursor.fetchone()
    oldest = [{**o, "since": parse_datetime(o["since"]) if o["since"] else None} for o in (row[-1] or [])]
    result = Figures(total=row[0], complete=row[1])
    for index, milestone in enumerate(MILESTONES):
        current, done, median = row[2 + 3 * index: 5 + 3 * index]
        result.steps.append(StepFigure(milestone, current, done, None if median is None else timedelta(
            seconds=float(median)), span(*milestone.delays)))
    result.oldest = [_oldest_row(o, now) for o in oldest]
    return result


def python_figures(rows: list[dict], now: datetime) -> Figures:
    """The same figures from the joined rows (databases without percentile_cont)."""
    result = Figures(total=len(rows))
    waiting = []
    durations = {m.key: [] for m in MILESTONES}
    for row in rows:
        previous = row["created_at"]
        current = None
        for milestone in MILESTONES:
            done = row[column(milestone)]
            if done is None and current is None:
                current = milestone.key
                waiting.append({**row, "step": current, "since": previous})
            starts = [row[column(m)] for m in MILESTONES if m.key in (*milestone.depends_on, *milestone.after)]
            if done is not None and starts and None not in starts:
                durations[milestone.key].append(max((done - max(starts)).total_seconds(), 0))
            previous = done
        row["step"] = current or "complete"
    result.complete = sum(1 for r in rows if r["step"] == "complete")
    for milestone in MILESTONES:
        found = durations[milestone.key]
        result.steps.append(StepFigure(
            milestone, sum(1 for r in rows if r["step"] == milestone.key),
            sum(1 for r in rows if r[column(milestone)] is not None),
            timedelta(seconds=statistics.median(found)) if found else None, span(*milestone.delays),
        ))
    waiting.sort(key=lambda r: (r["since"], str(r["id"])))
    result.oldest = [_oldest_row(r, now) for r in waiting[:OLDEST]]
    return result


def _oldest_row(row: dict, now: datetime) -> dict:
    since = row["since"]
    return {**{k: row[k] for k in ("name", "identifier", "region", "departement", "since")}, "id": str(row["id"]),
            "step": BY_KEY[row["step"]], "days": (now - since).days if since else None}
