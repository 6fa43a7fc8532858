from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"


def test_a_program_exchanges_email_and_password_for_a_token(api, alice, alpha):
    response = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=alice).key
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/structures/").status_code == 200


def test_asking_twice_gives_the_same_token(api, alice):
    first = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()
    second = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json").json()
    assert first == second


def test_a_wrong_password_is_a_400_invalid_credentials(api, alice):
    response = api().post(URL, {"email": alice.email, "password": "pas le bon"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_credentials",
        "message": "Adresse électronique ou mot de passe incorrect.",
    }
    assert not Token.objects.exists()


def test_an_inactive_account_gets_no_token(api, db):
    user = UserFactory(email="parti@example.org", is_active=False)
    response = api().post(URL, {"email": user.email, "password": PASSWORD}, format="json")
    assert response.json()["code"] == "invalid_credentials"


def test_missing_fields_are_a_400_with_details(api, db):
    response = api().post(URL, {"email": "pas-une-adresse"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["details"]) == {"email", "password"}


def test_guessing_is_throttled(api, alice):
    for _ in range(20):
        api().post(URL, {"email": alice.email, "password": "essai"}, format="json")
    response = api().post(URL, {"email": alice.email, "password": PASSWORD}, format="json")
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert response.json()["message"].startswith("Trop de requêtes : réessayez dans")
