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
from esms_portal.workflow.events import act_performed


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
    organisation_id = _organisation_of(obj)
    if organisation_id is None:
        return 0
    subscriptions = list(WebhookSubscription.objects.filter(organisation_id=organisation_id))
    wanted = [(event, s) for event in events for s in subscriptions if s.wants(event.type)]
    if not wanted:
        return 0
    now = timezone.now()
    bodies = {event.type: payload(event, obj, organisation_id=organisation_id, state=state,
                                  previous_state=previous_state, act=act, at=now) for event in events}
    rows = [_delivery(subscription, event.type, bodies[event.type], now) for event, subscription in wanted]
    # A few statements per event whatever the number of subscribers: the act pays for them.
    with transaction.atomic():
        created = WebhookDelivery.objects.bulk_create(rows)
        schedule_steps_bulk(delivery.STEP_KIND, WebhookDelivery,
                            [(row.pk, now) for row in created if row.next_attempt_at], occurrence="0")
    return len(wanted)


def _act_performed(sender, request, act, entry, **kwargs) -> None:
    events = registry.raised_by(sender, act, changed=entry.from_state != entry.to_state)
    if events:  # no query for an act that raises nothing
        _queue(events, request, state=entry.to_state, previous_state=entry.from_state, act=act)


def connect() -> None:
    act_performed.connect(_act_performed, dispatch_uid="webhooks-act-performed")
