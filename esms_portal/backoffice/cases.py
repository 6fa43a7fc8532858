"""The case index: one `Case` row per instructed request, written in the act's transaction after each
act (`act_performed`, record_creation included) and by `manage.py backoffice_index` for what exists.

Every declared request type (esms_portal.workflow.declarations) is indexed the same way: nothing
here names a type; a declaration may list the people its request names (`case_people`).
"""

import unicodedata
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from esms_portal.core.errors import InvalidInput, PortalError
from esms_portal.models import Case, Stage
from esms_portal.workflow.declarations import request_type, request_types
from esms_portal.workflow.events import act_performed, acts_performed
from esms_portal.workflow.instruction import window

# The deadline of a case whose clock is paused before it was late: it cannot become late meanwhile.
PAUSED = datetime(9999, 1, 1, tzinfo=UTC)
NEVER_LATE_DAYS = 30000
FEMININE_STATES = {  # « demande » is feminine, whatever the request's own labels say
    "submitted": "Déposée", "in_instruction": "En instruction", "completion_requested": "Compléments demandés",
    "accepted": "Acceptée", "rejected": "Refusée", "withdrawn": "Abandonnée", "terminated": "Résiliée",
}


class CaseNotFound(PortalError, code="case_not_found", status=404, message="Dossier introuvable."):
    pass


def fold(text: str) -> str:
    """Upper case, no accents, single spaces: what the search compares."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(plain.upper().replace("-", " ").replace("'", " ").split())


def reference_of(pk) -> str:
    """The request's number as people quote it (esms_portal.workflow.act_pages.reference_of)."""
    return str(pk).split("-")[0].upper()


def stage_of(declared, state: str) -> str:
    if state not in declared.waiting_states:
        return Stage.CLOSED
    if state == "in_instruction":
        return Stage.INSTRUCTION
    if state == "completion_requested":
        return Stage.COMPLETION
    return Stage.WAITING


def deadline_of(filed_at, paused_at, paused_for: timedelta, high_days: int):
    """When the running clock passes the window's last day (day 16 is still on time, R-CON-5)."""
    late_at = filed_at + paused_for + timedelta(days=high_days + 1)
    if paused_at is not None and paused_at < late_at:
        return PAUSED
    return late_at


def _window_days(declared) -> tuple[int, int]:
    low, high = window(declared.window)
    return (low.days if low else 0), (high.days if high else NEVER_LATE_DAYS)


def case_values(declared, request) -> dict:
    organisation = request.organisation
    people = ", ".join(name for name in declared.case_people(request) if name.strip())[:500]
    low, high = _window_days(declared)
    state = request.state
    labels = dict(type(request)._meta.get_field("state").choices)
    stage = stage_of(declared, state)
    return {
        "organisation": organisation,
        "organisation_name": organisation.name,
        "finess": organisation.finess or "",
        "siret": organisation.siret or "",
        "region": organisation.region,
        "departement": organisation.departement,
        "people": people,
        "search_text": fold(f"{organisation.name} {organisation.long_name} {people}"),
        "number": reference_of(request.pk),
        "state": state,
        "state_label": FEMININE_STATES.get(state, str(labels.get(state, state))),
        "stage": stage,
        "is_open": stage != Stage.CLOSED,
        "filed_at": request.submitted_at,
        "paused_at": request.paused_at,
        "paused_for": request.paused_for,
        "decided_at": request.decided_at,
        "deadline": deadline_of(request.submitted_at, request.paused_at, request.paused_for, high),
        "window_low_days": low,
        "window_high_days": min(high, NEVER_LATE_DAYS),
    }


def index_request(request) -> Case | None:
    """Write (or remove) the case of `request` after an act, in the act's transaction."""
    declared = getattr(type(request), "request_type", None)
    if declared is None:
        return None
    key, object_id = declared.key, str(request.pk)
    if request.submitted_at is None:  # a draft again, or never filed: nothing for the agents
        Case.objects.filter(type_key=key, object_id=object_id).delete()
        return None
    case, created = Case.objects.update_or_create(
        type_key=key, object_id=object_id, defaults=case_values(declared, request)
    )
    agent_id = getattr(request, "agent_id", None)
    if agent_id and case.assignee_id is None:  # taken by the act itself (start_instruction)
        case.assignee_id = agent_id
        case.save(update_fields=["assignee"])
        case.followers.add(agent_id)
    return case


def index_requests(requests) -> None:
    """Index requests written in bulk, without acts (an import): each as after an act."""
    for request in requests:
        index_request(request)


def _on_act(sender, request, **kwargs):
    if getattr(sender, "request_type", None) is not None:
        index_request(request)


def _on_acts(sender, requests, **kwargs):
    if getattr(sender, "request_type", None) is not None:
        index_requests(requests)


def connect() -> None:
    request_types()  # binds each model's `request_type`
    act_performed.connect(_on_act, dispatch_uid="backoffice.cases")
    acts_performed.connect(_on_acts, dispatch_uid="backoffice.cases-bulk")


def backfill(declared_types=None, *, chunk: int = 500) -> int:
    """Index every filed request of the declared types (after a deploy, or a bulk load without acts)."""
    written = 0
    for declared in declared_types or request_types():
        filed = declared.model._default_manager.filter(submitted_at__isnull=False).order_by("pk")
        for request in filed.iterator(chunk_size=chunk):
            index_request(request)
            written += 1
    return written


# Case references: « <type_key>:<pk> », between the pages, the API and the bulk actions.
def parse_ref(ref: str) -> tuple[str, str]:
    key, _, object_id = str(ref).partition(":")
    if not object_id or request_type(key) is None or len(object_id) > 40:
        raise InvalidInput("Référence de dossier invalide.", code="invalid_case_ref", details={"ref": ref})
    return key, object_id


def refs_query(refs) -> Q:
    pairs = [parse_ref(ref) for ref in refs]
    if not pairs:
        raise InvalidInput("Choisissez au moins un dossier.", code="no_case")
    query = Q(pk__in=[])
    for key, object_id in pairs:
        query |= Q(type_key=key, object_id=object_id)
    return query


def cases_for(refs, *, lock: bool = False) -> list[Case]:
    """The cases named by `refs`, all of them or CaseNotFound (locked for an act when `lock`)."""
    refs = list(dict.fromkeys(refs))
    query = Case.objects.filter(refs_query(refs)).order_by("pk")
    if lock:
        query = query.select_for_update(of=("self",))
    found = list(query)
    if len(found) != len(refs):
        raise CaseNotFound(details={"missing": sorted(set(refs) - {case.ref for case in found})})
    return found


def case_get(ref: str) -> Case:
    return cases_for([ref])[0]


def instruction_days(case: Case, now=None) -> int:
    if case.filed_at is None:
        return 0
    end = case.decided_at or case.paused_at or now or timezone.now()
    return max(end - case.filed_at - case.paused_for, timedelta()).days


def timeliness(case: Case, now=None) -> str:
    days = instruction_days(case, now)
    if days > case.window_high_days:
        return "late"
    return "due" if days >= case.window_low_days else "on_time"
