"""A row to a FHIR resource (a dict, serialised as is): only what the Annuaire Santé publishes.

Never contact data (email, mobile, a person's address or telecom) nor birth data (date, place), and
nothing of a professional without a published situation (R-RPP-8, R-RPP-11): the querysets of
`search` load only the fields listed here (`PRACTITIONER_FIELDS`...), so that nothing else can leak.
"""

from contracts.models import StructureKind

from ..nomenclatures import PROFESSIONS, ROLES
from . import codes

PRACTITIONER_FIELDS = ("id", "rpps", "updated_at")
ROLE_FIELDS = ("id", "professional_id", "site_id", "practice_last_name", "practice_first_name", "search_name",
               "profession_code", "profession_other", "role_code", "updated_at")
ORGANIZATION_FIELDS = ("id", "kind", "finess", "name", "address", "postal_code", "city", "category_code",
                       "category_label", "is_open", "updated_at", "legal_entity_id", "legal_entity__id",
                       "legal_entity__finess")


def _meta(resource_type: str, updated_at) -> dict:
    return {"lastUpdated": updated_at.isoformat(), "profile": [codes.PROFILES[resource_type]]}


def _identifier(system: str, value: str, type_code: str) -> dict:
    return {"use": "official", "system": system, "value": value,
            "type": {"coding": [{"system": codes.IDENTIFIER_TYPE, "code": type_code}]}}


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": system, "code": code, "display": display}


def practitioner(professional, situations) -> dict:
    """A professional with at least one published situation; `situations` are those (its names)."""
    names, seen = [], set()
    for situation in situations:
        key = (situation.practice_last_name, situation.practice_first_name)
        if key not in seen:
            seen.add(key)
            names.append({"use": "usual", "family": situation.practice_last_name,
                          "given": [situation.practice_first_name]})
    return {
        "resourceType": "Practitioner",
        "id": str(professional.pk),
        "meta": _meta("Practitioner", professional.updated_at),
        "language": "fr",
        "identifier": [
            _identifier(codes.IDNAT_PS, f"8{professional.rpps}", "IDNPS"),
            _identifier(codes.RPPS, professional.rpps, "RPPS"),
        ],
        "active": True,
        "name": names,
    }


def _profession(situation) -> dict:
    if situation.profession_code:
        label = PROFESSIONS.get(situation.profession_code, situation.profession_code)
        return _coding(codes.R85_PROFESSION, situation.profession_code, label)
    return {}


def practitioner_role(situation) -> dict:
    """A published exercise situation: who, where, the profession (TRE_R85) and the role (TRE_R22)."""
    profession = _profession(situation)
    code = [profession] if profession else []
    code += [_coding(codes.R22_ROLE, situation.role_code, ROLES.get(situation.role_code, situation.role_code)),
             _coding(codes.R23_MODE, *codes.SALARIED)]
    resource = {
        "resourceType": "PractitionerRole",
        "id": str(situation.pk),
        "meta": _meta("PractitionerRole", situation.updated_at),
        "language": "fr",
        "active": True,
        "practitioner": {"reference": f"Practitioner/{situation.professional_id}"},
        "organization": {"reference": f"Organization/{situation.site_id}"},
        "code": [{"coding": code}],
    }
    if profession:
        resource["specialty"] = [{"coding": [profession]}]
    elif situation.profession_other:
        resource["code"][0]["text"] = situation.profession_other
    return resource


def organization(structure) -> dict:
    """A FINESS structure: an EJ (LEGAL-ENTITY) or a site (GEOGRAPHICAL-ENTITY, partOf its EJ)."""
    legal = structure.kind == StructureKind.EJ
    types = [{"coding": [{"system": codes.ORGANIZATION_TYPE,
                          "code": "LEGAL-ENTITY" if legal else "GEOGRAPHICAL-ENTITY"}]}]
    if structure.category_code:
        types.append({"coding": [_coding(codes.R66_CATEGORY, structure.category_code,
                                         structure.category_label or structure.category_code)]})
    resource = {
        "resourceType": "Organization",
        "id": str(structure.pk),
        "meta": _meta("Organization", structure.updated_at),
        "language": "fr",
        "identifier": [
            _identifier(codes.IDNAT_ST, f"1{structure.finess}", "IDNST"),
            _identifier(codes.FINESS, structure.finess, "FINEJ" if legal else "FINEG"),
        ],
        "active": structure.is_open,
        "type": types,
        "name": structure.name,
    }
    address = {key: value for key, value in (("postalCode", structure.postal_code), ("city", structure.city))
               if value}
    if structure.address:
        address["line"] = [structure.address]
    if address:
        resource["address"] = [{"use": "work", "type": "both", **address, "country": "FR"}]
    parent = structure.legal_entity
    if structure.legal_entity_id != structure.pk and parent.finess:
        resource["partOf"] = {"reference": f"Organization/{parent.pk}"}
    return resource
