from django.urls import reverse
from rest_framework.authtoken.models import Token

URL = reverse("api-access")


def test_the_page_shows_the_users_token_and_the_documentation(client, alice):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    assert Token.objects.get(user=alice).key in page
    assert reverse("schema-ui") in page and "Authorization: Token" in page


def test_a_new_token_replaces_the_old_one(client, alice):
    client.force_login(alice)
    client.get(URL)
    old = Token.objects.get(user=alice).key
    response = client.post(URL, follow=True)
    new = Token.objects.get(user=alice).key
    assert new != old and new in response.content.decode()
    assert "l&#x27;ancien ne fonctionne plus" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_login(client, db):
    assert client.get(URL).url.startswith(reverse("login"))
