"""The login page is rendered once per process for anonymous visitors, each getting his own CSRF
token in it (esms_portal.core.token_pages)."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from esms_portal.core import token_pages

PASSWORD = "correct horse battery staple"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def fresh_pages():
    token_pages._pages.clear()


def token_of(response) -> str:
    return TOKEN.search(response.content.decode()).group(1)


def test_the_second_visitor_gets_the_page_without_rendering_nor_query(client, db, django_assert_num_queries):
    first = Client().get(reverse("login"))
    with django_assert_num_queries(0):
        second = client.get(reverse("login"))
    assert second.status_code == 200 and not second.templates  # no template rendered
    same = [page.content.replace(token_of(page).encode(), b"") for page in (first, second)]
    assert same[0] == same[1]
    assert token_pages.PLACEHOLDER not in second.content.decode()


def test_each_visitor_logs_in_with_the_token_of_his_page(alice, alpha):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [visitor.get(reverse("login")) for visitor in visitors]
    assert token_of(pages[0]) != token_of(pages[1])
    assert all(visitor.cookies["csrftoken"].value for visitor in visitors)  # the cookie is set as usual
    refused = visitors[0].post(reverse("login"), {"username": alice.email, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    for visitor, page in zip(visitors, pages, strict=True):
        response = visitor.post(reverse("login"), {"username": alice.email, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token_of(page)})
        assert response.status_code == 302 and response.url == reverse("home")


def test_the_page_keeps_its_security_headers(client):
    client.get(reverse("login"))
    response = client.get(reverse("login"))
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_asked_with_next_is_rendered_with_it(client):
    client.get(reverse("login"))
    response = client.get(reverse("login") + "?next=/cartes/")
    assert response.templates and 'name="next" value="/cartes/"' in response.content.decode()


def test_a_flash_message_is_shown(client):
    client.get(reverse("login"))
    storage = CookieStorage(HttpRequest())
    answer = HttpResponse()
    storage._store([storage_message()], answer)
    client.cookies["messages"] = answer.cookies["messages"].value
    assert "Votre connexion a expiré" in client.get(reverse("login")).content.decode()


def storage_message():
    from django.contrib.messages.storage.base import Message

    return Message(constants.ERROR, "Votre connexion a expiré.")


def test_a_logged_in_person_is_sent_to_his_home(client, alice, alpha):
    Client().get(reverse("login"))
    client.force_login(alice)
    assert client.get(reverse("login")).status_code == 302


def test_a_setting_change_renders_the_page_anew(client):
    assert "psc-login" not in client.get(reverse("login")).content.decode()
    with override_settings(PORTAL_PSC_ISSUER="https://psc.example", PORTAL_PSC_CLIENT_ID="portail"):
        assert "psc-login" in client.get(reverse("login")).content.decode()
