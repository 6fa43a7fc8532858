"""Who may do what, on which organisation's objects: the one place that decides.

Views, API, admin, transitions (`permission=`) and selectors all ask this module. An act is a
dotted name (`structure.report_anomaly`, `contract.submit`); the table below says which roles
perform it. Objects name their tenant through `tenant_field`, the path to their EJ
(`"legal_entity"` for a structure, `"organisation"` for a contract...).
"""

from collections import defaultdict
from functools import cache

from django.conf import settings
from django.db.models import Q, QuerySet

from esms_portal.core.errors import ActNotAllowed, CardLoginRequired
from esms_portal.core.extensions import RoleCondition, extensions
from esms_portal.models import Role, RoleGrant

AGENT = "ans_agent"
ANY_ROLE = frozenset(Role.values)
MANAGERS = frozenset({Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE})

# act -> roles (held on the object's organisation) allowed to perform it; AGENT = ANS staff.
ACTS: dict[str, frozenset[str]] = {
    "structure.view": ANY_ROLE | {AGENT},
    "structure.report_anomaly": frozenset({Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE, AGENT}),
    "anomaly.view": frozenset({Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE, AGENT}),
    "steps.supervise": frozenset({AGENT}),
    # The adhesion contract is the legal representative's act (R-CON-4); agents instruct it.
    "contract.view": ANY_ROLE | {AGENT},
    # Its details (the representative's and director's contact data, the proof, the messages with
    # the ANS and the history that quotes them): only for the roles that act on it.
    "contract.read_details": frozenset({Role.LEGAL_REPRESENTATIVE, AGENT}),
    "contract.submit": frozenset({Role.LEGAL_REPRESENTATIVE}),
    "contract.instruct": frozenset({AGENT}),
    "contract.message": frozenset({Role.LEGAL_REPRESENTATIVE, AGENT}),
    # The legal representative is the registration authority of his professionals à rôle (R-CON-8)
    # and holds the RPPS+ right by default; gestionnaires hold it by grant (R-RPP-4).
    "rpps.register": frozenset({Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS}),
    # --- cards (F101, F301, F502, incidents) ---
    # Who may file what (R-CRD-15): the legal representative's own card (F101), staff cards (F301,
    # also a mandataire's act, R-CRD-5), mandataires (F502); test cards by anyone (R-CRD-14).
    "card.fleet": MANAGERS | {AGENT},
    "card.produce": frozenset({AGENT}),
    "card.oppose": MANAGERS | {AGENT},
    "card.incident": MANAGERS | {AGENT},
    "card.update_holder": MANAGERS | {AGENT},
    "f101.file": frozenset({Role.LEGAL_REPRESENTATIVE}),
    "f301.file": MANAGERS,
    "f502.file": frozenset({Role.LEGAL_REPRESENTATIVE}),
    "f414.file": ANY_ROLE,
    "cardform.file": MANAGERS,
    "cardform.instruct": frozenset({AGENT}),
    # --- certificates (F413, F503, certificate lifecycle) ---
    # F413/F503 are filed by the legal representative or a mandataire (R-CER-2); the designated
    # technical administrators act on the EJ's certificates (R-CER-4).
    "f413.file": MANAGERS,
    "f413.view": MANAGERS | {Role.TECHNICAL_ADMIN, AGENT},
    "f413.instruct": frozenset({AGENT}),
    "certificate.view": MANAGERS | {Role.TECHNICAL_ADMIN, AGENT},
    "certificate.manage": frozenset({Role.TECHNICAL_ADMIN}),
    # --- rpps_plus (rights, registration, directory, e-CPS) ---
    # Registration acts (register, validate or refuse a pre-registration, change a role, end a
    # situation, import the collection template) are "rpps.register", checked with the site
    # (decentralised rights) and, for a gestionnaire, his CPE at every act (R-RPP-4, R-RPP-5).
    "rpps.view": frozenset({Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS, AGENT}),
    "rpps.grant": frozenset({Role.LEGAL_REPRESENTATIVE}),
    "rpps.analyse": frozenset({AGENT}),
    # --- onboarding ---
    # Every member follows the timeline; the legal representative or a mandataire declares what the
    # portal cannot observe (INSi, MSSanté, RPPS+ need); agents read the national dashboard.
    "onboarding.view": ANY_ROLE | {AGENT},
    "onboarding.declare": MANAGERS,
    "onboarding.dashboard": frozenset({AGENT}),
    # --- back office ---
    # One act over many cases at once (esms_portal.backoffice.bulk); each case checks its own act again.
    "backoffice.bulk": frozenset({AGENT}),
    # --- webhooks ---
    # The legal representative subscribes his organisation's programs to its events (issue #20).
    "webhook.manage": frozenset({Role.LEGAL_REPRESENTATIVE}),
    # The back office (esms_portal.backoffice): the queue, its exports, assignment, labels, private notes.
    "backoffice.queue": frozenset({AGENT}),
    "case.assign": frozenset({AGENT}),
    "case.label": frozenset({AGENT}),
    "case.annotate": frozenset({AGENT}),
}

