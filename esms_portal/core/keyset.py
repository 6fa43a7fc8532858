"""Keyset (cursor) pagination: a page is the rows after (or before) a key in the list's ordering.

OFFSET reads and throws away every row before the page, so the ten-thousandth page of a list of
millions costs ten thousand pages; a key is found in an index and read from there, the same cost on
any page. A list's ordering (its `order_by`, else its model's `Meta.ordering`) ends with `pk`, so
that a key is one row; the fields of an ordering are columns that are never NULL.

A cursor is opaque for clients: the key of the first or last row of a page, the direction, and the
ordering it belongs to, signed (a tampered or foreign cursor is `InvalidCursor`, never a 500).
No list counts its rows: `capped_count` says « plus de 1 000 » instead of reading millions.
"""

import operator
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import reduce

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from esms_portal.core.errors import PortalError

SALT = "esms_portal.core.keyset"
COUNT_CAP = 1000
ADMIN_COUNT_CAP = 10_000


class InvalidCursor(PortalError, code="invalid_cursor", status=404,
                    message="Page introuvable : le lien de pagination est invalide ou périmé."):
    pass


@dataclass
class Page:
    rows: list
    next: str | None  # the cursor of the following page, None on the last one
    previous: str | None  # the cursor of the page before, None on the first one


def ordering_of(queryset: QuerySet) -> list[str]:
    """The list's ordering, `pk` appended when it does not end with a unique key already."""
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(not isinstance(field, str) for field in order):
        raise TypeError(f"keyset pagination orders by field names, not expressions: {order!r}")
    if not order or order[-1].lstrip("-") not in ("pk", "id"):
        order.append("pk")
    return order


def page_rows(queryset: QuerySet, cursor: str | None, size: int) -> tuple[QuerySet, bool]:
    """The query of a page (`size` + 1 rows, to know whether another follows) and its direction."""
    order = ordering_of(queryset)
    backwards = False
    if cursor:
        backwards, values = _decode(cursor, order)
        queryset = queryset.filter(_beyond(order, values, backwards))
    return queryset.order_by(*(_reverse(order) if backwards else order))[: size + 1], backwards


def cursor_after(queryset: QuerySet, row) -> str:
    """The cursor of the page that starts after `row` of `queryset` (benchmarks, query-plan tests)."""
    return _encode(ordering_of(queryset), row, backwards=False)


def page(queryset: QuerySet, cursor: str | None, size: int) -> Page:
    """The `size` rows after (or before) `cursor` in `queryset`'s ordering; the first page without one."""
    order = ordering_of(queryset)
    query, backwards = page_rows(queryset, cursor, size)
    rows = list(query)
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next, has_previous = (True, more) if backwards else (more, bool(cursor))
    return Page(
        rows=rows,
        next=_encode(order, rows[-1], backwards=False) if rows and has_next else None,
        previous=_encode(order, rows[0], backwards=True) if rows and has_previous else None,
    )


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, read no further than `cap` + 1: (count, whether there are more than `cap`)."""
    found = queryset.order_by().values("pk")[: cap + 1].count()  # no annotation evaluated per row
    return min(found, cap), found > cap


def count_label(queryset: QuerySet, singular: str, plural: str, cap: int = COUNT_CAP) -> str:
    """« 1 carte », « 42 cartes », « plus de 1 000 cartes » (a capped count)."""
    found, more = capped_count(queryset, cap)
    return f"{_amount(found, more, cap)} {plural if more or found > 1 else singular}"


def count_text(queryset: QuerySet, cap: int = COUNT_CAP) -> str:
    """« 42 » or « plus de 1 000 »: a capped count to show beside a title."""
    return _amount(*capped_count(queryset, cap), cap)


def _amount(found: int, more: bool, cap: int) -> str:
    """French digit grouping (a narrow no-break space): « 1 000 »."""
    number = f"{cap if more else found:,}".replace(",", "\u202f")
    return f"plus de {number}" if more else number


class CappedPaginator(Paginator):
    """The Django admin's paginator over tables of millions of rows (audit trail, cards, professionals):
    its count stops at ADMIN_COUNT_CAP, so that its pages (OFFSET) stop there too."""

    @cached_property
    def count(self) -> int:
        return capped_count(self.object_list, ADMIN_COUNT_CAP)[0]


def _reverse(order: list[str]) -> list[str]:
    return [field[1:] if field.startswith("-") else f"-{field}" for field in order]


def _beyond(order: list[str], values: list, backwards: bool) -> Q:
    """Rows strictly after the key (before it when `backwards`), lexicographically. The first field's
    bound (`>=`) repeats the first clause so that the database starts its index scan at the key
    instead of filtering every row before it."""
    clauses, equal = [], Q()
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        ascending = field.startswith("-") == backwards
        clauses.append(equal & Q(**{f"{name}__{'gt' if ascending else 'lt'}": value}))
        equal &= Q(**{name: value})
    first = order[0].lstrip("-")
    ascending = order[0].startswith("-") == backwards
    return Q(**{f"{first}__{'gte' if ascending else 'lte'}": values[0]}) & reduce(operator.or_, clauses)


def _value(row, field: str):
    name = field.lstrip("-")
    if isinstance(row, dict):
        return row[name]
    value = row
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def _plain(value):
    """A key value as JSON keeps it exactly (microseconds included, unlike DjangoJSONEncoder)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _encode(order: list[str], row, *, backwards: bool) -> str:
    values = [_plain(_value(row, field)) for field in order]
    return signing.dumps({"o": ",".join(order), "v": values, "b": backwards}, salt=SALT, compress=True)


def _decode(cursor: str, order: list[str]) -> tuple[bool, list]:
    try:
        payload = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidCursor from None
    if not isinstance(payload, dict) or payload.get("o") != ",".join(order):
        raise InvalidCursor
    values = payload.get("v")
    if not isinstance(values, list) or len(values) != len(order):
        raise InvalidCursor
    return bool(payload.get("b")), values


def html_page(request, queryset: QuerySet, size: int) -> Page:
    """A page of an HTML list from its `cursor` parameter: a bad cursor is a 404 page."""
    from django.http import Http404

    try:
        result = page(queryset, request.GET.get("cursor") or None, size)
    except (InvalidCursor, ValidationError, ValueError) as error:
        raise Http404("Page introuvable.") from error
    return result


def query_without_cursor(request) -> str:
    """The page's query string without its cursor, for « Suivant / Précédent » links."""
    kept = request.GET.copy()
    kept.pop("cursor", None)
    kept.pop("page", None)
    return kept.urlencode()
