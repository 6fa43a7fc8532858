"""Who may register where, tenant-scoped reads, and the public Annuaire Santé (STYLE.md convention 8).

A user manages the professionals of a site when he is the legal representative of its EJ (the
RPPS+ right by default) or a gestionnaire RPPS+ granted on all its sites or on that one, and, as
a gestionnaire, holds a usable CPE or CDE of the EJ right now (R-RPP-4, R-RPP-5): withdrawing the
grant or opposing the card stops him at the next request.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery
from django.http import Http404

from cards.models import CardFamily
from cards.selectors import holds_active_card
from contracts.models import Structure, StructureKind
from esms_portal.core import permissions
from esms_portal.core.errors import ActNotAllowed, CardLoginRequired
from esms_portal.models import Role, RoleGrant

from .models import BulkImport, Professional, Situation, SituationState
from .models.professional import PUBLISHED
from .nomenclatures import fold

RIGHT_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS)
# R-RPP-4 names the CPE. The CDE is the director's card of the same family of establishment
# staff (R-CRD-1): a director made gestionnaire (e.g. when the president is the legal
# representative, R-CON-7) must not need a second card. CPA/CDA (structures giving no care) are
# not accepted: the rule says CPE.
GESTIONNAIRE_CARD_FAMILIES = (CardFamily.CPE, CardFamily.CDE)


class GestionnaireCardRequired(ActNotAllowed):
    code = "gestionnaire_card_required"
    message = ("Un gestionnaire RPPS+ doit détenir une carte CPE (ou CDE) active de l'organisation : "
               "la vôtre est absente, opposée ou expirée.")


def holds_gestionnaire_card(user, organisation_id) -> bool:
    return holds_active_card(user, organisation_id=organisation_id, families=GESTIONNAIRE_CARD_FAMILIES)


def _register_refusal(user, site) -> ActNotAllowed | None:
    """Why `user` may not register at `site` now, or None."""
    if permissions.needs_card_login(user, "rpps.register"):
        return CardLoginRequired()
    roles = permissions.roles_on(user, site.legal_entity_id, site_id=site.pk)
    if Role.LEGAL_REPRESENTATIVE in roles:
        return None
    if Role.GESTIONNAIRE_RPPS in roles:
        return None if holds_gestionnaire_card(user, site.legal_entity_id) else GestionnaireCardRequired()
    return ActNotAllowed()


def may_register(user, site) -> bool:
    return _register_refusal(user, site) is None


def require_register(user, site) -> None:
    """The one check of every registration act (R-RPP-4 to R-RPP-6); [card-login] satisfies its
    card-session part through permissions.CARD_ACTS."""
    refusal = _register_refusal(user, site)
    if refusal is not None:
        raise refusal


def _managed_sites_q(user) -> Q:
    scope = Q(pk__in=[])
    if not (user and user.is_authenticated):
        return scope
    grants = RoleGrant.objects.filter(user=user, role__in=RIGHT_ROLES).prefetch_related("sites")
    for grant in grants:
        if grant.role == Role.GESTIONNAIRE_RPPS and not holds_gestionnaire_card(user, grant.organisation_id):
            continue
        site_ids = [site.pk for site in grant.sites.all()]
        scope |= Q(pk__in=site_ids) if site_ids else Q(legal_entity_id=grant.organisation_id)
    return scope


def managed_sites(user):
    """The sites (FINESS géographique) whose professionals `user` manages."""
    return Structure.objects.filter(kind=StructureKind.EG).filter(_managed_sites_q(user)).order_by("name")


def managed_organisations(user):
    return Structure.objects.filter(pk__in=managed_sites(user).values("legal_entity_id"))


def site_get_for_user(user, finess_or_pk) -> Structure:
    sites = managed_sites(user)
    lookup = Q(finess=finess_or_pk) if len(str(finess_or_pk)) == 9 else Q(pk=finess_or_pk)
    try:
        return sites.select_related("legal_entity").get(lookup)
    except (Structure.DoesNotExist, ValueError, ValidationError):
        raise Http404("Établissement introuvable.") from None


def site_get_for_registration(user, finess) -> Structure:
    """A site of an EJ where the user holds an RPPS+ right, even one he may not use now: the act
    then says why (card opposed, site outside a decentralised right) instead of a bare 404."""
    sites = Structure.objects.filter(kind=StructureKind.EG,
                                     legal_entity_id__in=permissions.organisation_ids(user, RIGHT_ROLES))
    try:
        return sites.select_related("legal_entity").get(finess=str(finess).replace(" ", "").upper())
    except Structure.DoesNotExist:
        raise Http404("Établissement introuvable.") from None


def situations_for_user(user):
    situations = Situation.objects.select_related("professional", "site", "site__legal_entity", "registered_by")
    if permissions.is_agent(user):
        return situations
    return situations.filter(site__in=managed_sites(user))


def situation_get_for_user(user, pk) -> Situation:
    try:
        return situations_for_user(user).get(pk=pk)
    except (Situation.DoesNotExist, ValueError):
        raise Http404("Situation d'exercice introuvable.") from None


def site_situations(user, site, *, state: str = ""):
    """A site's professionals in a constant number of queries, whatever their number."""
    situations = situations_for_user(user).filter(site=site)
    return situations.filter(state=state) if state else situations


