"""Département, commune and region codes: from FINESS to INSEE codes (REFERENCE.md section 2)."""

# The extract's `departement` column is not an INSEE code overseas [V on real lines].
# 9E (Saint-Pierre-et-Miquelon) is inferred [I].
OVERSEAS_DEPARTEMENTS = {
    "9A": "971",  # Guadeloupe (with Saint-Barthélemy and Saint-Martin)
    "9B": "972",  # Martinique
    "9C": "973",  # Guyane
    "9D": "974",  # La Réunion
    "9E": "975",  # Saint-Pierre-et-Miquelon
    "9F": "976",  # Mayotte
    "9J": "986",  # Wallis-et-Futuna
}

# Overseas FINESS numbers start with 97/98 and a 4th digit that tells the territory [I].
OVERSEAS_NUMBER_PREFIXES = {
    "9701": "971", "9702": "972", "9703": "973", "9704": "974", "9705": "975",
    "9805": "976", "9806": "986",
}

# INSEE region codes (regions of 2016) and their départements. Saint-Pierre-et-Miquelon and
# Wallis-et-Futuna are overseas collectivities that belong to no region.
_DEPARTEMENTS_BY_REGION = {
    "01": "971", "02": "972", "03": "973", "04": "974", "06": "976",
    "11": "75 77 78 91 92 93 94 95",
    "24": "18 28 36 37 41 45",
    "27": "21 25 39 58 70 71 89 90",
    "28": "14 27 50 61 76",
    "32": "02 59 60 62 80",
    "44": "08 10 51 52 54 55 57 67 68 88",
    "52": "44 49 53 72 85",
    "53": "22 29 35 56",
    "75": "16 17 19 23 24 33 40 47 64 79 86 87",
    "76": "09 11 12 30 31 32 34 46 48 65 66 81 82",
    "84": "01 03 07 15 26 38 42 43 63 69 73 74",
    "93": "04 05 06 13 83 84",
    "94": "2A 2B",
}
REGION_OF_DEPARTEMENT = {
    departement: region
    for region, departements in _DEPARTEMENTS_BY_REGION.items()
    for departement in departements.split()
}


def insee_departement(finess_code: str) -> str:
    """INSEE code of a département given as in the extract (`01`, `2A`, `9C`...)."""
    return OVERSEAS_DEPARTEMENTS.get(finess_code, finess_code)


def insee_commune(finess_departement: str, commune: str) -> str:
    """INSEE commune code: département + the 3-character commune code; overseas `97`/`98` +
    commune (9C + 302 = 97302 Cayenne): the overseas commune code carries the territory digit."""
    if len(commune) != 3 or not commune.isalnum() or not finess_departement:
        return ""
    if finess_departement in OVERSEAS_DEPARTEMENTS:
        return OVERSEAS_DEPARTEMENTS[finess_departement][:2] + commune
    return finess_departement + commune if len(finess_departement) == 2 else ""


def region_of(departement: str) -> str:
    return REGION_OF_DEPARTEMENT.get(departement, "")


def departement_of_number(finess: str) -> str:
    """The département of registration read from a FINESS number (characters 1-2, or 1-4 overseas);
    empty for numbers that carry none, such as the ANS test series 0B."""
    if finess[:2] in ("97", "98"):
        return OVERSEAS_NUMBER_PREFIXES.get(finess[:4], "")
    return finess[:2] if finess[:2] in REGION_OF_DEPARTEMENT else ""
