"""Tenant-scoped reads of subscriptions (STYLE.md 8): only the organisations on which the user holds
`webhook.manage`; another organisation's subscription is a 404, for ANS agents too (the secret
signs an organisation's own data)."""

from django.http import Http404

from esms_portal.core import permissions, tenant
from esms_portal.models import WebhookDelivery, WebhookSubscription

ROLES = permissions.ACTS["webhook.manage"] - {permissions.AGENT}


def webhook_organisation_get(user, pk):
    """The EJ `pk` if `user` acts for it (404 otherwise); the services then ask for `webhook.manage`."""
    return tenant.organisation_get_for(user, pk)


def subscriptions_for(user):
    if not (user and user.is_authenticated and user.is_active):
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.filter(organisation_id__in=permissions.organisation_ids(user, ROLES))


def subscription_get_for(user, pk, *, organisation_id=None) -> WebhookSubscription:
    found = subscriptions_for(user).select_related("organisation")
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    try:
        return found.get(pk=pk)
    except (WebhookSubscription.DoesNotExist, ValueError, TypeError):
        raise Http404("Abonnement introuvable.") from None


def deliveries_of(subscription: WebhookSubscription):
    return WebhookDelivery.objects.filter(subscription=subscription).order_by("-created_at", "-pk")