def pending_pre_registrations(user):
    return situations_for_user(user).filter(state=SituationState.PRE_REGISTERED)


def professional_get_for_user(user, pk) -> Professional:
    """A professional with a situation the user manages (his civil status and contact data)."""
    visible = situations_for_user(user).values("professional_id")
    try:
        return Professional.objects.filter(pk__in=visible).get(pk=pk)
    except (Professional.DoesNotExist, ValueError):
        raise Http404("Professionnel introuvable.") from None


def professional_situations(professional):
    return professional.situations.select_related("site", "site__legal_entity").order_by("-start_date", "pk")


def bulk_import_get_for_user(user, pk) -> BulkImport:
    try:
        found = BulkImport.objects.select_related("organisation").get(pk=pk, uploaded_by=user)
    except (BulkImport.DoesNotExist, ValueError):
        raise Http404("Import introuvable.") from None
    return found


def gestionnaires_of(organisation):
    """The RPPS+ rights granted on an EJ, with their sites (the "Mes habilitations" page)."""
    return (RoleGrant.objects.filter(organisation=organisation, role=Role.GESTIONNAIRE_RPPS)
            .select_related("user", "granted_by").prefetch_related("sites").order_by("user__last_name"))


def grantable_staff(organisation):
    """Staff of the EJ who hold a usable CPE or CDE of it: who may be made gestionnaire (R-RPP-4)."""
    from cards.selectors import usable_cards
    from esms_portal.models import User

    holders = usable_cards().filter(organisation=organisation, family__in=GESTIONNAIRE_CARD_FAMILIES)
    return User.objects.filter(pk__in=holders.values("holder_id")).order_by("last_name", "first_name")


# The public Annuaire Santé (R-RPP-11): published situations only, and never contact or birth data.
DIRECTORY_FIELDS = (
    "id", "practice_last_name", "practice_first_name", "search_name", "profession_code", "profession_other",
    "role_code", "published_at", "professional__rpps", "site__finess", "site__name", "site__city",
    "site__postal_code",
)


def _after_prefix(prefix: str) -> str:
    """The smallest folded name after every name starting with `prefix` ("BR" -> "BS", "BZ" -> "C"):
    with `>= prefix` it makes the prefix an index range read in name order up to the LIMIT. Folded
    names are A-Z and spaces, so the range is exactly the prefix in byte order (PostgreSQL C/C.UTF-8,
    SQLite); a LIKE next to it would make the planner misjudge the rows and sort them all."""
    stripped = prefix.rstrip("Z ")
    if not stripped:
        return ""
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)


def directory_search(*, name: str = "", rpps: str = "", profession: str = "", role: str = "", site: str = "",
                     offset: int = 0, limit: int = 20) -> tuple[list[Situation], bool]:
    """One page of the directory, sorted by name, and whether another follows (no COUNT: the page
    stays an index range scan at two million professionals)."""
    situations = Situation.objects.filter(PUBLISHED)
    if name:
        prefix = fold(name)
        situations = situations.filter(search_name__gte=prefix)
        upper = _after_prefix(prefix)
        situations = situations.filter(search_name__lt=upper) if upper else situations.filter(
            search_name__startswith=prefix)
    if rpps:
        situations = situations.filter(professional__rpps=rpps)
    if profession:
        situations = situations.filter(profession_code=profession)
    if role:
        situations = situations.filter(role_code=role)
    if site:
        # A scalar subquery (an InitPlan): the site's id is known before the scan, which then reads
        # the (site, name) index in order; a join on the FINESS would scan every name instead.
        site_id = Structure.objects.filter(finess=site).values("pk")[:1]
        situations = situations.filter(site_id=Subquery(site_id))
    page = list(
        situations.select_related("professional", "site").only(*DIRECTORY_FIELDS)
        .order_by("search_name", "id")[offset:offset + limit + 1]
    )
    return page[:limit], len(page) > limit


def directory_entry(pk) -> Situation:
    try:
        return Situation.objects.filter(PUBLISHED).select_related("professional", "site").only(
            *DIRECTORY_FIELDS).get(pk=pk)
    except (Situation.DoesNotExist, ValueError):
        raise Http404("Fiche introuvable dans l'Annuaire Santé.") from None
