from django.conf import settings
from django.db import models
from django.utils import timezone


class SubscriptionState(models.TextChoices):
    ACTIVE = "active", "Actif"
    PAUSED = "paused", "Suspendu"


class WebhookSubscription(models.Model):
    """A program's URL that receives an organisation's events, signed with `secret` (Standard Webhooks).

    The secret is shown once, when the subscription is made; it is kept to sign every delivery.
    `consecutive_failures` counts deliveries that failed for good since the last success: past
    PORTAL_WEBHOOK_PAUSE_AFTER the subscription is paused and its owner mailed.
    """

    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.URLField("adresse de réception", max_length=500)
    description = models.CharField("description", max_length=200, blank=True)
    event_types = models.JSONField("événements", default=list)
    secret = models.CharField(max_length=100, editable=False)
    # After a rotation, deliveries are signed with both secrets until then (the receiver's switch-over).
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField("état", max_length=16, choices=SubscriptionState.choices,
                             default=SubscriptionState.ACTIVE)
    consecutive_failures = models.PositiveIntegerField("échecs consécutifs", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="créé par")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)  # the API's change feeds
    paused_at = models.DateTimeField("suspendu le", null=True, blank=True)

    tenant_field = "organisation"

    class Meta:
        verbose_name = "abonnement webhook"
        verbose_name_plural = "abonnements webhook"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "state"], name="webhook_subscription_org")]

    def __str__(self):
        return self.url

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    def signing_secrets(self, now) -> list[str]:
        previous = self.previous_secret and self.previous_secret_until and now < self.previous_secret_until
        return [self.secret, self.previous_secret] if previous else [self.secret]


class DeliveryState(models.TextChoices):
    PENDING = "pending", "En cours"
    DELIVERED = "delivered", "Remis"
    FAILED = "failed", "En échec"


class WebhookDelivery(models.Model):
    """One event for one subscription, tried until the receiver answers 2xx or the retries run out.

    `message_id` is the `webhook-id` header, the same on every attempt (the receiver's dedup key).
    """

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField("identifiant du message", max_length=40, unique=True)
    event_type = models.CharField("événement", max_length=64)
    payload = models.JSONField()
    state = models.CharField("état", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    last_status = models.PositiveSmallIntegerField("dernier code de réponse", null=True, blank=True)
    last_response = models.TextField("début de la dernière réponse", blank=True)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)  # the API's change feeds
    last_attempt_at = models.DateTimeField("dernière tentative", null=True, blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    delivered_at = models.DateTimeField("remis le", null=True, blank=True)

    tenant_field = "subscription__organisation"

    class Meta:
        verbose_name = "envoi webhook"
        verbose_name_plural = "envois webhook"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "-created_at", "-id"], name="webhook_delivery_log"),
                   models.Index(fields=["subscription", "state"], name="webhook_delivery_state")]

    def __str__(self):
        return f"{self.event_type} ({self.get_state_display()})"
