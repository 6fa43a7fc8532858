"""Anonymous pages whose one per-visitor part is the CSRF token (the login page): the page is
rendered once per process, and each request gets it with its visitor's own token in place.

Served this way only: a GET or HEAD without a query string (`next` and the like are rendered), from a
visitor without a session or messages cookie (nobody logged in, no flash message, no login under
way), when the rendering asked for no CSP nonce and answered 200 without setting a cookie. Anything
else is rendered as usual. The token is the request's own (`get_token`: the CSRF cookie is set as
for a rendered page); the rest of the page depends only on the code, the templates and the settings,
and is forgotten when a setting changes (tests) or a file changes (the autoreloader of `runserver`).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.autoreload import file_changed

PLACEHOLDER = "portal-csrf-token-placeholder"
KEPT_HEADERS = ("Content-Type", "Content-Language")
_pages: dict[tuple, tuple[bytes, list]] = {}  # key -> (content with PLACEHOLDER, kept headers)


@receiver(setting_changed)
@receiver(file_changed)
def _forget(**kwargs):
    _pages.clear()


def applies(request) -> bool:
    cookies = request.COOKIES
    return (request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies)


def page_with_token(request, key: tuple, render) -> HttpResponse:
    """The page `render(csrf_token)` (a response) gives, rendered once per `key` with a placeholder
    token, answered with the request's token in its place."""
    stored = _pages.get(key)
    if stored is None:
        response = render(PLACEHOLDER)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if (response.status_code != 200 or response.cookies or getattr(request, "_csp_nonce", None)
                or getattr(response, "streaming", False) or PLACEHOLDER.encode() not in response.content):
            if PLACEHOLDER.encode() in getattr(response, "content", b""):
                response.content = _with_token(request, response.content)
            return response
        stored = _pages[key] = (response.content, [(name, response[name]) for name in KEPT_HEADERS if name in response])
    content, headers = stored
    response = HttpResponse(_with_token(request, content))
    for name, value in headers:
        response[name] = value
    return response


def _with_token(request, content: bytes) -> bytes:
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())
