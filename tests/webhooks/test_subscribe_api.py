"""Subscribing over the API: the legal representative's act, scoped to his organisations, the
secret in the answer of the subscription only."""

import base64

import pytest

from esms_portal.models import AuditEntry, WebhookSubscription

BASE = "/api/v1/webhooks/"


def _subscribe(client, organisation, url, **extra):
    return client.post(BASE, {"organisation": str(organisation.pk), "url": url, **extra}, format="json")


def test_the_legal_representative_subscribes_and_gets_a_standard_secret_once(api, alice, alpha, receiver,
                                                                           allow_private):
    client = api(alice)
    answer = _subscribe(client, alpha, receiver.url, event_types=["card.state_changed"], description="DUI")
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert body["event_types"] == ["card.state_changed"] and body["state"] == "active"
    assert body["organisation"]["id"] == str(alpha.pk)
    # Never again: neither the detail nor the list carries it.
    detail = client.get(f"{BASE}{body['id']}/").json()
    assert "secret" not in detail and body["secret"] not in str(detail)
    assert body["secret"] not in client.get(BASE).content.decode()
    assert AuditEntry.objects.filter(act="webhook_subscribe", object_id=str(body["id"])).exists()


def test_an_empty_event_list_means_every_event(api, alice, alpha, receiver, allow_private):
    body = _subscribe(api(alice), alpha, receiver.url).json()
    assert body["event_types"] == []
    assert WebhookSubscription.objects.get().wants("certificate.revoked")


def test_the_catalogue_lists_the_declared_events(api, alice):
    types = {event["type"] for event in api(alice).get(f"{BASE}events/").json()}
    assert {"request.state_changed", "card.state_changed", "certificate.issued", "certificate.revoked",
            "certificate.expiring", "professional.published"} <= types


def test_an_unknown_event_is_refused(api, alice, alpha, receiver, allow_private):
    answer = _subscribe(api(alice), alpha, receiver.url, event_types=["card.stolen"])
    assert answer.status_code == 400 and answer.json()["code"] == "webhook_event_unknown"
    assert not WebhookSubscription.objects.exists()


def test_a_mandataire_may_not_subscribe(api, bob, alpha, receiver, allow_private):
    answer = _subscribe(api(bob), alpha, receiver.url)
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden_act"


def test_another_organisation_is_a_404(api, charlie, alpha, receiver, allow_private):
    assert _subscribe(api(charlie), alpha, receiver.url).status_code == 404


def test_another_organisations_subscription_is_a_404_everywhere(api, charlie, subscribed):
    client = api(charlie)
    base = f"{BASE}{subscribed.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}deliveries/").status_code == 404
    assert client.post(f"{base}pause/").status_code == 404
    assert client.delete(base).status_code == 404
    assert client.get(BASE).json()["results"] == []
    assert WebhookSubscription.objects.get().state == "active"


def test_an_agent_does_not_read_an_organisations_subscriptions(api, ana, subscribed):
    assert api(ana).get(f"{BASE}{subscribed.pk}/").status_code == 404


def test_pause_resume_and_delete(api, alice, subscribed):
    client = api(alice)
    base = f"{BASE}{subscribed.pk}/"
    assert client.post(f"{base}pause/").json()["state"] == "paused"
    assert client.post(f"{base}pause/").status_code == 409
    assert client.post(f"{base}resume/").json()["state"] == "active"
    assert client.delete(base).status_code == 204
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "https://10.1.2.3/hook", "ftp://example.org/"])
def test_a_refused_address_is_a_400_with_its_code(api, alice, alpha, url):
    answer = _subscribe(api(alice), alpha, url)
    assert answer.status_code == 400 and answer.json()["code"] == "webhook_url_refused"
    assert not WebhookSubscription.objects.exists()


def test_the_delivery_log_is_paginated(api, alice, subscribed):
    answer = api(alice).get(f"{BASE}{subscribed.pk}/deliveries/").json()
    assert answer["results"] == [] and answer["next"] is None


def test_the_schema_documents_every_route(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert {"/api/v1/webhooks/", "/api/v1/webhooks/events/", "/api/v1/webhooks/{id}/",
            "/api/v1/webhooks/{id}/pause/", "/api/v1/webhooks/{id}/resume/",
            "/api/v1/webhooks/{id}/deliveries/"} <= set(paths)
    assert "webhook-signature" in paths["/api/v1/webhooks/"]["post"]["description"]
    assert "201" in paths["/api/v1/webhooks/"]["post"]["responses"]


def test_rotating_the_secret_shows_the_new_one_once(api, alice, charlie, subscribed):
    base = f"{BASE}{subscribed.pk}/"
    assert api(charlie).post(f"{base}rotate-secret/").status_code == 404
    answer = api(alice).post(f"{base}rotate-secret/")
    assert answer.status_code == 200
    secret = answer.json()["secret"]
    assert secret.startswith("whsec_") and secret != subscribed.secret_for_test
    assert secret not in api(alice).get(base).content.decode()
    assert AuditEntry.objects.filter(act="webhook_rotate_secret").count() == 1


def test_the_subscriptions_and_their_deliveries_are_change_feeds(api, alice, subscribed):
    from datetime import timedelta

    from django.utils import timezone

    from esms_portal.models import WebhookSubscription

    client = api(alice)
    WebhookSubscription.objects.filter(pk=subscribed.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat().replace("+", "%2B")
    assert client.get(f"{BASE}?updated_since={since}").json()["results"] == []
    assert len(client.get(f"{BASE}?ordering=-updated_at").json()["results"]) == 1
    deliveries_page = client.get(f"{BASE}{subscribed.pk}/deliveries/?ordering=updated_at&updated_since={since}")
    assert deliveries_page.status_code == 200
