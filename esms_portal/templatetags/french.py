"""French plurals in templates: zero and one take the singular (« 0 jour », « 1 résultat »), which
Django's `pluralize` (English rule: every count but 1 is plural) gets wrong."""

from django import template

register = template.Library()


def is_plural(count) -> bool:
    """French rule (CLDR `one` for 0 and 1): only two and more take the plural."""
    try:
        return abs(float(count)) >= 2
    except (TypeError, ValueError):
        return False


@register.filter
def pluriel(count, suffixes: str = "s") -> str:
    """`{{ n }} jour{{ n|pluriel }}`; `{{ n|pluriel:"al,aux" }}` for another ending."""
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    return plural if is_plural(count) else singular
