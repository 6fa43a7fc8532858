"""Change feeds on every list of the API: `updated_since` (ISO 8601 with its time zone) keeps the rows
changed since then, `ordering=updated_at` (or `-updated_at`) reads them in the order they changed. A
client syncs by asking, each run, what changed since its previous one, then following the cursor links.

The keyset cursor carries its ordering (esms_portal.core.keyset): ordered by `updated_at`, `pk` breaks
ties, so that two rows changed in the same microsecond are neither lost nor repeated between pages.
Every listed model has an `updated_at` (auto_now, indexed).
"""

from datetime import UTC

from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from esms_portal.core.errors import PortalError

SINCE = "updated_since"
ORDERING = "ordering"
ORDERINGS = ("updated_at", "-updated_at")


class InvalidUpdatedSince(PortalError, code="invalid_updated_since", status=400,
                          message="Paramètre updated_since invalide : une date et heure ISO 8601 avec son fuseau "
                                  "horaire est attendue (ex. 2026-12-01T08:00:00+01:00 ou 2026-12-01T07:00:00Z)."):
    pass


class InvalidOrdering(PortalError, code="invalid_ordering", status=400,
                      message="Paramètre ordering invalide : updated_at ou -updated_at."):
    pass


def parse_since(value: str):
    try:
        moment = parse_datetime(value.strip().replace(" ", "+"))  # an unencoded "+" reads as a space
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python parses (a fuzzer's +18:28).
        moment = moment.astimezone(UTC) if moment is not None and moment.tzinfo is not None else None
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise InvalidUpdatedSince(details={SINCE: value})
    return moment


def _with_updated_at_loaded(queryset: QuerySet) -> QuerySet:
    """A list read with `.only()` loads `updated_at` too: the cursor is built from it."""
    fields, deferred = queryset.query.deferred_loading
    if fields and not deferred and "updated_at" not in fields:
        return queryset.only(*fields, "updated_at")
    return queryset


def changes(queryset: QuerySet, query_params) -> QuerySet:
    """`queryset` narrowed to the rows changed since `updated_since` and ordered as `ordering` asks."""
    since, ordering = query_params.get(SINCE), query_params.get(ORDERING)
    if since:
        queryset = queryset.filter(updated_at__gte=parse_since(since))
    if ordering:
        if ordering not in ORDERINGS:
            raise InvalidOrdering(details={ORDERING: ordering})
        queryset = _with_updated_at_loaded(queryset.order_by(ordering, "-pk" if ordering[0] == "-" else "pk"))
    return queryset


# OpenAPI parameters, as the paginator documents its own (plain dicts: DRF imports this from its settings).
SCHEMA_PARAMETERS = [
    {"name": SINCE, "required": False, "in": "query", "schema": {"type": "string", "format": "date-time"},
     "description": "Flux de modifications : seulement les éléments modifiés depuis cette date et heure (ISO 8601 "
                    "avec fuseau horaire, incluse). Erreur 400 `invalid_updated_since` sinon."},
    {"name": ORDERING, "required": False, "in": "query", "schema": {"type": "string", "enum": list(ORDERINGS)},
     "description": "Ordre de la liste : `updated_at` (du plus ancien changement au plus récent, puis par "
                    "identifiant) ou `-updated_at` ; sans ce paramètre, l'ordre propre à la liste. "
                    "Erreur 400 `invalid_ordering` sinon."},
]
