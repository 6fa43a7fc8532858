"""How a form names one of the organisation's structures (R-FIN-3, R-FIN-5). 000: « Renseigner le
FINESS géographique (sauf pour les structures ne prenant pas en charge d'usagers) ou n° SIRET »: an
organisation that takes patients or residents names one of its FINESS géographiques; one that takes
none may give a SIRET, its own (its record's SIRET, or one of the same SIREN), never any number
whose key happens to be valid."""

from esms_portal.core.errors import InvalidInput
from esms_portal.core.identifiers import compact, finess_is_valid, siret_is_valid

from ..models import Structure, StructureKind

FINESS, SIRET = "finess", "siret"


def structure_identifier(organisation: Structure, *, kind: str, number: str) -> str:
    """The FINESS géographique or SIRET `number` cleaned, if it names a structure of `organisation` (an EJ)."""
    number = compact(number or "").upper()
    structures = Structure.objects.filter(legal_entity=organisation)
    if kind == FINESS:
        if not finess_is_valid(number) or number not in _finess_geographiques(structures):
            raise InvalidInput("Indiquez le FINESS géographique d'un établissement de l'organisation.",
                               code="structure_id_invalid", details={"rule": "R-CER-3"})
    elif kind == SIRET:
        _check_siret(structures, number)
    else:
        raise InvalidInput("Choisissez FINESS géographique ou SIRET.", code="structure_id_invalid")
    return number


def _finess_geographiques(structures) -> set[str]:
    """The sites' FINESS; the EJ's own for an organisation with no site of its own in FINESS."""
    numbers = dict(structures.exclude(finess=None).values_list("finess", "kind"))
    sites = {number for number, kind in numbers.items() if kind == StructureKind.EG}
    return sites or set(numbers)


def _check_siret(structures, number: str) -> None:
    if structures.filter(gives_care=True).exists():
        raise InvalidInput(
            "Votre organisation prend en charge des patients ou des usagers : indiquez le FINESS géographique "
            "de l'établissement, pas un SIRET.", code="siret_not_allowed", details={"rule": "R-FIN-5"},
        )
    if not siret_is_valid(number):
        raise InvalidInput("Numéro SIRET invalide (14 chiffres, clé de Luhn).", code="structure_id_invalid",
                           details={"rule": "R-FIN-3"})
    own = set(structures.exclude(siret="").values_list("siret", flat=True))
    if number not in own and number[:9] not in {siret[:9] for siret in own}:
        raise InvalidInput(
            "Ce SIRET n'est pas celui de votre organisation : indiquez le SIRET de votre structure.",
            code="siret_not_own", details={"rule": "R-FIN-3"},
        )
