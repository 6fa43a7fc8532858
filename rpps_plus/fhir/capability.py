"""The CapabilityStatement of `/fhir/metadata`, read from the resource types of `search`."""

from . import codes, search

SEARCH_PARAMETER_DEFINITIONS = "http://hl7.org/fhir/SearchParameter/"
_COMMON = {"_id": "Resource-id", "_lastUpdated": "Resource-lastUpdated", "family": "individual-family",
           "given": "individual-given"}


def _definition(kind: str, name: str) -> str:
    return SEARCH_PARAMETER_DEFINITIONS + (_COMMON.get(name) or f"{kind}-{name}")


def statement(base_url: str, published: str) -> dict:
    resources = []
    for kind in search.TYPES.values():
        resources.append({
            "type": kind.name,
            "profile": codes.PROFILES[kind.name],
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "versioning": "no-version",
            "readHistory": False,
            **({"searchInclude": list(kind.includes)} if kind.includes else {}),
            **({"searchRevInclude": list(kind.revincludes)} if kind.revincludes else {}),
            "searchParam": [{"name": name, "type": kind_of, "definition": _definition(kind.name, name),
                             "documentation": documentation}
                            for name, (kind_of, documentation) in kind.parameters.items()],
        })
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": published,
        "publisher": "Portail d'accompagnement ESMS",
        "kind": "instance",
        "software": {"name": "Portail ESMS — Annuaire Santé FHIR"},
        "implementation": {"description": "Annuaire Santé : données publiques des professionnels à rôle "
                                          "(RPPS+) et des structures FINESS, en lecture seule.",
                           "url": base_url},
        "fhirVersion": codes.FHIR_VERSION,
        "format": [codes.MEDIA_TYPE, "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Lecture et recherche anonymes, limitées en débit comme l'API de l'annuaire. "
                             "Les pages se suivent par le lien « next » (pagination par clé, sans total).",
            "resource": resources,
        }],
    }
