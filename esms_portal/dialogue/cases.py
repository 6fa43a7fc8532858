"""A request as the dialogue sees it: any instructed request declared in an app's `portal.py`
(esms_portal.workflow.declarations), named by its case reference `"<key>:<pk>"`.

Who converses on it: the organisation's people allowed its declaration's `message_act` (its
`view_act` when blank) and the ANS agents who instruct it (`instruct_act`).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from esms_portal.core import permissions
from esms_portal.models import RoleGrant, User
from esms_portal.workflow.declarations import RequestType, request_type
from esms_portal.workflow.requests import Request

# States after which nothing more is said on a request (besides those with a decision date).
CLOSED_STATES = frozenset({"withdrawn", "terminated"})


def conversation_act(declaration: RequestType) -> str:
    return declaration.message_act or declaration.view_act


def may_converse(user, obj) -> bool:
    declaration = obj.request_type
    return permissions.may(user, declaration.instruct_act, obj) or permissions.may(
        user, conversation_act(declaration), obj)


def is_closed(obj) -> bool:
    """Decided or withdrawn: no more messages, nor answers."""
    return getattr(obj, "decided_at", None) is not None or obj.state in CLOSED_STATES


def case_ref(obj) -> str:
    return f"{obj.request_type.key}:{obj.pk}"


def case_get_for_user(user, key: str, pk) -> Request:
    """The request `pk` of the type `key` if `user` may converse on it; 404 otherwise, never its data."""
    declaration = request_type(key)
    if declaration is None:
        raise Http404("Demande introuvable.")
    model = declaration.model
    if permissions.is_agent(user):
        candidates = model._default_manager.all()
    else:
        candidates = permissions.scope_for_act(model._default_manager.all(), user, conversation_act(declaration))
    try:
        obj = candidates.get(pk=pk)
    except (model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("Demande introuvable.") from None
    if not may_converse(user, obj):
        raise Http404("Demande introuvable.")
    return obj


def case_url(obj, *, organisation: bool = False) -> str:
    """The request's page, as a path: its own page when it has one, else its conversation page; for
    the organisation's people, the declaration's `organisation_url` when the page is the agents' only."""
    declaration = obj.request_type
    if organisation and declaration.organisation_url:
        return reverse(declaration.organisation_url, args=[obj.pk])
    return case_path(declaration, obj.pk)


def case_path(declaration: RequestType, pk) -> str:
    # A declaration's detail_url names a page, or (F999) its API route: then its conversation page.
    try:
        found = reverse(declaration.detail_url, args=[pk])
    except NoReverseMatch:
        found = ""
    if not found or found.startswith("/api/"):
        return reverse("dialogue:conversation", args=[declaration.key, pk])
    return found


def reference(pk) -> str:
    return str(pk).split("-")[0].upper()


def case_title(obj) -> str:
    """« la demande F301 n° 6DB33D79 », « le contrat d'adhésion n° 12 »: as a sentence quotes it."""
    return case_label(obj.request_type, obj.pk)


def case_label(declaration: RequestType, pk) -> str:
    if declaration.named:
        return f"{declaration.named} n° {reference(pk)}"
    if declaration.number:
        return f"la demande {declaration.number} n° {reference(pk)}"
    return f"la demande « {declaration.title} » n° {reference(pk)}"


def organisation_people(obj) -> list[User]:
    """The organisation's people who converse on `obj` (one query)."""
    roles = permissions.ACTS[conversation_act(obj.request_type)] - {permissions.AGENT}
    user_ids = RoleGrant.objects.filter(organisation_id=permissions.tenant_of(obj), role__in=roles).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def agents_of(obj) -> list[User]:
    """The agent instructing `obj`, when one took it (no one otherwise: the weekday digest tells them all)."""
    agent = getattr(obj, "agent", None)
    return [agent] if agent is not None and agent.is_active else []


@dataclass(frozen=True)
class CaseRef:
    key: str
    pk: str

    @classmethod
    def parse(cls, ref: str) -> "CaseRef":
        key, _, pk = ref.partition(":")
        return cls(key, pk)
