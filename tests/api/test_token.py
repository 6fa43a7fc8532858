from datetime import timedelta

import time_machine
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from esms_portal.models import ApiToken
from tests.factories import UserFactory

URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"


def test_a_program_exchanges_email_and_password_for_a_token(api, alice, alpha):
    response = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=alice).prefix == token[:8]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/structures/").status_code == 200


def test_asking_twice_gives_two_tokens_that_both_work(api, alice):
    first = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()
    second = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()
    assert first["token"] != second["token"]
    for token in (first["token"], second["token"]):
        client = api()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/structures/").status_code == 200


def test_the_key_is_not_stored(api, alice):
    token = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()["token"]
    stored = ApiToken.objects.get(user=alice)
    assert token not in {stored.key_hash, stored.prefix, stored.label}


def test_a_token_expires_after_its_lifetime(api, alice, settings):
    response = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()
    expires_at = parse_datetime(response["expires_at"])
    assert abs(expires_at - (timezone.now() + timedelta(days=settings.PORTAL_API_TOKEN_DAYS))) < timedelta(minutes=1)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response['token']}")

    with time_machine.travel(expires_at + timedelta(seconds=1)):
        expired = client.get("/api/v1/structures/")

    assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Token"
    assert expired.json() == {"code": "token_expired", "message": "Ce jeton d'accès a expiré : créez-en un nouveau."}


def test_an_agents_token_lasts_hours(api, ana, settings):
    settings.PORTAL_STAFF_2FA = False  # with it on, an agent's token comes from the page after the code
    response = api().post(URL, {"email": ana.email, "password": PASSWORD}, format="json").json()
    lifetime = parse_datetime(response["expires_at"]) - timezone.now()
    assert timedelta(hours=settings.PORTAL_API_TOKEN_AGENT_HOURS - 1) < lifetime <= timedelta(
        hours=settings.PORTAL_API_TOKEN_AGENT_HOURS)


def test_an_account_keeps_its_20_most_recent_tokens(api, alice):
    for _ in range(22):
        api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json")
    assert ApiToken.objects.filter(user=alice).count() == 20


def test_a_wrong_password_is_a_400_invalid_credentials(api, alice):
    response = api().post(URL, {"email": alice.email, "password": "pas le bon"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "Adresse électronique ou mot de passe incorrect.",
    }
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(api, db):
    user = UserFactory(email="parti@example.org", is_active=False)
    response = api().post(URL, {"email": user.email, "password": PASSWORD}, format="json")
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_are_a_400_with_details(api, db):
    response = api().post(URL, {"email": "pas-une-adresse"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["details"]) == {"email", "password"}


def test_guessing_is_throttled(api, alice):
    for _ in range(20):  # no password: the throttle counts requests, the lockout wrong passwords
        api().post(URL, {"email": alice.email}, format="json")
    response = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert response.json()["message"].startswith("Trop de requêtes : réessayez dans")


# The throttle reads the address our own proxies saw (PORTAL_NUM_PROXIES), never a header the client wrote.

def test_a_rotating_forwarded_for_is_still_throttled(api, alice):
    answers = [api().post(URL, {"email": alice.email}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1",
                          REMOTE_ADDR="198.51.100.7").status_code for n in range(21)]

    assert answers[:20] == [400] * 20 and answers[20] == 429


def test_behind_one_proxy_the_throttle_counts_the_proxys_hop(api, alice, settings):
    settings.PORTAL_NUM_PROXIES = 1
    for n in range(20):
        api().post(URL, {"email": alice.email}, format="json", REMOTE_ADDR="10.0.0.2",
                   HTTP_X_FORWARDED_FOR=f"10.9.{n}.1, 203.0.113.66")

    same_client = api().post(URL, {"email": alice.email}, format="json", REMOTE_ADDR="10.0.0.2",
                             HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    other_client = api().post(URL, {"email": alice.email}, format="json", REMOTE_ADDR="10.0.0.2",
                              HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.10")

    assert same_client.status_code == 429
    assert other_client.status_code == 400
