"""The Annuaire Santé pages by key, page and API alike (« Suivant / Précédent », cursor links, the same
queries on any page), and the throttle of its public search page, per real client address."""

import html
import re
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from rpps_plus.models import Professional, Situation

URL = "/rpps/annuaire/"


@pytest.fixture
def martins(site):
    """25 published professionals named MARTIN, on alpha's first site."""
    professionals = Professional.objects.bulk_create([
        Professional(civility="MME", last_name="Martin", first_names=f"Anne{n:02d}", birth_date=date(1980, 1, 1),
                     birth_commune_code="69123",
                     identity_key=f"martin-{n}", email=f"martin{n}@example.org", mobile="0612345678",
                     rpps=f"1000000{n:04d}")
        for n in range(25)
    ])
    now = timezone.now()
    return Situation.objects.bulk_create([
        Situation(professional=p, site=site, practice_last_name="Martin", practice_first_name=p.first_names,
                  search_name=f"MARTIN {p.first_names.upper()}", profession_code="326", role_code="GENR10",
                  start_date=date(2024, 1, 1), state="active", registered_at=now, published_at=now)
        for p in professionals
    ])


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def link(page: str, label: str) -> str:
    return html.unescape(re.search(rf'href="\?([^"]*)">{label}</a>', page).group(1))


def names(page: str) -> list[str]:
    return re.findall(r">Martin (Anne\d\d)</a>", page)


def test_the_directory_page_goes_forth_and_back_by_key_with_the_same_queries(client, martins,
                                                                             django_assert_num_queries):
    first = client.get(URL, {"name": "mart"}).content.decode()
    assert names(first) == [f"Anne{n:02d}" for n in range(20)] and "page=" not in first
    with django_assert_num_queries(1):  # the page of entries, professional and site joined
        second = client.get(f"{URL}?{link(first, 'Suivant')}").content.decode()
    assert names(second) == [f"Anne{n:02d}" for n in range(20, 25)] and ">Suivant</a>" not in second
    with django_assert_num_queries(1):
        back = client.get(f"{URL}?{link(second, 'Précédent')}").content.decode()
    assert names(back) == names(first)


def test_a_forged_cursor_is_a_404_page(client, martins):
    assert client.get(URL, {"name": "mart", "cursor": "forged"}).status_code == 404


def test_the_directory_api_answers_cursor_links(martins):
    api = APIClient
    first = api().get("/api/v1/rpps/annuaire/", {"name": "mart"}).json()
    assert set(first) == {"next", "previous", "results"} and len(first["results"]) == 20
    rest = api().get(first["next"]).json()
    assert [e["practice_first_name"] for e in rest["results"]] == [f"Anne{n:02d}" for n in range(20, 25)]
    assert api().get("/api/v1/rpps/annuaire/", {"name": "mart", "page": 2}).status_code == 400


def test_searches_are_throttled_per_client_address(client, martins, settings):
    settings.PORTAL_DIRECTORY_PAGE_RATE = "3/m"
    for _ in range(3):
        assert client.get(URL, {"name": "mart"}, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(URL, {"name": "mart"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Trop de recherches en peu de temps" in refused.content.decode() and "Anne00" not in refused.content.decode()
    assert client.get(URL, REMOTE_ADDR="203.0.113.7").status_code == 200  # the empty form costs nothing
    assert client.get(URL, {"name": "mart"}, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_behind_our_proxy_the_forwarded_client_is_throttled_not_the_proxy(client, martins, settings):
    settings.PORTAL_DIRECTORY_PAGE_RATE = "2/m"
    settings.PORTAL_NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        assert client.get(URL, {"name": "mart"}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 200
    assert client.get(URL, {"name": "mart"}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy).status_code == 429
    # A forged first hop does not buy a new budget: the address our proxy saw is the last one.
    forged = client.get(URL, {"name": "mart"}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1", **proxy)
    assert forged.status_code == 429
    assert client.get(URL, {"name": "mart"}, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code == 200
