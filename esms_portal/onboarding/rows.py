"""The milestone dates of each EJ, one row per EJ: what the live dashboard aggregates
(dashboard.live_figures) and what the progress rows store (progress.refresh). Both read this one
definition, so that the table and the live figures never differ.

Each provider gives, per milestone, rows (organisation_id, done_at); `base_query` left-joins them
to the EJs (one date per milestone, in the column `column(milestone)`).
"""

from esms_portal.core import tenant
from esms_portal.models import ServiceDeclaration
from esms_portal.onboarding.milestones import MILESTONES, Milestone
from esms_portal.onboarding.registry import providers


def column(milestone: Milestone) -> str:
    return f"d_{milestone.key}"


def base_query(*, region: str = "", departement: str = "", organisations=None) -> tuple[str, list]:
    """One row per EJ: id, name, identifier, region, departement, created_at, then each milestone's done_at.

    `organisations` (EJ ids) narrows every provider's rows to them, so that one EJ costs a few index
    lookups instead of the national join."""
    model = tenant.structure_model()
    structure = model._meta.db_table
    declarations = ServiceDeclaration._meta.db_table
    querysets = {m.key: [] for m in MILESTONES}
    for provider in providers():
        for key, found in provider.done_at_querysets().items():
            if organisations is not None:
                found = [queryset.filter(organisation_id__in=organisations) for queryset in found]
            querysets[key].extend(found)
    ctes, params, columns, joins = [], [], [], []
    for milestone in MILESTONES:
        name = f"m_{milestone.key}"
        parts = []
        for queryset in querysets[milestone.key]:
            sql, part_params = queryset.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS p{len(params)}_{len(parts)}")
            params.extend(part_params)
        if not parts:
            columns.append(f"NULL AS {column(milestone)}")
            continue
        ctes.append(f"{name} AS MATERIALIZED (SELECT u.organisation_id, MIN(u.done_at) AS done_at FROM ("
                    + " UNION ALL ".join(parts) + ") AS u GROUP BY u.organisation_id)")
        joins.append(f"LEFT JOIN {name} ON {name}.organisation_id = ej.id")
        done = f"{name}.done_at"
        if milestone.skipped_by_rpps_plus:  # declared not needed (R-RPP-2): settled on the declaration
            done = f"COALESCE({done}, CASE WHEN decl.rpps_plus_needed = FALSE THEN decl.updated_at END)"
        columns.append(f"{done} AS {column(milestone)}")
    where, where_params = ["ej.id = ej.legal_entity_id"], []
    if region:
        where.append("ej.region = %s")
        where_params.append(region)
    if departement:
        where.append("ej.departement = %s")
        where_params.append(departement)
    if organisations is not None:
        ids_sql, ids_params = model.objects.filter(pk__in=organisations).order_by().values("pk").query.sql_with_params()
        where.append(f"ej.id IN ({ids_sql})")
        where_params.extend(ids_params)
    sql = (
        ("WITH " + ", ".join(ctes) + " " if ctes else "")
        + "SELECT ej.id, ej.name, COALESCE(ej.finess, ej.siret) AS identifier, ej.region, ej.departement, "
        + "ej.created_at, " + ", ".join(columns)
        + f" FROM {structure} AS ej " + " ".join(joins)
        + f" LEFT JOIN {declarations} AS decl ON decl.organisation_id = ej.id WHERE " + " AND ".join(where)
    )
    return sql, params + where_params


def current_case() -> tuple[str, str]:
    """SQL: the first unfinished step, and since when the organisation waits at it."""
    step = " ".join(f"WHEN {column(m)} IS NULL THEN '{m.key}'" for m in MILESTONES)
    previous = ["created_at"] + [column(m) for m in MILESTONES[:-1]]
    since = " ".join(f"WHEN {column(m)} IS NULL THEN {p}" for m, p in zip(MILESTONES, previous, strict=True))
    return f"CASE {step} ELSE 'complete' END", f"CASE {since} END"
