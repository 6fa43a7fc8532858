"""Each resource type's read and search: its published rows, its parameters, its includes, one page by
key (esms_portal.core.keyset) and the searchset Bundle.

A page costs a constant number of queries whatever `_count` and the includes: the page's rows (the
site's EJ joined), then one query per kind of included resource, each for the whole page. Practitioner
names are those of the professional's published situations (the name he practises under), read in
the same query as his PractitionerRoles.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Upper
from django.db.models.lookups import GreaterThanOrEqual, LessThan

from contracts.models import Structure, StructureKind
from esms_portal.core import keyset

from ..models import Professional, Situation
from ..models.professional import PUBLISHED
from ..nomenclatures import fold
from ..selectors import _after_prefix
from . import codes, params, resources
from .params import FhirError, UnknownResource

REVINCLUDE_CAP = 500  # PractitionerRoles revincluded by one page of Organizations
CONTROL = ("_count", "_cursor", "_include", "_revinclude", "_format")
ROLE_INCLUDE, ORGANIZATION_INCLUDE = "PractitionerRole:practitioner", "PractitionerRole:organization"


@dataclass
class Entries:
    matches: list = field(default_factory=list)
    included: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _published_roles() -> QuerySet:
    return Situation.objects.filter(PUBLISHED).only(*resources.ROLE_FIELDS)


def _organizations() -> QuerySet:
    return Structure.objects.filter(finess__isnull=False).select_related("legal_entity").only(
        *resources.ORGANIZATION_FIELDS)


def _digits(ids: list[str]) -> list[int]:
    return [int(value) for value in ids if value.isdigit() and len(value) < 19]


def _uuids(ids: list[str]) -> list[uuid.UUID]:
    found = []
    for value in ids:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


def _name_prefix(prefix: str) -> Q:
    """Folded practice names ("NAME FIRSTNAME") starting with `prefix`, an index range (see selectors)."""
    upper = _after_prefix(prefix)
    return Q(search_name__gte=prefix, search_name__lt=upper) if upper else Q(search_name__startswith=prefix)


def _upper_prefix(column: str, value: str) -> Q:
    """`column` starting with `value`, case aside: a range on the index of UPPER(column) (in byte
    order, as the portal's databases collate, the range is exactly the prefix)."""
    prefix = value.upper()
    following = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
    return Q(GreaterThanOrEqual(Upper(column), prefix), LessThan(Upper(column), following))


def _any(conditions) -> Q:
    result = Q(pk__in=[])
    for condition in conditions:
        result |= condition
    return result


def _last_updated(queryset, raw_values: list[str], field: str = "updated_at"):
    for raw in raw_values:
        queryset = queryset.filter(**{f"{field}__{op}": value
                                      for op, value in params.date_bounds("_lastUpdated", raw).items()})
    return queryset


class ResourceType:
    name: str
    default_order: tuple[str, ...]
    parameters: dict[str, tuple[str, str]]  # name: (FHIR type, documentation)
    includes: tuple[str, ...] = ()
    revincludes: tuple[str, ...] = ()

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def filter(self, queryset, name: str, raw: str) -> QuerySet:
        raise NotImplementedError

    def entries(self, rows: list, include: set[str], revinclude: set[str]) -> Entries:
        raise NotImplementedError

    def build(self, criteria: list[tuple[str, str | list[str]]]) -> tuple[QuerySet, tuple[str, ...]]:
        """The rows matching `criteria` ((name, value) pairs; `_lastUpdated` has a list) and their order."""
        queryset = self.queryset()
        for name, raw in criteria:
            queryset = _last_updated(queryset, raw) if name == "_lastUpdated" else self.common(queryset, name, raw)
        order = ("updated_at", "id") if any(name == "_lastUpdated" for name, _raw in criteria) else self.default_order
        return queryset, order

    def common(self, queryset, name: str, raw: str):
        if name == "_id":
            return queryset.filter(pk__in=self.ids(params.strings(name, raw)))
        return self.filter(queryset, name, raw)

    def ids(self, values: list[str]) -> list:
        return _digits(values)

    def read(self, resource_id: str) -> dict:
        ids = self.ids([resource_id])
        row = self.queryset().filter(pk__in=ids).first() if ids else None
        if row is None:
            raise UnknownResource(f"{self.name}/{resource_id} introuvable dans l'Annuaire Santé.")
        return self.entries([row], set(), set()).matches[0]


class PractitionerType(ResourceType):
    name = "Practitioner"
    default_order = ("pk",)
    parameters = {
        "_id": ("token", "L'identifiant technique de la ressource."),
        "_lastUpdated": ("date", "Date de dernière mise à jour (préfixes gt, ge, lt, le, eq)."),
        "identifier": ("token", f"idNatPs ({codes.IDNAT_PS}|8 + RPPS) ou RPPS ({codes.RPPS}|numéro)."),
        "name": ("string", "Début du nom d'exercice, suivi éventuellement du prénom (sans accents ni casse)."),
        "family": ("string", "Début du nom d'exercice (sans accents ni casse)."),
        "given": ("string", "Début du prénom d'exercice (sans casse)."),
        "active": ("token", "true : les professionnels publiés (seuls servis)."),
    }
    revincludes = (ROLE_INCLUDE,)

    def queryset(self):
        published = Situation.objects.filter(PUBLISHED, professional=OuterRef("pk"))
        return Professional.objects.filter(Exists(published), rpps__isnull=False).only(*resources.PRACTITIONER_FIELDS)

    NAMES = ("name", "family", "given")

    def build(self, criteria):
        """A search by name pages over situations, in name order on the directory's index: each
        professional once, at his first published situation (name, id) that matches the names; the
        other criteria are his. Otherwise professionals by id."""
        names = [(name, raw) for name, raw in criteria if name in self.NAMES]
        if not names:
            return super().build(criteria)
        matching, also = Q(), Q()
        for name, raw in names:
            matching &= _names(name, raw)
            also &= _names(name, raw, indexed=False)
        earlier = Situation.objects.filter(PUBLISHED, also, professional_id=OuterRef("professional_id")).filter(
            Q(search_name__lt=OuterRef("search_name")) | Q(search_name=OuterRef("search_name"), id__lt=OuterRef("id")))
        fields = ("id", "search_name", "professional_id",
                  *(f"professional__{name}" for name in resources.PRACTITIONER_FIELDS))
        queryset = Situation.objects.filter(PUBLISHED, matching, ~Exists(earlier), professional__rpps__isnull=False)
        for name, raw in criteria:
            if name == "_lastUpdated":
                queryset = _last_updated(queryset, raw, field="professional__updated_at")
            elif name == "_id":
                queryset = queryset.filter(professional_id__in=self.ids(params.strings(name, raw)))
            elif name == "identifier":
                queryset = queryset.filter(professional__rpps__in=_rpps_of(params.tokens(name, raw)))
            elif name == "active" and not params.boolean(name, raw):
                queryset = queryset.none()
        return queryset.select_related("professional").only(*fields), ("search_name", "id")

    def filter(self, queryset, name, raw):
        if name == "identifier":
            return queryset.filter(rpps__in=_rpps_of(params.tokens(name, raw)))
        if name == "active":
            return queryset if params.boolean(name, raw) else queryset.none()
        raise AssertionError(name)

    def entries(self, rows, include, revinclude):
        rows = [row.professional if isinstance(row, Situation) else row for row in rows]
        roles = defaultdict(list)
        for situation in _published_roles().filter(professional_id__in=[row.pk for row in rows]).order_by(
                "professional_id", "search_name", "id"):
            roles[situation.professional_id].append(situation)
        found = Entries(matches=[resources.practitioner(row, roles[row.pk]) for row in rows])
        if ROLE_INCLUDE in revinclude:
            found.included = [resources.practitioner_role(s) for row in rows for s in roles[row.pk]]
        return found


def _names(name: str, raw: str, *, indexed: bool = True) -> Q:
    """Situations whose practice name matches: `name`/`family` a prefix of the folded "NAME FIRSTNAME",
    `given` of the first name (case aside); values separated by commas are alternatives.

    `indexed`: as index ranges (the page's scan); otherwise as LIKE, which no index of ours serves, for
    the check of a professional's other situations: the planner, misjudging a range's rows, would
    otherwise read the whole range again for each row instead of the professional's few situations."""
    values = params.strings(name, raw)
    if name == "given":
        if indexed:
            return _any(_upper_prefix("practice_first_name", value) for value in values)
        return _any(Q(practice_first_name__istartswith=value) for value in values)
    if indexed:
        return _any(_name_prefix(fold(value)) for value in values)
    return _any(Q(search_name__startswith=fold(value)) for value in values)


def _rpps_of(tokens: list[params.Token]) -> list[str]:
    """The RPPS numbers a Practitioner identifier token names (idNatPs is "8" + RPPS)."""
    found = []
    for token in tokens:
        if token.system in (None, codes.RPPS):
            found.append(token.code)
        if token.system in (None, codes.IDNAT_PS) and token.code.startswith("8"):
            found.append(token.code[1:])
    return found


def _finess_of(tokens: list[params.Token]) -> list[str]:
    """The FINESS numbers an Organization identifier token names (idNatSt is "1" + FINESS)."""
    found = []
    for token in tokens:
        if token.system in (None, codes.FINESS):
            found.append(token.code)
        if token.system in (None, codes.IDNAT_ST) and token.code.startswith("1"):
            found.append(token.code[1:])
    return found


def _role_codes(tokens: list[params.Token], *, profession_only: bool) -> Q:
    conditions = []
    for token in tokens:
        if token.system in (None, codes.R85_PROFESSION):
            conditions.append(Q(profession_code=token.code))
        if profession_only:
            continue
        if token.system in (None, codes.R22_ROLE):
            conditions.append(Q(role_code=token.code))
        if token.system in (None, codes.R23_MODE) and token.code == codes.SALARIED[0]:
            return Q()  # every situation is salaried
    return _any(conditions)


class PractitionerRoleType(ResourceType):
    name = "PractitionerRole"
    default_order = ("search_name", "id")
    parameters = {
        "_id": ("token", "L'identifiant technique de la ressource."),
        "_lastUpdated": ("date", "Date de dernière mise à jour (préfixes gt, ge, lt, le, eq)."),
        "practitioner": ("reference", "Le professionnel (Practitioner/id)."),
        "organization": ("reference", "L'établissement d'exercice (Organization/id)."),
        "role": ("token", "Profession (TRE_R85), genre d'activité (TRE_R22) ou mode d'exercice (TRE_R23)."),
        "specialty": ("token", "Profession (TRE_R85-RolePriseCharge)."),
        "active": ("token", "true : les situations publiées (seules servies)."),
    }
    includes = (ROLE_INCLUDE, ORGANIZATION_INCLUDE)

    def queryset(self):
        return _published_roles()

    def filter(self, queryset, name, raw):
        if name == "practitioner":
            return queryset.filter(professional_id__in=_digits(params.references(name, raw, "Practitioner")))
        if name == "organization":
            return queryset.filter(site_id__in=_uuids(params.references(name, raw, "Organization")))
        if name in ("role", "specialty"):
            return queryset.filter(_role_codes(params.tokens(name, raw), profession_only=name == "specialty"))
        if name == "active":
            return queryset if params.boolean(name, raw) else queryset.none()
        raise AssertionError(name)

    def entries(self, rows, include, revinclude):
        found = Entries(matches=[resources.practitioner_role(row) for row in rows])
        if ROLE_INCLUDE in include:
            professionals = {row.professional_id for row in rows}
            roles, people = defaultdict(list), {}
            situations = _published_roles().filter(professional_id__in=professionals).select_related(
                "professional").only(*resources.ROLE_FIELDS, *(f"professional__{name}" for name in
                                                               resources.PRACTITIONER_FIELDS))
            for situation in situations.order_by("professional_id", "search_name", "id"):
                roles[situation.professional_id].append(situation)
                people[situation.professional_id] = situation.professional
            found.included += [resources.practitioner(people[pk], roles[pk]) for pk in sorted(people)]
        if ORGANIZATION_INCLUDE in include:
            sites = _organizations().filter(pk__in={row.site_id for row in rows}).order_by("finess")
            found.included += [resources.organization(site) for site in sites]
        return found


class OrganizationType(ResourceType):
    name = "Organization"
    default_order = ("finess",)
    parameters = {
        "_id": ("token", "L'identifiant technique de la ressource."),
        "_lastUpdated": ("date", "Date de dernière mise à jour (préfixes gt, ge, lt, le, eq)."),
        "identifier": ("token", f"idNatSt ({codes.IDNAT_ST}|1 + FINESS) ou FINESS ({codes.FINESS}|numéro)."),
        "name": ("string", "Début de la raison sociale (sans casse)."),
        "active": ("token", "true : structures ouvertes ; false : fermées."),
        "partof": ("reference", "Les établissements d'une entité juridique (Organization/id)."),
        "type": ("token", f"LEGAL-ENTITY ou GEOGRAPHICAL-ENTITY ({codes.ORGANIZATION_TYPE}), "
                          "ou catégorie FINESS (TRE_R66)."),
    }
    includes = ("Organization:partof",)
    revincludes = (ORGANIZATION_INCLUDE,)

    def queryset(self):
        return _organizations()

    def ids(self, values):
        return _uuids(values)

    def filter(self, queryset, name, raw):
        if name == "identifier":
            return queryset.filter(finess__in=_finess_of(params.tokens(name, raw)))
        if name == "name":
            return queryset.filter(_any(_upper_prefix("name", value) for value in params.strings(name, raw)))
        if name == "active":
            return queryset.filter(is_open=params.boolean(name, raw))
        if name == "partof":
            parents = _uuids(params.references(name, raw, "Organization"))
            return queryset.filter(legal_entity_id__in=parents, kind=StructureKind.EG)
        if name == "type":
            return queryset.filter(_any(_organization_type(token) for token in params.tokens(name, raw)))
        raise AssertionError(name)

    def entries(self, rows, include, revinclude):
        found = Entries(matches=[resources.organization(row) for row in rows])
        if "Organization:partof" in include:
            page = {row.pk for row in rows}
            parents = {row.legal_entity_id for row in rows if row.legal_entity_id != row.pk} - page
            found.included += [resources.organization(parent)
                               for parent in _organizations().filter(pk__in=parents).order_by("finess")]
        if ORGANIZATION_INCLUDE in revinclude:
            roles = list(_published_roles().filter(site_id__in=[row.pk for row in rows]).order_by(
                "site_id", "search_name", "id")[:REVINCLUDE_CAP + 1])
            if len(roles) > REVINCLUDE_CAP:
                roles = roles[:REVINCLUDE_CAP]
                found.warnings.append(f"Seules les {REVINCLUDE_CAP} premières situations d'exercice des "
                                      "structures de cette page sont incluses : réduisez _count.")
            found.included += [resources.practitioner_role(role) for role in roles]
        return found


def _organization_type(token: params.Token) -> Q:
    kinds = {"LEGAL-ENTITY": StructureKind.EJ, "GEOGRAPHICAL-ENTITY": StructureKind.EG}
    condition = Q(pk__in=[])
    if token.system in (None, codes.ORGANIZATION_TYPE) and token.code in kinds:
        condition |= Q(kind=kinds[token.code])
    if token.system in (None, codes.R66_CATEGORY):
        condition |= Q(category_code=token.code)
    return condition


TYPES = {kind.name: kind for kind in (PractitionerType(), PractitionerRoleType(), OrganizationType())}


def resource_type(name: str) -> ResourceType:
    try:
        return TYPES[name]
    except KeyError:
        raise UnknownResource(f"Type de ressource non servi : {name}.") from None


def search(kind: ResourceType, query, base_url: str) -> dict:
    """The searchset Bundle of one page of `kind` matching `query` (a QueryDict)."""
    include, revinclude = _includes(kind, query)
    size = params.count(_single(query, "_count"))
    criteria = []
    for name in query:
        if name in CONTROL:
            continue
        if ":" in name:
            raise FhirError(f"Modificateur non pris en charge : « {name} ».", code="not-supported")
        if name not in kind.parameters:
            raise FhirError(f"Paramètre de recherche inconnu pour {kind.name} : « {name} ».",
                            code="not-supported")
        criteria.append((name, query.getlist(name) if name == "_lastUpdated" else _single(query, name)))
    queryset, order = kind.build(criteria)
    try:
        page = keyset.page(queryset.order_by(*order), _single(query, "_cursor") or None, size)
    except (keyset.InvalidCursor, ValidationError, ValueError, TypeError):
        raise FhirError("Paramètre « _cursor » : lien de page invalide ou périmé.") from None
    found = kind.entries(page.rows, include, revinclude)
    return _bundle(kind, query, base_url, page, found)


def _single(query, name: str) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        raise FhirError(f"Paramètre « {name} » répété : séparez les valeurs par des virgules.")
    return values[0] if values else None


def _includes(kind: ResourceType, query) -> tuple[set[str], set[str]]:
    found = []
    for name, allowed in (("_include", kind.includes), ("_revinclude", kind.revincludes)):
        values = set(query.getlist(name))
        unknown = values - set(allowed)
        if unknown:
            raise FhirError(f"« {name}={sorted(unknown)[0]} » non pris en charge pour {kind.name} "
                            f"(possible : {', '.join(allowed) or 'aucun'}).", code="not-supported")
        found.append(values)
    return found[0], found[1]


def _link(base_url: str, query, cursor: str | None = None) -> str:
    pairs = [(name, value) for name in query if name != "_cursor" for value in query.getlist(name)]
    if cursor:
        pairs.append(("_cursor", cursor))
    return f"{base_url}?{urlencode(pairs)}" if pairs else base_url


def _entry(base: str, resource: dict, mode: str) -> dict:
    return {"fullUrl": f"{base}{resource['resourceType']}/{resource['id']}", "resource": resource,
            "search": {"mode": mode}}


def _bundle(kind: ResourceType, query, base_url: str, page: keyset.Page, found: Entries) -> dict:
    root = base_url[: -len(kind.name)]
    links = [{"relation": "self", "url": _link(base_url, query, query.get("_cursor"))}]
    if page.next:
        links.append({"relation": "next", "url": _link(base_url, query, page.next)})
    if page.previous:
        links.append({"relation": "previous", "url": _link(base_url, query, page.previous)})
    entries = [_entry(root, resource, "match") for resource in found.matches]
    seen = {(resource["resourceType"], resource["id"]) for resource in found.matches}
    for resource in found.included:
        key = (resource["resourceType"], resource["id"])
        if key not in seen:
            seen.add(key)
            entries.append(_entry(root, resource, "include"))
    for warning in found.warnings:
        entries.append({"resource": operation_outcome(warning, code="too-costly", severity="warning"),
                        "search": {"mode": "outcome"}})
    bundle = {"resourceType": "Bundle", "type": "searchset", "link": links}
    if entries:  # FHIR JSON has no empty arrays
        bundle["entry"] = entries
    return bundle


def operation_outcome(diagnostics: str, *, code: str = "invalid", severity: str = "error") -> dict:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}]}
