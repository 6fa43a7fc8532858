"""The Annuaire Santé's anonymous answers come from the shared cache (esms_portal.core.public_cache):
a repeated search costs no query, a signalled write shows at once, nothing personal is cached."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from rpps_plus.models import Professional, Situation

URL = "/rpps/annuaire/"
API = "/api/v1/rpps/annuaire/"

pytestmark = pytest.mark.redis


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def publish(site, last_name: str, n: int = 0) -> Situation:
    professional = Professional.objects.create(
        civility="MME", last_name=last_name, first_names="Anne", birth_date=date(1980, 1, 1),
        birth_commune_code="69123", identity_key=f"{last_name}-{n}", email=f"{last_name.lower()}{n}@example.org",
        mobile="0612345678", rpps=f"1000001{n:04d}")
    now = timezone.now()
    return Situation.objects.create(
        professional=professional, site=site, practice_last_name=last_name, practice_first_name="Anne",
        search_name=f"{last_name.upper()} ANNE", profession_code="326", role_code="GENR10",
        start_date=date(2024, 1, 1), state="active", registered_at=now, published_at=now)


def test_a_repeated_search_is_served_from_the_cache_without_a_query(client, site, django_assert_num_queries,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    first = client.get(URL, {"name": "mart"})
    assert first["X-Portal-Cache"] == "miss" and "Martin Anne" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(URL, {"name": "mart"})
    assert again["X-Portal-Cache"] == "hit" and again.content == first.content
    assert "Cookie" in again["Vary"] and again["Content-Type"].startswith("text/html")
    assert client.get(URL, {"name": "marti"})["X-Portal-Cache"] == "miss"  # another URL, another entry


def test_a_published_or_changed_entry_shows_at_once(client, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        situation = publish(site, "Martin")
    assert "Martin Anne" in client.get(URL, {"name": "mart"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martineau", 1)
    page = client.get(URL, {"name": "mart"})
    assert page["X-Portal-Cache"] == "miss" and "Martineau Anne" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        situation.delete()
    assert ">Martin Anne<" not in client.get(URL, {"name": "mart"}).content.decode()


def test_a_write_not_yet_committed_forgets_nothing(client, site, django_capture_on_commit_callbacks):
    """The version changes after the commit: a rolled-back write leaves the cached answers valid."""
    client.get(URL, {"name": "mart"})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(site, "Martin")
    assert callbacks and client.get(URL, {"name": "mart"})["X-Portal-Cache"] == "hit"


def test_a_logged_in_visitor_is_never_served_nor_stored(client, site, alice):
    anonymous = client.get(URL, {"name": "mart"})
    client.force_login(alice)
    mine = client.get(URL, {"name": "mart"})
    assert "X-Portal-Cache" not in mine and "Se déconnecter" in mine.content.decode()
    assert "csrfmiddlewaretoken" in mine.content.decode()
    client.logout()
    again = client.get(URL, {"name": "mart"})
    assert again.content == anonymous.content and "csrfmiddlewaretoken" not in again.content.decode()


def situation_queries(queries) -> list:
    return [q for q in queries.captured_queries if "rpps_plus_situation" in q["sql"]]


def test_a_logged_in_visitor_gets_the_shared_results_in_his_own_page(client, site, alice, bob,
                                                                    django_capture_on_commit_callbacks):
    """His page is rendered for him (his header, his CSRF token), its results, the same for everyone,
    are read from the cache: a search made by another visitor costs him no directory query."""
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    client.force_login(alice)
    first = client.get(URL, {"name": "mart"}).content.decode()
    assert "Martin Anne" in first and alice.first_name in first
    client.force_login(bob)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL, {"name": "mart"})
    html = page.content.decode()
    assert "X-Portal-Cache" not in page and not situation_queries(queries)
    assert "Martin Anne" in html and bob.first_name in html and alice.first_name not in html
    assert html.count('id="resultats"') == 1 and "&lt;section" not in html  # the HTML kept as HTML


def test_a_published_entry_shows_at_once_to_a_logged_in_visitor(client, site, alice,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(alice)
    assert "Martin Anne" not in client.get(URL, {"name": "mart"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    assert "Martin Anne" in client.get(URL, {"name": "mart"}).content.decode()
    client.logout()
    with django_capture_on_commit_callbacks(execute=False):
        publish(site, "Martineau", 1)  # not committed yet: the version is the same
    client.force_login(alice)
    assert "Martineau Anne" not in client.get(URL, {"name": "mart"}).content.decode()


def test_without_the_cache_the_results_are_rendered_each_time(client, site, alice, settings,
                                                              django_capture_on_commit_callbacks):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    client.force_login(alice)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert "Martin Anne" in client.get(URL, {"name": "mart"}).content.decode()
        assert situation_queries(queries)


def test_a_throttled_search_is_not_cached(client, site, settings):
    settings.PORTAL_DIRECTORY_PAGE_RATE = "1/m"
    assert client.get(URL, {"name": "mart"}).status_code == 200
    throttled = client.get(URL, {"name": "dup"})
    assert throttled.status_code == 429 and "X-Portal-Cache" not in throttled
    assert client.get(URL, {"name": "mart"}).status_code == 200  # the cached answer, no search made


def test_the_api_is_cached_per_url_and_accept(site, django_assert_num_queries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    api = APIClient()
    first = api.get(API, {"name": "mart"}, HTTP_ACCEPT="application/json")
    assert first["X-Portal-Cache"] == "miss" and first.json()["results"][0]["practice_last_name"] == "Martin"
    with django_assert_num_queries(0):
        again = api.get(API, {"name": "mart"}, HTTP_ACCEPT="application/json")
    assert again["X-Portal-Cache"] == "hit" and again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert api.get(API, {"name": "mart"}, HTTP_ACCEPT="*/*")["X-Portal-Cache"] == "miss"
    refused = api.get(API)
    assert refused.status_code == 400 and "X-Portal-Cache" not in refused



def test_the_api_reads_no_visitor_and_serves_everyone(site, alice):
    """The directory API has no authentication classes: a session or a token changes nothing in its
    answer, so a logged-in client is served the cached one too."""
    api = APIClient()
    first = api.get(API, {"name": "mart"}, HTTP_ACCEPT="application/json")
    api.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        mine = api.get(API, {"name": "mart"}, HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION="Token x")
    assert mine["X-Portal-Cache"] == "hit" and mine.content == first.content and not mine.cookies
    assert not [q for q in queries.captured_queries if "rpps_plus_situation" in q["sql"]]  # the session's only


def test_an_anonymous_hit_is_answered_before_sessions_and_authentication_with_the_same_headers(
        client, site, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        publish(site, "Martin")
    first = client.get(URL, {"name": "mart"})
    from esms_portal.auth import card_session

    # The card session's middleware (after sessions and authentication) is not reached by a hit.
    monkeypatch.setattr(card_session.CardSessionMiddleware, "__call__", lambda self, request: 1 / 0)
    again = client.get(URL, {"name": "mart"})
    assert again["X-Portal-Cache"] == "hit" and again.content == first.content
    for header in ("Content-Type", "Content-Language", "Content-Length", "X-Frame-Options", "Content-Security-Policy",
                   "X-Content-Type-Options", "Referrer-Policy"):
        assert again[header] == first[header], header
    assert {"Cookie", "Accept-Language"} <= {value.strip() for value in again["Vary"].split(",")}
    assert not again.cookies


def test_an_anonymous_page_not_cached_goes_the_whole_way(client, db):
    response = client.get("/connexion/")
    assert response.status_code == 200 and "X-Portal-Cache" not in response and response.cookies["csrftoken"]
