"""Tenant-scoped reads of RPPS+ and the public Annuaire Santé (STYLE.md convention 8).

A user manages the professionals of a site when he holds the RPPS+ right there and may use it now:
the question itself is the kernel's permissions ("rpps.register", with rpps_plus.permissions' card
condition); these reads list what it covers.
"""

from django.db.models import Q, Subquery
from django.http import Http404

from cards.selectors import usable_cards
from contracts.models import Structure, StructureKind
from contracts.selectors import represented_organisation  # noqa: F401 ("Mes habilitations", R-RPP-4)
from esms_portal.core import keyset, permissions, tenant
from esms_portal.core.queries import get_or_404
from esms_portal.models import Role, RoleGrant, User

from .models import (
    BulkImport,
    CardHolderMobile,
    ECpsChallenge,
    NationalActivity,
    Professional,
    SignUp,
    Situation,
    SituationState,
)
from .models.professional import PUBLISHED
from .nomenclatures import fold
from .permissions import GESTIONNAIRE_CARD_FAMILIES, holds_gestionnaire_card

RIGHT_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS)


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
    """The EJs the user acts for with the RPPS+ right, where he manages at least one site now."""
    return tenant.organisations_for(user, roles=RIGHT_ROLES).filter(
        pk__in=managed_sites(user).values("legal_entity_id"))


def import_organisation(user) -> Structure | None:
    """The EJ whose collection template the user imports: the first he manages sites of."""
    return managed_organisations(user).first()


def sites_of(organisation):
    """The sites (FINESS géographique) of an EJ, by name."""
    return Structure.objects.filter(legal_entity=organisation, kind=StructureKind.EG).order_by("name")


def site_get_for_user(user, finess_or_pk) -> Structure:
    sites = managed_sites(user)
    lookup = Q(finess=finess_or_pk) if len(str(finess_or_pk)) == 9 else Q(pk=finess_or_pk)
    return get_or_404(sites.select_related("legal_entity"), lookup, message="Établissement introuvable.")


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


def situations_list(user, *, site: str = "", state: str = ""):
    """The API's list: the user's situations, of one site (FINESS) or in one state, by name."""
    situations = situations_for_user(user)
    if site:
        situations = situations.filter(site__finess=site)
    if state:
        situations = situations.filter(state=state)
    return situations.order_by("search_name", "pk")


def situation_get_for_user(user, pk) -> Situation:
    return get_or_404(situations_for_user(user), message="Situation d'exercice introuvable.", pk=pk)


def situation_for_analysis(pk) -> Situation:
    """A situation as the ANS sees it in its analysis queue (any organisation: agents only)."""
    return get_or_404(Situation.objects.select_related("professional", "site"),
                      message="Situation d'exercice introuvable.", pk=pk)


def site_situations(user, site, *, state: str = ""):
    """A site's professionals in a constant number of queries, whatever their number, by name."""
    situations = situations_for_user(user).filter(site=site).order_by("search_name", "pk")
    return situations.filter(state=state) if state else situations


def pending_pre_registrations(user, *, limit: int = 50):
    """The oldest pre-registrations waiting for the user's validation (R-RPP-3)."""
    return situations_for_user(user).filter(state=SituationState.PRE_REGISTERED).order_by("created_at")[:limit]


def professional_get_for_user(user, pk) -> Professional:
    """A professional with a situation the user manages (his civil status and contact data)."""
    visible = situations_for_user(user).values("professional_id")
    try:
        return Professional.objects.filter(pk__in=visible).get(pk=pk)
    except (Professional.DoesNotExist, ValueError):
        raise Http404("Professionnel introuvable.") from None


def professional_situations(professional):
    return professional.situations.select_related("site", "site__legal_entity").order_by("-start_date", "pk")


def other_situations(situation):
    """The professional's situations besides this one (his other sites and employers)."""
    return professional_situations(situation.professional).exclude(pk=situation.pk)


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


def gestionnaire_grant_get(organisation, user_pk) -> RoleGrant:
    try:
        return gestionnaires_of(organisation).get(user_id=user_pk)
    except (RoleGrant.DoesNotExist, ValueError):
        raise Http404("Gestionnaire introuvable.") from None


def grantable_staff(organisation):
    """Staff of the EJ who hold a usable CPE or CDE of it: who may be made gestionnaire (R-RPP-4)."""
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


