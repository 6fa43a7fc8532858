"""The events programs may subscribe to, as the kernel and the apps declare them in their `portal.py`
(`PortalExtension.webhook_events`, esms_portal.core.extensions.WebhookEvent)."""

from functools import cache

from esms_portal.core.extensions import WebhookEvent, extensions


@cache
def declared() -> tuple[WebhookEvent, ...]:
    events, seen = [], set()
    for extension in extensions():
        for event in extension.webhook_events:
            if event.type in seen:
                raise ValueError(f"webhook event {event.type!r} is declared twice")
            seen.add(event.type)
            events.append(event)
    return tuple(events)


def event_types() -> list[str]:
    return [event.type for event in declared()]


def choices() -> list[tuple[str, str]]:
    return [(event.type, event.label) for event in declared()]


def event(event_type: str) -> WebhookEvent:
    for found in declared():
        if found.type == event_type:
            return found
    raise LookupError(f"undeclared webhook event {event_type!r}: declare it in a portal.py")


def raised_by(model, act: str, *, changed: bool) -> list[WebhookEvent]:
    """The events an act on `model` raises: those declared for its acts or for any change of its
    state; an event declared without a model stands for every instructed request type."""
    label = model._meta.label
    instructed = getattr(model, "request_type", None) is not None
    found = []
    for candidate in declared():
        if candidate.model == label:
            if act in candidate.acts or (candidate.on_state_change and changed):
                found.append(candidate)
        elif not candidate.model and candidate.on_state_change and changed and instructed:
            found.append(candidate)
    return found
