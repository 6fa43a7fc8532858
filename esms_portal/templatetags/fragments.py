"""`{% fragment "name" %}`: a template that depends on nothing of the request (the DSFR head
assets, the footer and scripts, the header of a visitor who is not logged in), rendered once per
process and language and reused by every page (templates/base.html).

Rendering them for each page cost more than a third of a page that shows little (the login page):
their `{% static %}` and `{% url %}` tags, and Django walking the node tree of a parent template for
its blocks at each `{% extends %}`. A fragment is rendered with an empty context: what it shows
cannot depend on the user, the request or a CSRF token. It is forgotten when a setting changes
(tests) or a file changes (`runserver`'s autoreloader).
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
_rendered: dict[tuple[str, str | None], SafeString] = {}


@receiver(setting_changed)
@receiver(file_changed)
def _forget(**kwargs):
    _rendered.clear()


@register.simple_tag
def fragment(name: str) -> SafeString:
    key = (name, translation.get_language())
    if key not in _rendered:
        _rendered[key] = mark_safe(get_template(name).render({}))  # noqa: S308 - a template's own output
    return _rendered[key]
