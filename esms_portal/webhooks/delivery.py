"""Deliveries on the timed-step engine (ARCHITECTURE.md, "Timed steps are rows").

Each attempt is one `webhooks.deliver` step on its WebhookDelivery, written in the transaction that
queued the event or recorded the previous attempt: a rolled-back act delivers nothing. The handler
runs in the transaction that marks its step done, with the delivery locked; if the worker dies
after the POST, the step's lease runs it again: at least once, always with the same `webhook-id`.
An answer other than 2xx is no error of the step: the attempt is logged and the next one planned,
after the delays of the Standard Webhooks schedule (about a day in all), then the delivery fails.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from esms_portal.core.notify import mail_on_commit
from esms_portal.models import (
    DeliveryState,
    Role,
    RoleGrant,
    SubscriptionState,
    WebhookDelivery,
    WebhookSubscription,
)
from esms_portal.steps import schedule_step
from esms_portal.webhooks import sending

STEP_KIND = "webhooks.deliver"
# After the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Standard Webhooks' example
# schedule), 8 attempts over about 27 hours.
RETRY_DELAYS = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
)
HELD = "Abonnement suspendu : l'envoi reprendra à sa réactivation."


def schedule_attempt(delivery: WebhookDelivery, due_at) -> None:
    """The step of the delivery's next attempt (in the current transaction); its row says when."""
    schedule_step(STEP_KIND, delivery, due_at=due_at, occurrence=f"{delivery.attempts}:{uuid.uuid4().hex[:12]}",
                  payload={"attempt": delivery.attempts})


def plan_attempt(delivery: WebhookDelivery, *, due_at=None) -> None:
    """Plan the next attempt of `delivery` (in the current transaction)."""
    delivery.next_attempt_at = due_at or timezone.now()
    schedule_attempt(delivery, delivery.next_attempt_at)
    delivery.save(update_fields=["next_attempt_at", "last_error"])


def hold(delivery: WebhookDelivery) -> None:
    delivery.next_attempt_at, delivery.last_error = None, HELD
    delivery.save(update_fields=["next_attempt_at", "last_error"])


def run_step(step) -> None:
    """The step handler: idempotent, a step whose attempt was already made does nothing."""
    attempt(int(step.object_id), number=step.payload.get("attempt", 0))


def attempt(delivery_id: int, *, number: int) -> str:
    delivery = (WebhookDelivery.objects.select_for_update(of=("self",)).select_related("subscription")
                .filter(pk=delivery_id).first())
    if delivery is None or delivery.state != DeliveryState.PENDING or delivery.attempts != number:
        return "skipped"
    subscription = delivery.subscription
    if subscription.state != SubscriptionState.ACTIVE:
        hold(delivery)
        return "held"
    now = timezone.now()
    answer = sending.post(subscription.url, secrets=subscription.signing_secrets(now),
                          message_id=delivery.message_id, payload=delivery.payload, at=now)
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.next_attempt_at = now, None
    delivery.last_status, delivery.last_response, delivery.last_error = answer.status, answer.body, answer.error
    if answer.ok:
        delivery.state, delivery.delivered_at = DeliveryState.DELIVERED, now
    elif delivery.attempts > len(RETRY_DELAYS):
        delivery.state = DeliveryState.FAILED
    delivery.save()
    if answer.ok:
        if subscription.consecutive_failures:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
    elif delivery.state == DeliveryState.FAILED:
        _count_failure(subscription, now)
    else:
        plan_attempt(delivery, due_at=now + RETRY_DELAYS[delivery.attempts - 1])
    return delivery.state


def _count_failure(subscription: WebhookSubscription, now) -> None:
    """One more delivery failed for good: past PORTAL_WEBHOOK_PAUSE_AFTER in a row, pause the
    subscription and mail its owner (once: the conditional UPDATE pauses it once)."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    paused = WebhookSubscription.objects.filter(
        pk=subscription.pk, state=SubscriptionState.ACTIVE,
        consecutive_failures__gte=settings.PORTAL_WEBHOOK_PAUSE_AFTER,
    ).update(state=SubscriptionState.PAUSED, paused_at=now)
    if paused:
        subscription.refresh_from_db()
        _mail_paused(subscription)


def owners(subscription: WebhookSubscription) -> list[str]:
    """Who hears of the subscription: whoever made it and the organisation's legal representatives."""
    emails = set(RoleGrant.objects.filter(organisation_id=subscription.organisation_id,
                                          role=Role.LEGAL_REPRESENTATIVE).values_list("user__email", flat=True))
    if subscription.created_by_id:
        emails.add(subscription.created_by.email)
    return sorted(emails)


def _mail_paused(subscription: WebhookSubscription) -> None:
    mail_on_commit(
        to=owners(subscription),
        subject="Webhook suspendu : votre adresse ne répond plus",
        template="webhooks/mail/paused.txt",
        context={"subscription": subscription, "failures": subscription.consecutive_failures,
                 "page": reverse("webhooks:detail", args=[subscription.organisation_id, subscription.pk])},
    )
