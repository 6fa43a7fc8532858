"""« Mes jetons d'accès API »: the owner creates (the key shown once), lists and revokes his tokens;
an agent's are short-lived; nobody revokes another's."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create
from esms_portal.models import ApiToken

URL = reverse("api-access")


def works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/structures/").status_code == 200


def test_the_page_lists_the_users_tokens_and_the_documentation(client, alice, bob):
    api_token_create(user=alice, label="Logiciel DUI")
    api_token_create(user=bob, label="Le jeton de Bob")
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert "Mes jetons d'accès API" in page and "Logiciel DUI" in page and "Le jeton de Bob" not in page
    assert reverse("schema-ui") in page and "Authorization: Token" in page and "valable 90 jours" in page


def test_a_new_token_is_shown_once_and_works(client, alice):
    client.force_login(alice)
    response = client.post(URL, {"label": "Plateforme régionale"})
    key = response.context["created_key"]
    assert key in response.content.decode() and works(key)
    assert ApiToken.objects.get(user=alice).label == "Plateforme régionale"
    assert key not in client.get(URL).content.decode()


def test_revoking_a_token_stops_it_at_once(client, alice):
    token, key = api_token_create(user=alice)
    client.force_login(alice)
    response = client.post(reverse("api-token-revoke", args=[token.pk]), follow=True)
    assert "Le jeton est révoqué" in response.content.decode()
    assert not works(key)


def test_nobody_revokes_anothers_token(client, alice, charlie):
    token, key = api_token_create(user=alice)
    client.force_login(charlie)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert works(key)


def test_an_agents_tokens_last_hours(client, ana, settings):
    client.force_login(ana)
    client.post(URL, {"label": "Script de contrôle"})
    lifetime = ApiToken.objects.get(user=ana).expires_at - timezone.now()
    assert lifetime <= timedelta(hours=settings.PORTAL_API_TOKEN_AGENT_HOURS)
    assert "valable 8 heures" in client.get(URL).content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    assert client.get(URL).url.startswith(reverse("login"))
