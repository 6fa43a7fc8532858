"""« Webhooks » on the organisation's space: the legal representative subscribes (the secret shown on
that answer only), reads the delivery log, pauses, resumes and deletes; others get 403 or 404."""

import pytest
from django.urls import reverse

from contracts import services as contract_services
from esms_portal.models import SubscriptionState, WebhookSubscription
from tests.timed import run_due_steps


def _list(organisation):
    return reverse("webhooks:list", args=[organisation.pk])


def _detail(subscription):
    return reverse("webhooks:detail", args=[subscription.organisation_id, subscription.pk])


def test_the_legal_representative_subscribes_and_sees_the_secret_once(client, alice, alpha, receiver, allow_private):
    client.force_login(alice)
    page = client.get(_list(alpha)).content.decode()
    assert "Webhooks de Association Alpha" in page and "Aucun abonnement" in page
    assert "Une carte CPx change d&#x27;état" in page  # the declared events, to choose from
    answer = client.post(_list(alpha), {"url": receiver.url, "description": "DUI",
                                        "event_types": ["request.state_changed", "card.state_changed"]})
    assert answer.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["request.state_changed", "card.state_changed"]
    assert subscription.secret in answer.content.decode() and "plus jamais affiché" in answer.content.decode()
    again = client.get(_list(alpha)).content.decode()
    assert receiver.url in again and subscription.secret not in again
    assert subscription.secret not in client.get(_detail(subscription)).content.decode()


def test_a_refused_address_is_said_on_the_form(client, alice, alpha):
    client.force_login(alice)
    answer = client.post(_list(alpha), {"url": "https://169.254.169.254/", "event_types": ["card.state_changed"]})
    assert answer.status_code == 400
    assert "réseau privé ou interne" in answer.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_timeline_links_to_the_page_for_the_legal_representative_only(client, alice, bob, alpha):
    timeline = reverse("onboarding:timeline", args=[alpha.pk])
    client.force_login(alice)
    assert _list(alpha) in client.get(timeline).content.decode()
    client.force_login(bob)
    assert _list(alpha) not in client.get(timeline).content.decode()


def test_a_mandataire_gets_a_403(client, bob, alpha):
    client.force_login(bob)
    assert client.get(_list(alpha)).status_code == 403


def test_another_organisation_is_a_404(client, charlie, alpha, subscribed):
    client.force_login(charlie)
    assert client.get(_list(alpha)).status_code == 404
    assert client.get(_detail(subscribed)).status_code == 404
    beta_url = reverse("webhooks:detail", args=[charlie.role_grants.get().organisation_id, subscribed.pk])
    assert client.get(beta_url).status_code == 404  # its own organisation, another's subscription
    for act in ("pause", "delete"):
        assert client.post(reverse(f"webhooks:{act}", args=[alpha.pk, subscribed.pk])).status_code == 404
    assert WebhookSubscription.objects.get().state == SubscriptionState.ACTIVE


def test_the_delivery_log_shows_each_delivery(client, alice, alpha, subscribed, receiver):
    contract_services.contract_start(actor=alice, structure=alpha)
    run_due_steps()
    client.force_login(alice)
    page = client.get(_detail(subscribed)).content.decode()
    delivery = subscribed.deliveries.get()
    assert "Journal des envois" in page and delivery.message_id in page
    assert "request.state_changed" in page and "HTTP 204" in page and "Remis" in page


@pytest.mark.parametrize("acts", [("pause", SubscriptionState.PAUSED), ("resume", SubscriptionState.ACTIVE)])
def test_pause_and_resume(client, alice, subscribed, acts):
    client.force_login(alice)
    client.post(reverse("webhooks:pause", args=[subscribed.organisation_id, subscribed.pk]))
    act, state = acts
    if act == "resume":
        client.post(reverse("webhooks:resume", args=[subscribed.organisation_id, subscribed.pk]))
    subscribed.refresh_from_db()
    assert subscribed.state == state
    page = client.get(_detail(subscribed)).content.decode()
    assert ("Abonnement suspendu" in page) == (state == SubscriptionState.PAUSED)


def test_delete(client, alice, alpha, subscribed):
    client.force_login(alice)
    answer = client.post(reverse("webhooks:delete", args=[alpha.pk, subscribed.pk]), follow=True)
    assert "L&#x27;abonnement est supprimé" in answer.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_new_secret_is_shown_once_on_the_page(client, alice, alpha, subscribed):
    client.force_login(alice)
    page = client.post(reverse("webhooks:rotate_secret", args=[alpha.pk, subscribed.pk])).content.decode()
    subscribed.refresh_from_db()
    assert subscribed.secret in page and "Nouveau secret de signature" in page
    assert subscribed.secret not in client.get(_detail(subscribed)).content.decode()
