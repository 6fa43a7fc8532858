"""`{% attestation_links request %}`: the decision attestations of a request, on its page
(esms_portal.dialogue.attestations); the page itself already checked who may see the request."""

from django import template

from esms_portal.dialogue.attestations import attestations_of

register = template.Library()


@register.inclusion_tag("dialogue/includes/attestation_links.html")
def attestation_links(request_object):
    return {"attestations": attestations_of(request_object)}
