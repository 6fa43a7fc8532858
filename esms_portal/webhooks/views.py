"""« Webhooks », a page of the organisation's space for its legal representative: his subscriptions,
a form to subscribe a URL (the secret is shown on that answer only), and each subscription's page
with its delivery log and the acts pause, resume, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal.core.forms import attempt, submit_posted
from esms_portal.core.pages import may_or_403
from esms_portal.webhooks import registry, selectors, services
from esms_portal.webhooks.forms import SubscriptionForm

LOG_LENGTH = 50


@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request, pk):
    organisation = selectors.webhook_organisation_get(request.user, pk)
    may_or_403(request.user, "webhook.manage", organisation)
    form = SubscriptionForm(request.POST or None)
    created = submit_posted(request, form, services.webhook_subscribe, actor=request.user, organisation=organisation)
    if created is not None:
        form = SubscriptionForm()
    context = {
        "organisation": organisation,
        "form": form,
        "created": created[0] if created else None,
        "secret": created[1] if created else "",
        "subscriptions": selectors.subscriptions_for(request.user).filter(organisation=organisation)
        .order_by("-created_at", "-pk"),
    }
    return render(request, "webhooks/subscriptions.html", context, status=400 if form.errors else 200)


def _detail_page(request, subscription, *, secret: str = ""):
    labels = dict(registry.choices())
    context = {
        "organisation": subscription.organisation,
        "subscription": subscription,
        "secret": secret,
        "event_labels": [labels.get(event_type, event_type) for event_type in subscription.event_types],
        "deliveries": selectors.deliveries_of(subscription)[:LOG_LENGTH],
        "log_length": LOG_LENGTH,
    }
    return render(request, "webhooks/subscription_detail.html", context)


@login_required
def subscription_detail(request, pk, subscription_pk):
    return _detail_page(request, selectors.subscription_get_for(request.user, subscription_pk, organisation_id=pk))


@login_required
@require_POST
def subscription_rotate_secret(request, pk, subscription_pk):
    """The new secret is shown on this answer only, as at the subscription."""
    subscription = selectors.subscription_get_for(request.user, subscription_pk, organisation_id=pk)
    rotated = attempt(request, services.webhook_rotate_secret, actor=request.user, subscription=subscription)
    if rotated is None:
        return redirect("webhooks:detail", pk, subscription.pk)
    subscription, secret = rotated
    return _detail_page(request, subscription, secret=secret)


def _act(service, done: str):
    @login_required
    @require_POST
    def view(request, pk, subscription_pk):
        subscription = selectors.subscription_get_for(request.user, subscription_pk, organisation_id=pk)
        if attempt(request, service, actor=request.user, subscription=subscription) is not None:
            messages.success(request, done)
        return redirect("webhooks:detail", pk, subscription.pk)

    return view


subscription_pause = _act(services.webhook_pause, "L'abonnement est suspendu : les événements sont conservés.")
subscription_resume = _act(services.webhook_resume,
                           "L'abonnement est réactivé : les événements en attente vont être envoyés.")


@login_required
@require_POST
def subscription_delete(request, pk, subscription_pk):
    subscription = selectors.subscription_get_for(request.user, subscription_pk, organisation_id=pk)
    if attempt(request, services.webhook_delete, actor=request.user, subscription=subscription) is None:
        return redirect("webhooks:detail", pk, subscription.pk)
    messages.success(request, "L'abonnement est supprimé.")
    return redirect("webhooks:list", pk)
