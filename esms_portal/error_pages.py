"""The portal's own error pages even with DEBUG on: `make demo` runs with DEBUG, and people trying
it should meet the French 404 page, not Django's English debug page listing the URL patterns.
A developer who wants that debug page sets PORTAL_DEBUG_ERROR_PAGES=true."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve

from esms_portal import views


def _replaces_debug_page() -> bool:
    return settings.DEBUG and not settings.PORTAL_DEBUG_ERROR_PAGES


class PortalErrorPagesMiddleware:
    """Last in MIDDLEWARE: the page is rendered for the logged-in user (his menu), and
    CommonMiddleware still turns a 404 into the APPEND_SLASH redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _replaces_debug_page():
            # An unknown address never reaches a view, so process_exception would not see it.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exception:
                return views.page_not_found(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and _replaces_debug_page():
            return views.page_not_found(request, exception)
        return None
