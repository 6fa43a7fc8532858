"""Acts on subscriptions, one function each, called by the pages and the API alike (STYLE.md 3):
subscribe (the secret is returned once), pause, resume, rotate the secret, delete. Each checks `webhook.manage`
(the organisation's legal representative) and writes its audit row."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from esms_portal.core.errors import InvalidInput, StateConflict
from esms_portal.core.permissions import require
from esms_portal.models import DeliveryState, SubscriptionState, WebhookSubscription
from esms_portal.webhooks import addresses, delivery, registry, signing
from esms_portal.workflow import audit

MAX_PER_ORGANISATION = 20
ROTATION_OVERLAP = timedelta(hours=24)


def _clean_events(event_types) -> list[str]:
    known = registry.event_types()
    unknown = sorted(set(event_types) - set(known))
    if unknown:
        raise InvalidInput(f"Événement inconnu : {', '.join(unknown)}.", code="webhook_event_unknown",
                           details={"known": known})
    return [event_type for event_type in known if event_type in set(event_types)]


def webhook_subscribe(*, actor, organisation, url: str, event_types=(), description: str = ""
                      ) -> tuple[WebhookSubscription, str]:
    """Subscribe `url` to `event_types` (all of them when empty); returns the subscription and its
    secret, which is shown this once."""
    require(actor, "webhook.manage", organisation)
    url = url.strip()
    addresses.checked(url)
    events = _clean_events(event_types)
    with transaction.atomic():
        if WebhookSubscription.objects.filter(organisation=organisation).count() >= MAX_PER_ORGANISATION:
            raise StateConflict(f"Une organisation a au plus {MAX_PER_ORGANISATION} abonnements.",
                                code="webhook_limit_reached")
        secret = signing.new_secret()
        subscription = WebhookSubscription.objects.create(
            organisation=organisation, url=url, event_types=events, description=description.strip(),
            secret=secret, created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit.record(subscription, actor=actor, act="webhook_subscribe", to_state=subscription.state,
                     snapshot={"url": url, "events": events})
    return subscription, secret


def _locked(subscription: WebhookSubscription) -> WebhookSubscription:
    return WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)


def webhook_pause(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    require(actor, "webhook.manage", subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        if subscription.state != SubscriptionState.ACTIVE:
            raise StateConflict("Cet abonnement est déjà suspendu.")
        subscription.state, subscription.paused_at = SubscriptionState.PAUSED, timezone.now()
        subscription.save(update_fields=["state", "paused_at"])
        audit.record(subscription, actor=actor, act="webhook_pause", from_state=SubscriptionState.ACTIVE,
                     snapshot={})
    return subscription


def webhook_resume(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """Reactivate: the failure count starts again, and the deliveries held meanwhile go out now."""
    require(actor, "webhook.manage", subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        if subscription.state != SubscriptionState.PAUSED:
            raise StateConflict("Cet abonnement est déjà actif.")
        addresses.checked(subscription.url)
        subscription.state, subscription.paused_at = SubscriptionState.ACTIVE, None
        subscription.consecutive_failures = 0
        subscription.save(update_fields=["state", "paused_at", "consecutive_failures"])
        held = subscription.deliveries.select_for_update().filter(state=DeliveryState.PENDING,
                                                                  next_attempt_at__isnull=True)
        for message in held.order_by("created_at", "pk"):
            message.last_error = ""
            delivery.plan_attempt(message)  # the step, and the delivery's row says when
        audit.record(subscription, actor=actor, act="webhook_resume", from_state=SubscriptionState.PAUSED,
                     snapshot={})
    return subscription


def webhook_rotate_secret(*, actor, subscription: WebhookSubscription) -> tuple[WebhookSubscription, str]:
    """A new secret, returned this once; for ROTATION_OVERLAP deliveries carry a signature with
    each secret, so that the receiver switches over without losing a message."""
    require(actor, "webhook.manage", subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        secret = signing.new_secret()
        subscription.previous_secret, subscription.secret = subscription.secret, secret
        subscription.previous_secret_until = timezone.now() + ROTATION_OVERLAP
        subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        audit.record(subscription, actor=actor, act="webhook_rotate_secret", from_state=subscription.state,
                     snapshot={})
    return subscription, secret


def webhook_delete(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """Delete the subscription and its log; steps still planned find nothing and do nothing."""
    require(actor, "webhook.manage", subscription)
    with transaction.atomic():
        subscription = _locked(subscription)
        audit.record(subscription, actor=actor, act="webhook_delete", from_state=subscription.state, to_state="",
                     snapshot={"url": subscription.url})
        subscription.delete()
    return subscription
