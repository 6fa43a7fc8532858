"""The French regions by their INSEE code (regions of 2016), as agents read them."""

REGION_NAMES = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}


def region_name(code: str) -> str:
    """The region's name; an unknown code as it is, so that nothing is hidden."""
    return REGION_NAMES.get(code, code)


def region_choices(empty_label: str) -> list[tuple[str, str]]:
    return [("", empty_label), *sorted(REGION_NAMES.items(), key=lambda item: item[1])]
