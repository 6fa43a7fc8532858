"""A queue's rows as pages and exports show them: the case plus what its declaration says (type label,
page) and its instruction clock, read without a query per row."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from esms_portal.backoffice.cases import instruction_days, timeliness
from esms_portal.models import Case
from esms_portal.workflow.declarations import request_type
from esms_portal.workflow.instruction import TIMELINESS_LABELS, Timeliness

STAGE_BADGES = {"waiting": "new", "instruction": "info", "completion": "warning"}
STATE_BADGES = {"accepted": "success", "rejected": "error", "withdrawn": "", "terminated": "error"}


@dataclass
class Row:
    case: Case
    type_label: str
    url: str
    days: int
    timeliness: str
    timeliness_label: str
    badge: str
    unread: int = 0

    @property
    def ref(self) -> str:
        return self.case.ref


def detail_url(case: Case) -> str:
    declared = request_type(case.type_key)
    try:
        return reverse(declared.detail_url, args=[case.object_id]) if declared and declared.detail_url else ""
    except NoReverseMatch:
        return ""


def row_of(case: Case, now=None, unread: dict | None = None) -> Row:
    declared = request_type(case.type_key)
    reading = timeliness(case, now)
    badge = STATE_BADGES.get(case.state) if not case.is_open else STAGE_BADGES.get(case.stage, "info")
    return Row(case=case, type_label=declared.label if declared else case.type_key, url=detail_url(case),
               days=instruction_days(case, now), timeliness=reading,
               timeliness_label=TIMELINESS_LABELS[Timeliness(reading)], badge=badge or "",
               unread=(unread or {}).get(case.ref, 0))


def rows_of(cases, unread: dict | None = None) -> list[Row]:
    now = timezone.now()
    return [row_of(case, now, unread) for case in cases]
