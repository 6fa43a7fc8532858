"""Query helpers shared by selectors and API lists."""


def narrow(queryset, **lookups):
    """`queryset` filtered on each of `lookups` whose value is given: None and "" mean "any", as an
    empty filter of a page or a list does."""
    return queryset.filter(**{lookup: value for lookup, value in lookups.items() if value not in (None, "")})
