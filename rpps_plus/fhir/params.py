"""FHIR search parameters read from a query string, or refused with a 400 (an OperationOutcome).

Strict handling: an unknown parameter, a modifier, a repeated parameter (except `_lastUpdated`, whose
two bounds make a period) or a value out of its type is refused, never ignored (FHIR `handling=strict`).
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from esms_portal.core.errors import PortalError

MAX_VALUES = 20  # values of one parameter separated by commas (OR)
DEFAULT_COUNT, MAX_COUNT = 20, 100


class FhirError(PortalError, code="invalid", status=400, message="Requête FHIR invalide."):
    """An error answered as an OperationOutcome: `code` is its issue type (FHIR IssueType)."""


class UnknownResource(FhirError, code="not-found", status=404, message="Ressource introuvable."):
    pass


class NotAcceptable(FhirError, code="not-supported", status=406,
                    message="Ce serveur ne répond qu'en JSON (application/fhir+json)."):
    pass


class UnsupportedMediaType(FhirError, code="not-supported", status=415,
                           message="Une recherche par POST s'envoie en application/x-www-form-urlencoded."):
    pass


class Throttled(FhirError, code="throttled", status=429,
                message="Trop de requêtes : réessayez dans une minute."):
    pass


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": no system (`|code`)
    code: str


def tokens(name: str, raw: str) -> list[Token]:
    found = []
    for value in _values(name, raw):
        system, bar, code = value.rpartition("|") if "|" in value else (None, "", value)
        if not code:
            raise FhirError(f"Paramètre « {name} » : un code est attendu après « | ».")
        found.append(Token(system if bar else None, code))
    return found


def strings(name: str, raw: str) -> list[str]:
    return _values(name, raw)


def boolean(name: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise FhirError(f"Paramètre « {name} » : « true » ou « false » est attendu.")
    return raw == "true"


def references(name: str, raw: str, resource_type: str) -> list[str]:
    """The ids of `Type/id`, an absolute URL ending so, or a bare id."""
    ids = []
    for value in _values(name, raw):
        parts = value.rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2] != resource_type:
            raise FhirError(f"Paramètre « {name} » : une référence {resource_type}/id est attendue.")
        ids.append(parts[-1])
    return ids


def _values(name: str, raw: str) -> list[str]:
    if "\x00" in raw:
        raise FhirError(f"Paramètre « {name} » : caractère nul interdit.")
    values = [value.strip() for value in raw.split(",")]
    if not all(values):
        raise FhirError(f"Paramètre « {name} » : valeur vide.")
    if len(values) > MAX_VALUES:
        raise FhirError(f"Paramètre « {name} » : {MAX_VALUES} valeurs au plus.")
    return values


def count(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_COUNT
    if not raw.isdigit() or int(raw) < 1:
        raise FhirError("Paramètre « _count » : un entier positif est attendu.")
    return min(int(raw), MAX_COUNT)  # a server may return fewer than asked (FHIR search, _count)


_DATE = re.compile(r"^(?P<prefix>eq|gt|ge|lt|le)?(?P<value>\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                   r"(Z|[+-]\d{2}:\d{2})?)?)?)?)$")


def date_bounds(name: str, raw: str) -> dict:
    """`_lastUpdated=ge2026-01-01` to ORM lookups on the field: a date, a month or a year is the
    period it covers (gt: after its end, ge: from its start...); a time without zone is Paris time."""
    match = _DATE.match(raw)
    if not match:
        raise FhirError(f"Paramètre « {name} » : une date FHIR est attendue, précédée de gt, ge, lt, le ou eq "
                        "(ex. ge2026-01-01 ou gt2026-01-01T10:00:00Z).")
    start, end = _period(match["value"], name)
    prefix = match["prefix"] or "eq"
    return {
        "gt": {"gte": end}, "ge": {"gte": start}, "lt": {"lt": start}, "le": {"lt": end},
        "eq": {"gte": start, "lt": end},
    }[prefix]


def _period(value: str, name: str) -> tuple[datetime, datetime]:
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            step = timedelta(microseconds=1) if "." in value else timedelta(seconds=1 if value.count(":") > 1
                                                                            else 60)
            return moment, moment + step
        parts = [int(part) for part in value.split("-")]
        year, month, day = parts + [1] * (3 - len(parts))
        start = datetime(year, month, day)
        if len(parts) == 3:
            end = start + timedelta(days=1)
        elif len(parts) == 2:
            end = datetime(year + month // 12, month % 12 + 1, 1)
        else:
            end = datetime(year + 1, 1, 1)
    except ValueError:
        raise FhirError(f"Paramètre « {name} » : date impossible ({value}).") from None
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start.date(), time()), zone),
            timezone.make_aware(datetime.combine(end.date(), time()), zone))
