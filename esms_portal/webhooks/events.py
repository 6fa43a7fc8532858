"""Events to deliver: each act the apps perform reaches the kernel through `act_performed`
(esms_portal.workflow.events), sent inside the act's transaction; the events it raises are the
ones declared in the apps' `portal.py` (esms_portal.webhooks.registry). An event that is no act
(a timed step's warning) is sent by its app with `emit`, also inside its transaction.

Either way one WebhookDelivery row per interested subscription, and the step of its first attempt,
are written in that transaction: what is rolled back is never delivered. The payload names the
event, the object (type, id, state) and its organisation, never a person's name or contact data.
"""

from datetime import UTC

from django.db import transaction
from django.utils import timezone

from esms_portal.core.extensions import WebhookEvent
from esms_portal.core.permissions import tenant_of
from esms_portal.models import SubscriptionState, WebhookDelivery, WebhookSubscription
from esms_portal.steps.bulk import schedule_steps_bulk
from esms_portal.webhooks import delivery, registry, signing
from esms_portal.workflow.events import act_performed, acts_performed


def payload(event: WebhookEvent, obj, *, organisation_id, state: str, previous_state: str, act: str, at) -> dict:
    subject = {"type": event.object_type, "id": str(obj.pk), "state": event.state or state,
               "previous_state": previous_state or None}
    request_type = getattr(type(obj), "request_type", None)
    if event.object_type == "request" and request_type is not None:
        subject["request_type"] = request_type.key
    return {
        "type": event.type,
        "timestamp": at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": {"object": subject, "act": act or None, "organisation": {"id": str(organisation_id)}},
    }


def _organisation_of(obj):
    try:
        return tenant_of(obj)
    except AttributeError:  # an empty relation on the way to the EJ: nobody to tell
        return None


def emit(event_type: str, obj, *, state: str | None = None, previous_state: str = "", act: str = "") -> int:
    """Queue `event_type` about `obj` for its organisation's subscribers, in the current transaction.
    Returns how many deliveries were queued."""
    return _queue([registry.event(event_type)], obj, state=getattr(obj, "state", "") if state is None else state,
                  previous_state=previous_state, act=act)


def _delivery(subscription: WebhookSubscription, event_type: str, body: dict, now) -> WebhookDelivery:
    active = subscription.state == SubscriptionState.ACTIVE  # a paused one keeps it for its resumption
    return WebhookDelivery(subscription=subscription, message_id=signing.new_message_id(), event_type=event_type,
                           payload=body, next_attempt_at=now if active else None,
                           last_error="" if active else delivery.HELD)


def _queue(events: list[WebhookEvent], obj, *, state: str, previous_state: str, act: str) -> int:
    return _queue_many(events, [(obj, state, previous_state)], act=act)


def _queue_many(events: list[WebhookEvent], changes: list[tuple], *, act: str) -> int:
    """Queue `events` about each (object, state, previous state) of `changes`, for their organisations'
    subscribers: a few statements whatever the number of objects and subscribers (the act pays for them)."""
    changes = [(obj, _organisation_of(obj), state, previous) for obj, state, previous in changes]
    changes = [change for change in changes if change[1] is not None]
    if not changes:
        return 0
    subscriptions = {}
    for subscription in WebhookSubscription.objects.filter(organisation_id__in={c[1] for c in changes}):
        subscriptions.setdefault(subscription.organisation_id, []).append(subscription)
    now = timezone.now()
    rows = []
    for obj, organisation_id, state, previous_state in changes:
        wanted = [(event, s) for event in events for s in subscriptions.get(organisation_id, ()) if s.wants(event.type)]
        bodies = {event.type: payload(event, obj, organisation_id=organisation_id, state=state,
                                      previous_state=previous_state, act=act, at=now) for event, _ in wanted}
        rows += [_delivery(subscription, event.type, bodies[event.type], now) for event, subscription in wanted]
    if not rows:
        return 0
    with transaction.atomic():
        created = WebhookDelivery.objects.bulk_create(rows)
        schedule_steps_bulk(delivery.STEP_KIND, WebhookDelivery,
                            [(row.pk, now) for row in created if row.next_attempt_at], occurrence="0")
    return len(rows)


def _act_performed(sender, request, act, entry, **kwargs) -> None:
    events = registry.raised_by(sender, act, changed=entry.from_state != entry.to_state)
    if events:  # no query for an act that raises nothing
        _queue(events, request, state=entry.to_state, previous_state=entry.from_state, act=act)


def _acts_performed(sender, requests, act, entries, **kwargs) -> None:
    """The same for requests created together (a bulk order): one subscriptions query for them all."""
    for changed in (False, True):
        events = registry.raised_by(sender, act, changed=changed)
        batch = [(r, e.to_state, e.from_state) for r, e in zip(requests, entries, strict=True)
                 if (e.from_state != e.to_state) == changed]
        if events and batch:
            _queue_many(events, batch, act=act)


def connect() -> None:
    act_performed.connect(_act_performed, dispatch_uid="webhooks-act-performed")
    acts_performed.connect(_acts_performed, dispatch_uid="webhooks-acts-performed")
