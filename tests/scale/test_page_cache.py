"""esms_portal.core.page_cache: a person's organisation pages (card list, timeline, own space) served
from Redis until a write they show commits; never across sessions or people, never with flash
messages, a CSP nonce fresh on each hit."""

import uuid
from types import SimpleNamespace

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from cards import services as card_services
from cards import steps as card_steps
from esms_portal.core import page_cache
from esms_portal.core.content_policy import PortalCSPMiddleware
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory

pytestmark = pytest.mark.redis
CARDS = reverse("cards:fleet")


@pytest.fixture(autouse=True)
def _cache_on(settings, monkeypatch):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60
    # Keys of this test only: no cache.clear(), which would empty the cache of tests running beside it.
    prefix = f"page-cache-test-{uuid.uuid4().hex}"
    monkeypatch.setattr(page_cache, "PREFIX", prefix)
    yield
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: its after-commit bumps run."""

    def run(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run


def logged_in(user) -> Client:
    client = Client()
    login(client, user)
    return client


def login(client, user):
    """Logged in, with the CSRF cookie a browser holds after its first page (a page without it makes
    a new secret and sets its cookie: not cached)."""
    client.force_login(user)
    client.get(reverse("my_space"))


def page(client, path=CARDS):
    response = client.get(path)
    assert response.status_code == 200
    return response["X-Portal-Cache"], response.content.decode()


def timeline(alpha):
    return reverse("onboarding:timeline", args=[alpha.pk])


@pytest.mark.parametrize("path", ["cards", "timeline", "my_space"])
def test_a_page_is_stored_then_served_from_the_cache(path, alice, alpha, alice_card):
    url = {"cards": CARDS, "timeline": timeline(alpha), "my_space": reverse("my_space")}[path]
    client = logged_in(alice)
    first, content = page(client, url)
    second, again = page(client, url)
    assert (first, second) == ("miss", "hit") and again == content


def test_a_hit_reads_the_user_only(client, alice, alpha, alice_card, django_assert_num_queries):
    login(client, alice)
    page(client)
    with django_assert_num_queries(1):  # the user row, the middleware's own (the session comes from Redis)
        assert page(client)[0] == "hit"


def test_an_act_shows_on_the_next_page(committed, alice, alpha, alice_card):
    client = logged_in(alice)
    page(client), page(client, timeline(alpha))
    committed(card_services.card_oppose, actor=alice, card=alice_card, reason="Perdue")
    state, content = page(client)
    assert state == "miss" and "Opposée" in content
    assert page(client, timeline(alpha))[0] == "miss"


def test_a_timed_steps_effect_shows_on_the_next_page(committed, alice, alpha):
    card = CardFactory(organisation=alpha, state="in_production", holder_last_name="Fabriquée")
    client = logged_in(alice)
    assert "En fabrication" in page(client)[1]
    committed(card_steps.ship, SimpleNamespace(object_id=card.pk))
    state, content = page(client)
    assert state == "miss" and "Expédiée" in content


def test_a_role_granted_shows_on_the_organisations_pages_and_on_the_persons(committed, alice, bob, alpha):
    alice_client, bob_client = logged_in(alice), logged_in(bob)
    page(alice_client, timeline(alpha)), page(bob_client, reverse("my_space"))
    committed(RoleGrant.objects.create, user=bob, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)
    assert page(alice_client, timeline(alpha))[0] == "miss"
    state, content = page(bob_client, reverse("my_space"))
    assert state == "miss" and "Gestionnaire" in content


def test_a_rpps_number_shows_on_the_timeline(committed, alice, alpha, accepted):
    from rpps_plus import services
    from tests.onboarding.conftest import person

    situation = services.professional_register(actor=alice, site=alpha.sites_for_test[0], data=person())
    client = logged_in(alice)
    page(client, timeline(alpha))
    professional = situation.professional
    professional.rpps = "10000000009"
    committed(professional.save)
    assert page(client, timeline(alpha))[0] == "miss"


def test_another_organisations_write_keeps_the_page(committed, alice, alpha, charlie, beta):
    client = logged_in(alice)
    page(client)
    committed(CardFactory, organisation=beta, active=True)
    assert page(client)[0] == "hit"


def test_two_people_never_share_a_page(alice, bob, alpha, alice_card):
    alice_page = page(logged_in(alice))[1]
    state, bob_page = page(logged_in(bob))
    header = 'mes rôles et mandats">{}</a>'  # the header's link to the person's own space
    assert state == "miss" and header.format("Bob Durand") in bob_page
    assert header.format("Alice Martin") not in bob_page and header.format("Alice Martin") in alice_page


def test_a_sessions_page_is_never_served_to_another_session(alice, alpha, alice_card):
    first, second = logged_in(alice), logged_in(alice)
    page(first)
    assert page(second)[0] == "miss"
    assert page(second)[0] == "hit" and page(first)[0] == "hit"


# The decorator on a bare view: what is never stored, nor served.
def request_of(user, client):
    request = RequestFactory().get("/page/", HTTP_COOKIE=f"csrftoken={client.cookies['csrftoken'].value}")
    request.META["CSRF_COOKIE"] = client.cookies["csrftoken"].value
    request.session = client.session
    request.user = user
    MessageMiddleware(lambda r: None).process_request(request)
    PortalCSPMiddleware(lambda r: None).process_request(request)
    return request


def counting(answer):
    calls = []

    @page_cache.person_page
    def view(request):
        calls.append(1)
        page_cache.depends_on(request)
        return answer(request)

    return view, calls


def test_flash_messages_are_never_stored_nor_served_from_the_cache(client, alice):
    login(client, alice)
    view, calls = counting(lambda r: HttpResponse("page"))
    flashed = request_of(alice, client)
    messages.success(flashed, "Enregistré.")
    assert "X-Portal-Cache" not in view(flashed)  # a message waits: the view renders it
    assert view(request_of(alice, client))["X-Portal-Cache"] == "miss"
    assert view(request_of(alice, client))["X-Portal-Cache"] == "hit"
    flashed = request_of(alice, client)
    messages.info(flashed, "Une autre.")
    assert "X-Portal-Cache" not in view(flashed) and len(calls) == 3


def test_an_answer_adding_a_message_is_not_stored(client, alice):
    login(client, alice)
    view, calls = counting(lambda r: messages.info(r, "Bonjour") or HttpResponse("page"))
    view(request_of(alice, client)), view(request_of(alice, client))
    assert len(calls) == 2


@pytest.mark.parametrize("answer", [
    lambda r: HttpResponse(status=404),
    lambda r: (lambda a: a.set_cookie("x", "1") or a)(HttpResponse("x")),
    lambda r: (r.session.__setitem__("seen", True), HttpResponse("x"))[1],
])
def test_failed_or_cookie_setting_answers_are_never_stored(client, alice, answer):
    login(client, alice)
    view, calls = counting(answer)
    view(request_of(alice, client)), view(request_of(alice, client))
    assert len(calls) == 2


def test_a_view_that_did_not_declare_what_it_shows_is_not_stored(client, alice):
    login(client, alice)
    calls = []

    @page_cache.person_page
    def view(request):
        calls.append(1)
        return HttpResponse("page")

    view(request_of(alice, client)), view(request_of(alice, client))
    assert len(calls) == 2


def test_each_hit_carries_its_own_csp_nonce(client, alice):
    login(client, alice)
    view, calls = counting(lambda r: HttpResponse(f'<script nonce="{r.csp_nonce}">1</script>'))
    first_request, second_request = request_of(alice, client), request_of(alice, client)
    first, second = view(first_request), view(second_request)
    assert second["X-Portal-Cache"] == "hit" and len(calls) == 1
    assert f'nonce="{first_request._csp_nonce}"' in first.content.decode()
    assert f'nonce="{second_request._csp_nonce}"' in second.content.decode()
    assert first_request._csp_nonce != second_request._csp_nonce


def test_a_write_in_a_rolled_back_savepoint_still_bumps_what_the_transaction_wrote(
    django_capture_on_commit_callbacks, alpha, beta
):
    from django.db import transaction

    before = page_cache._versions({page_cache.organisation_scope(alpha.pk), page_cache.organisation_scope(beta.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.invalidate(organisations=[alpha.pk])
        try:
            with transaction.atomic():
                page_cache.invalidate(organisations=[beta.pk])
                raise RuntimeError
        except RuntimeError:
            pass
    after = page_cache._versions(before)
    assert after[page_cache.organisation_scope(alpha.pk)] != before[page_cache.organisation_scope(alpha.pk)]


def test_the_cache_off_serves_nothing(settings, client, alice, alpha, alice_card):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    login(client, alice)
    assert "X-Portal-Cache" not in client.get(CARDS)
    assert "X-Portal-Cache" not in client.get(CARDS)
