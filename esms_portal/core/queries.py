"""Query helpers shared by selectors and API lists."""


def narrow(queryset, **lookups):
    """`queryset` filtered on each of `lookups` whose value is given: None and "" mean "any", as an
    empty filter of a page or a list does."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value not in (None, "")})


def get_or_404(queryset, *args, message: str = "", **lookups):
    """The one row of `queryset` matching the lookups, or a 404 (with `message`). Unlike Django's
    get_object_or_404 a malformed key (not a UUID, not a number) is a 404 too, never a 500."""
    from django.core.exceptions import ObjectDoesNotExist, ValidationError
    from django.http import Http404

    try:
        return queryset.get(*args, **lookups)
    except (ObjectDoesNotExist, ValueError, ValidationError):
        raise Http404(message) from None
