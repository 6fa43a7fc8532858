from django import template

from esms_portal.core.regions import region_name as name_of

register = template.Library()


@register.filter
def region_name(code: str) -> str:
    """`{{ structure.region|region_name }}`: « Auvergne-Rhône-Alpes » rather than « 84 »."""
    return name_of(code or "")
