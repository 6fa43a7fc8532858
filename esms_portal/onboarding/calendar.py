"""The timeline's dates as a calendar, and its iCalendar export (RFC 5545), so that the project
team can plan as the webinar asks (« établir un calendrier des étapes à réaliser »)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from esms_portal.onboarding.milestones import Status
from esms_portal.onboarding.timeline import Step, Timeline

KIND_LABELS = {"done": "Réalisée", "expected": "Prévue", "projected": "Estimée"}


@dataclass(frozen=True)
class Event:
    step: Step
    at: datetime
    kind: str  # done, expected (a request's own clock) or projected (earlier steps + delays)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def events(timeline: Timeline) -> list[Event]:
    found = []
    for step in timeline.steps:
        if step.planned_at is None:
            continue
        kind = "done" if step.status == Status.DONE else ("projected" if step.is_projection else "expected")
        found.append(Event(step, step.planned_at, kind))
    return sorted(found, key=lambda e: (e.at, e.step.milestone.number))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued by a space (RFC 5545 section 3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(timeline: Timeline, *, host: str = "portail-esms") -> str:
    organisation = timeline.organisation
    now = _stamp(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Portail ESMS//Calendrier d'embarquement//FR",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_escape(f'Embarquement — {organisation.name}')}"]
    for event in events(timeline):
        step = event.step
        start = event.at
        summary = f"{step.milestone.number}. {step.milestone.label} ({event.kind_label.lower()})"
        description = [step.state.summary, f"État : {step.status_label}."]
        if step.waiting_label:
            description.append(f"En attente de : {step.waiting_label}.")
        if step.state.action:
            description.append(f"Action : {step.state.action.label}.")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{organisation.pk}-{step.milestone.key}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(start + timedelta(minutes=30))}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(' '.join(description))}",
            f"CATEGORIES:{_escape(event.kind_label)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