def _name_starts_with(situations, prefix: str):
    """Folded names starting with `prefix`, read as an index range (see _after_prefix)."""
    situations = situations.filter(search_name__gte=prefix)
    upper = _after_prefix(prefix)
    return situations.filter(search_name__lt=upper) if upper else situations.filter(search_name__startswith=prefix)


def directory_entries(*, name: str = "", rpps: str = "", profession: str = "", role: str = "", site: str = ""):
    """The directory's published entries matching the criteria, by name: paged by key (esms_portal.core.keyset)
    and never counted, each page is an index range scan at two million professionals."""
    exact = {"professional__rpps": rpps, "profession_code": profession, "role_code": role}
    situations = Situation.objects.filter(PUBLISHED, **{lookup: value for lookup, value in exact.items() if value})
    if name:
        situations = _name_starts_with(situations, fold(name))
    if site:
        # A scalar subquery (an InitPlan): the site's id is known before the scan, which then reads
        # the (site, name) index in order; a join on the FINESS would scan every name instead.
        site_id = Structure.objects.filter(finess=site).values("pk")[:1]
        situations = situations.filter(site_id=Subquery(site_id))
    return situations.select_related("professional", "site").only(*DIRECTORY_FIELDS).order_by("search_name", "id")


def directory_search(*, cursor: str | None = None, limit: int = 20, **criteria) -> keyset.Page:
    """One page of the directory after `cursor` (the first without one)."""
    return keyset.page(directory_entries(**criteria), cursor, limit)


def directory_entry(pk) -> Situation:
    try:
        return Situation.objects.filter(PUBLISHED).select_related("professional", "site").only(
            *DIRECTORY_FIELDS).get(pk=pk)
    except (Situation.DoesNotExist, ValueError):
        raise Http404("Fiche introuvable dans l'Annuaire Santé.") from None


def known_holder(number: str) -> str | None:
    """The name of the holder of an RPPS or ADELI number, from the national extract or the portal's own
    RPPS+ registrants (R-RPP-14); None when neither knows it."""
    national = NationalActivity.objects.filter(identifier=number).values_list("first_name", "last_name").first()
    if national is not None:
        return " ".join(part for part in national if part)
    professional = Professional.objects.filter(rpps=number).values_list("first_names", "last_name").first()
    return " ".join(professional) if professional is not None else None


def national_directory_loaded() -> bool:
    return NationalActivity.objects.exists()


def national_entries(*, name: str = "", rpps: str = "", profession: str = "", role: str = "", site: str = ""):
    """The national directory's holders (RPPS, ADELI, from the public extract) matching a name prefix or
    a number (and a site), by name. The extract's professions and roles are other code lists than the
    portal's: a search on them finds no national holder."""
    if profession or role or not (name or rpps):  # a site alone would read the whole table
        return NationalActivity.objects.none()
    holders = NationalActivity.objects.all()
    if rpps:
        holders = holders.filter(identifier=rpps)
    if site:
        holders = holders.filter(site_finess=site)
    if name:
        holders = _name_starts_with(holders, fold(name))
    return holders.order_by("search_name", "id")


# Without a portal account: the professional's own pages.
def pending_signup(pk) -> SignUp | None:
    """A pre-registration still waiting for its codes (None once verified)."""
    return SignUp.objects.filter(pk=pk, situation__isnull=True).first()


def open_challenge(pk) -> ECpsChallenge | None:
    """An e-CPS activation whose codes have not been used yet."""
    return ECpsChallenge.objects.filter(pk=pk, used_at__isnull=True).first()


def ecps_professional(pk, user) -> Professional | None:
    """The professional of an e-CPS session, if that session is still the user's own (R-RPP-15)."""
    return Professional.objects.filter(pk=pk, user_id=getattr(user, "pk", None)).first()


def ecps_card(ecps):
    """The usable card an e-CPE stands for (its holder's card printed with its identifier)."""
    return usable_cards().filter(national_id=ecps.identifier, holder_id=ecps.holder_id).first()


def holder_mobile_of(user) -> str:
    """The mobile a card holder recorded for his e-CPS codes, or ""."""
    return CardHolderMobile.objects.filter(user_id=user.pk).values_list("mobile", flat=True).first() or ""
