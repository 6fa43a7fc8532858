"""esms_portal.core.public_cache on a bare view: what is never stored (CSRF token, CSP nonce, cookies,
errors), what is never served (a session, messages, a POST), and the version key."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from esms_portal.core import public_cache

pytestmark = pytest.mark.redis
TOPIC = "tests.public-cache"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    public_cache.invalidate(TOPIC)
    yield
    cache.clear()


def counting(answer):
    calls = []

    @public_cache.anonymous_cache(TOPIC)
    def view(request):
        calls.append(1)
        return answer(request)

    return view, calls


def get(view, path="/page/", **extra):
    return view(RequestFactory().get(path, **extra))


def test_a_plain_answer_is_stored_then_served_until_the_topic_changes():
    view, calls = counting(lambda r: HttpResponse("hello", content_type="text/plain"))
    assert get(view)["X-Portal-Cache"] == "miss"
    hit = get(view)
    assert hit["X-Portal-Cache"] == "hit" and hit.content == b"hello" and hit["Content-Type"] == "text/plain"
    assert len(calls) == 1
    public_cache.invalidate(TOPIC)
    assert get(view)["X-Portal-Cache"] == "miss" and len(calls) == 2


@pytest.mark.parametrize("answer", [
    lambda r: HttpResponse(get_token(r)),                       # a CSRF token in the page
    lambda r: HttpResponse(str(setattr(r, "_csp_nonce", "n"))),  # a CSP nonce asked for
    lambda r: HttpResponse(status=404),
    lambda r: (lambda a: a.set_cookie("x", "1") or a)(HttpResponse("x")),
])
def test_personal_or_failed_answers_are_never_stored(answer):
    view, calls = counting(answer)
    get(view), get(view)
    assert len(calls) == 2


@pytest.mark.parametrize("extra", [
    {"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_COOKIE": "messages=abc"}, {"HTTP_AUTHORIZATION": "Token abc"},
])
def test_a_visitor_with_a_session_messages_or_a_token_goes_to_the_view(extra):
    view, calls = counting(lambda r: HttpResponse("hello"))
    get(view)
    answer = get(view, **extra)
    assert "X-Portal-Cache" not in answer and len(calls) == 2


def test_a_post_another_query_string_host_or_scheme_are_not_the_cached_get(settings):
    settings.ALLOWED_HOSTS = ["testserver", "portail.example"]
    view, calls = counting(lambda r: HttpResponse("hello"))
    get(view), get(view, "/page/?a=1"), get(view, HTTP_HOST="portail.example"), get(view, secure=True)
    view(RequestFactory().post("/page/"))
    assert len(calls) == 5


def test_a_zero_lifetime_turns_it_off(settings):
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 0
    view, calls = counting(lambda r: HttpResponse("hello"))
    get(view), get(view)
    assert len(calls) == 2


def test_without_redis_the_view_answers_and_invalidating_does_not_raise(settings):
    working = settings.CACHES
    settings.CACHES = {"default": {"BACKEND": "esms_portal.core.redis_cache.PortalRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    view, calls = counting(lambda r: HttpResponse("hello"))
    assert get(view).content == b"hello" and get(view).content == b"hello"
    assert len(calls) == 2
    public_cache.invalidate(TOPIC)
    settings.CACHES = working
