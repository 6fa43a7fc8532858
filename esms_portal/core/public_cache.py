"""Anonymous answers of public pages kept in the shared cache (Redis), per URL, for a short time.

A public page (the Annuaire Santé and its API) answers every visitor without an account alike, so
its rendered answer can be reused: `anonymous_cache(topic)` wraps such a view. Invalidation, two
ways, both needed:

- **version key**: every cached answer is stored under the current version of its `topic`;
  `invalidate(topic)` (called after the commit of any write to what the pages show, e.g. by the
  app's signals) gives the topic a new version, so every answer cached before is no longer read
  (it expires on its own). A request reads the version *before* its queries, and the bump happens
  *after* the writer's commit: an answer computed from older data is stored under the old version,
  never under the new one.
- **time to live** (`PORTAL_PUBLIC_CACHE_SECONDS`, 60 s by default; 0 turns the cache off): writes
  that send no signal (bulk imports, `QuerySet.update`, SQL) show within that time.

What is never cached or served from the cache, so that nothing personal crosses visitors:

- a request with a session or messages cookie (a logged-in user, a visitor in the middle of a
  form, a flash message to show), an `Authorization` header, or any method but GET/HEAD; a view
  that reads neither (`visitor_free=True`: a JSON API without authentication classes) answers
  everyone alike, and is cached for every visitor;
- an answer other than 200, one that sets a cookie, or one whose rendering asked for a CSRF token
  or a CSP nonce (the token and nonce are per visitor).

The key is the scheme, host, path and query string as sent (the API's cursor links are absolute),
the language, and the `Accept` and `HX-Request` headers (the API negotiates its format; htmx asks
for fragments). Served answers carry
`Vary: Cookie`, like the pages rendered for a session. `X-Portal-Cache: hit|miss` says which.

A hit for a visitor without cookies is answered by `PublicCacheMiddleware`, before the sessions,
CSRF and authentication (see its docstring); the decorator serves the other hits and every miss.

A logged-in visitor's page is never the anonymous one (his header, his CSRF token), but the part of
it that is everyone's (the directory's results) can be: `shared_fragment(request, topic, name,
render)` keeps that HTML under the same topic, key and versions, so the same invalidation holds.
"""

import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)
PREFIX = "public-cache"
# Headers of the view's answer worth keeping; the middleware adds the rest to every answer.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Allow", "Retry-After")


def _version_key(topic: str) -> str:
    return f"{PREFIX}:{topic}:version"


def invalidate(topic: str) -> None:
    """Forget every cached answer of `topic` (a new version; call it after the commit). Never raises:
    it runs after a commit, whose act has succeeded; with Redis unreachable the answers cached
    before expire on their own (PORTAL_PUBLIC_CACHE_SECONDS)."""
    try:
        cache.set(_version_key(topic), uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001
        logger.warning("public cache unreachable: %s not invalidated", topic, exc_info=True)


def _version(topic: str) -> str:
    key = _version_key(topic)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, None):  # another process set it first
            version = cache.get(key) or version
    return version


def _cacheable_request(request, visitor_free: bool) -> bool:
    cookies = request.COOKIES
    if request.method not in ("GET", "HEAD"):
        return False
    return visitor_free or (
        settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)
    )


def _page_key(request, topic: str, version: str, language: str | None = None) -> str:
    meta = request.META
    language = getattr(request, "LANGUAGE_CODE", "") if language is None else language
    # The host and scheme too: the API's cursor links are absolute.
    raw = "\n".join((request.scheme, request.get_host(), request.get_full_path(), language,
                     meta.get("HTTP_ACCEPT", ""), meta.get("HTTP_HX_REQUEST", "")))
    return f"{PREFIX}:{topic}:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _answer(stored: dict, hit: bool):
    from django.http import HttpResponse

    response = HttpResponse(stored["content"], status=200)
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Portal-Cache"] = "hit" if hit else "miss"
    patch_vary_headers(response, ["Cookie"])
    return response


