from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def live_every() -> str:
    """`hx-trigger="{% live_every %}"`: how often a live part of a page asks again (PORTAL_LIVE_SECONDS)."""
    return f"every {settings.PORTAL_LIVE_SECONDS:g}s"