# Acts that need a card-authenticated session when PORTAL_CARD_LOGIN_REQUIRED (R-RPP-6, R-CER-4).
CARD_ACTS: set[str] = {"rpps.register", "certificate.manage"}


@cache
def _role_conditions() -> dict[tuple[str, str], RoleCondition]:
    """What a role needs besides being held, for one act, as the apps declare it (core.extensions)."""
    declared = [condition for extension in extensions() for condition in extension.role_conditions]
    return {(condition.act, condition.role): condition for condition in declared}


class _System:
    """The portal itself acting on a timed step (card produced, RPPS number allocated...).

    It acts with an agent's rights and leaves no actor on the audit entry (pk None)."""

    pk = None
    is_authenticated = is_active = is_staff = True
    card_authenticated = True

    def __str__(self):
        return "système"


SYSTEM = _System()


def is_agent(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def organisation_ids(user, roles=None) -> QuerySet:
    """The EJ ids on which `user` holds one of `roles` (any role when None), as a subquery."""
    grants = RoleGrant.objects.filter(user=user)
    if roles is not None:
        grants = grants.filter(role__in=roles)
    return grants.values("organisation_id")


def tenant_of(obj):
    """The EJ id an object belongs to, following its model's `tenant_field` path."""
    *path, last = obj.tenant_field.split("__")
    for step in path:
        obj = getattr(obj, step)
    return getattr(obj, f"{last}_id")


def roles_on(user, organisation_id, *, site_id=None) -> set[str]:
    """Roles `user` holds on an EJ; a gestionnaire limited to other sites does not hold it for `site_id`."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    if user is SYSTEM:
        return {AGENT}
    # One query (grants joined to their sites), not a prefetch: every permission check of every page pays it.
    grants = defaultdict(set)  # (grant pk, role) -> its sites (empty: all of them)
    for pk, role, site in RoleGrant.objects.filter(user=user, organisation_id=organisation_id).values_list(
        "pk", "role", "sites"
    ):
        grants[(pk, role)].update(() if site is None else (site,))
    roles = {role for (_pk, role), site_ids in grants.items()
             if site_id is None or not site_ids or site_id in site_ids}
    if is_agent(user):
        roles.add(AGENT)
    return roles


def acts_on_own_organisations(user, acts) -> set[str]:
    """Which of `acts` `user` may perform on an organisation he holds a role on (the menu's question;
    one query). An agent's own rights do not count: he reaches organisations from the back office."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    return {act for act in acts if held & ACTS[act]}


def needs_card_login(user, act: str) -> bool:
    """True when `act` needs a CPx card login that `user`'s session lacks (agents act from the back office)."""
    return (
        act in CARD_ACTS
        and settings.PORTAL_CARD_LOGIN_REQUIRED
        and not is_agent(user)
        and not getattr(user, "card_authenticated", False)  # set by auth.card_session's middleware
    )


def _condition_refusal(user, act: str, role: str, organisation_id) -> ActNotAllowed | None:
    condition = _role_conditions().get((act, role))
    if condition is None or condition.check(user, organisation_id):
        return None
    return condition.refusal()


def refusal_of(user, act: str, obj=None, *, site_id=None) -> ActNotAllowed | None:
    """Why `user` may not perform `act` on `obj` now (the error to raise), or None when he may."""
    if needs_card_login(user, act):
        return CardLoginRequired()
    allowed = ACTS[act]
    if obj is None:
        return None if is_agent(user) and AGENT in allowed else ActNotAllowed()
    organisation_id = tenant_of(obj)
    held = roles_on(user, organisation_id, site_id=site_id) & allowed
    refusals = []
    # One role that needs nothing more is enough: its conditions-free holders are asked first.
    for role in sorted(held, key=lambda role: (act, role) in _role_conditions()):
        refusal = _condition_refusal(user, act, role, organisation_id)
        if refusal is None:
            return None
        refusals.append(refusal)
    return refusals[0] if refusals else ActNotAllowed()


def may(user, act: str, obj=None, *, site_id=None) -> bool:
    """May `user` perform `act` on `obj` (an object with a tenant, or None for global acts)?"""
    return refusal_of(user, act, obj, site_id=site_id) is None


def require(user, act: str, obj=None, *, site_id=None) -> None:
    refusal = refusal_of(user, act, obj, site_id=site_id)
    if refusal is not None:
        raise refusal


def transition_permission(act: str):
    """A django-fsm `permission=` callable backed by this module."""

    def check(instance, user) -> bool:
        return may(user, act, instance)

    check.act = act
    return check


def scope(queryset: QuerySet, user, *, roles=None) -> QuerySet:
    """Restrict `queryset` to the objects of the organisations `user` belongs to (all for agents)."""
    if is_agent(user):
        return queryset
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    field = queryset.model.tenant_field
    return queryset.filter(Q(**{f"{field}__in": organisation_ids(user, roles)}))


def scope_for_act(queryset: QuerySet, user, act: str) -> QuerySet:
    """Restrict `queryset` to the organisations on which `user` holds a role allowed to do `act`."""
    return scope(queryset, user, roles=ACTS[act] - {AGENT})
