"""The OpenAPI schema (`/api/schema/`) and its Swagger UI (`/api/schema/ui/`), public or for signed-in
users only as PORTAL_API_DOCS_PUBLIC says (read at each request).

The UI is drf-spectacular's split view: its page loads its start-up script from the same URL
(`?script`) instead of carrying it inline, so it runs under the portal's Content-Security-Policy.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission


def docs_are_public() -> bool:
    return settings.PORTAL_API_DOCS_PUBLIC


class MayReadApiDocs(BasePermission):
    """Anyone when the documentation is public; otherwise a signed-in user (session or token)."""

    def has_permission(self, request, view) -> bool:
        return docs_are_public() or bool(request.user and request.user.is_authenticated)


schema = SpectacularAPIView.as_view(permission_classes=[MayReadApiDocs])
_swagger_ui = SpectacularSwaggerSplitView.as_view(url_name="schema", permission_classes=[MayReadApiDocs])


def swagger_ui(request, *args, **kwargs):
    """The Swagger UI page; a visitor of private documentation is sent to the login page first."""
    if not docs_are_public() and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _swagger_ui(request, *args, **kwargs)