def anonymous_cache(topic: str, *, visitor_free: bool = False):
    """Decorate a public view: its anonymous answers are cached per URL under `topic` (see above).
    `visitor_free`: the view reads no session, user or token, its answers are everyone's."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if settings.PORTAL_PUBLIC_CACHE_SECONDS <= 0 or not _cacheable_request(request, visitor_free):
                return view(request, *args, **kwargs)
            try:
                key = _page_key(request, topic, _version(topic))
                stored = cache.get(key)
            except Exception:  # noqa: BLE001 - the cache is an optimisation: without Redis the view answers
                logger.warning("public cache unreachable", exc_info=True)
                return view(request, *args, **kwargs)
            if stored is not None:
                return _answer(stored, hit=True)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # DRF and template responses: the bytes are what is kept
            if not _cacheable_response(request, response):
                return response
            stored = {"content": response.content,
                      "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response]}
            try:
                cache.set(key, stored, settings.PORTAL_PUBLIC_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("public cache unreachable", exc_info=True)
            response["X-Portal-Cache"] = "miss"
            patch_vary_headers(response, ["Cookie"])
            return response

        wrapped.anonymous_cache_topic = topic
        return wrapped

    return decorate


def shared_fragment(request, topic: str, name: str, render):
    """A part of a page that is the same for every visitor, such as a search's results, kept under
    `topic` like the anonymous answers: a logged-in visitor's page is rendered for him (his header,
    his CSRF token), its public part `render()` (HTML, or None: nothing to keep) is read from the
    cache. Same key as the page's (URL, language, headers) plus `name`; same versions, so the same
    invalidation; the version is read before `render()` queries anything."""
    if settings.PORTAL_PUBLIC_CACHE_SECONDS <= 0:
        return render()
    try:
        key = f"{_page_key(request, topic, _version(topic))}:{name}"
        found = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("public cache unreachable", exc_info=True)
        return render()
    if found is not None:
        return mark_safe(found)  # noqa: S308 - HTML rendered by our own templates, escaped then
    html = render()
    if html is not None:
        try:
            cache.set(key, str(html), settings.PORTAL_PUBLIC_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("public cache unreachable", exc_info=True)
    return html


MAX_PATHS = 1024
_topics: dict[tuple[str, str], str | None] = {}  # (URLconf, path) -> its view's topic, None when not cached


@receiver(setting_changed)
def _forget_paths(**kwargs):
    _topics.clear()


def _topic_of(path: str) -> str | None:
    key = (settings.ROOT_URLCONF, path)
    if key not in _topics:
        if len(_topics) >= MAX_PATHS:  # any path can be asked for: what is kept stays bounded
            _topics.clear()
        try:
            _topics[key] = getattr(resolve(path).func, "anonymous_cache_topic", None)
        except Resolver404:
            _topics[key] = None
    return _topics[key]


class PublicCacheMiddleware:
    """A hit of the anonymous cache answered before the sessions, the locale, CSRF, authentication,
    the card session and messages, which have nothing to do for it (half a hit's CPU). Only for a
    visitor without a session, messages cookie or token (`visitor_free` views' other visitors go
    the whole way and are served by the view's decorator); a miss goes on to the view, which
    renders and stores. The answer gets what the middleware after this one would have added to it
    (language and its Vary; X-Frame-Options comes from its middleware, placed before this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PORTAL_PUBLIC_CACHE_SECONDS > 0 and _cacheable_request(request, visitor_free=False):
            answer = self._hit(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _hit(self, request):
        topic = _topic_of(request.path_info)
        if topic is None:
            return None
        language = translation.get_language_from_request(request)  # as LocaleMiddleware will
        try:
            stored = cache.get(_page_key(request, topic, _version(topic), language))
        except Exception:  # noqa: BLE001 - the view answers (and says why in the logs)
            return None
        if stored is None:
            return None
        response = _answer(stored, hit=True)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Content-Length", str(len(response.content)))  # as CommonMiddleware
        patch_vary_headers(response, ("Accept-Language",))
        return response
