"""The layout of the national public extract `PS_LibreAcces_Personne_activite` (Annuaire Santé).

Source of the header and column order: shared/domain/REFERENCE.md section 4, "Public extract
(RPPS/ADELI)" (56 columns, as three independent parsers of the published file quote it, one dated
October 2026); a third-party test found by the code search ("medaccess" `rpps` tests, header of
`PS_LibreAcces_Personne_activite_202609230000.txt`) quotes the same 56 columns in the same order with
slightly different labels (« Code fonction », « Code genre d'activité »): so the import reads the
columns by position and checks the width, not the labels.

One line per person and exercise situation, `|` separated, a header line, every line ends with `|`.
"""

SEPARATOR = "|"
FILE_NAME = "PS_LibreAcces_Personne_activite.txt"

HEADER: tuple[str, ...] = (
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP",
    "Code civilité d'exercice", "Libellé civilité d'exercice", "Code civilité", "Libellé civilité",
    "Nom d'exercice", "Prénom d'exercice", "Code profession", "Libellé profession",
    "Code catégorie professionnelle", "Libellé catégorie professionnelle",
    "Code type savoir-faire", "Libellé type savoir-faire", "Code savoir-faire", "Libellé savoir-faire",
    "Code mode exercice", "Libellé mode exercice", "Numéro SIRET site", "Numéro SIREN site",
    "Numéro FINESS site", "Numéro FINESS établissement juridique", "Identifiant technique de la structure",
    "Raison sociale site", "Enseigne commerciale site", "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)", "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)", "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)", "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)", "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)", "Code commune (coord. structure)", "Libellé commune (coord. structure)",
    "Code pays (coord. structure)", "Libellé pays (coord. structure)", "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)", "Télécopie (coord. structure)", "Adresse e-mail (coord. structure)",
    "Code Département (structure)", "Libellé Département (structure)", "Ancien identifiant de la structure",
    "Autorité d'enregistrement", "Code secteur d'activité", "Libellé secteur d'activité",
    "Code section tableau pharmaciens", "Libellé section tableau pharmaciens",
    "Code rôle", "Libellé rôle", "Code genre activité", "Libellé genre activité",
)
WIDTH = len(HEADER)  # 56

# The columns the portal knows and fills, and the field of `NationalActivity` each one is kept in.
# The others stay empty on the way out and are not kept on the way in: civilité d'exercice (Dr, Pr),
# savoir-faire, SIREN, technical and former structure ids, trade name, the address split into number,
# type and name of the way (the portal keeps one address line: in « Libellé Voie »), cedex, country,
# second phone, fax, the structure's e-mail, département label, registration authority, sector,
# pharmacists' section, genre d'activité. No contact data of the person exists in this layout.
STORED: dict[str, str] = {
    "Type d'identifiant PP": "id_type",
    "Identifiant PP": "identifier",
    "Identification nationale PP": "national_id",
    "Code civilité": "civility_code",
    "Libellé civilité": "civility_label",
    "Nom d'exercice": "last_name",
    "Prénom d'exercice": "first_name",
    "Code profession": "profession_code",
    "Libellé profession": "profession_label",
    "Code catégorie professionnelle": "category_code",
    "Libellé catégorie professionnelle": "category_label",
    "Code mode exercice": "mode_code",
    "Libellé mode exercice": "mode_label",
    "Numéro SIRET site": "site_siret",
    "Numéro FINESS site": "site_finess",
    "Numéro FINESS établissement juridique": "legal_entity_finess",
    "Raison sociale site": "site_name",
    "Libellé Voie (coord. structure)": "address",
    "Code postal (coord. structure)": "postal_code",
    "Code commune (coord. structure)": "commune_code",
    "Libellé commune (coord. structure)": "city",
    "Téléphone (coord. structure)": "site_phone",
    "Code Département (structure)": "departement",
    "Code rôle": "role_code",
    "Libellé rôle": "role_label",
}
STORED_FIELDS: tuple[str, ...] = tuple(STORED.values())


STORED_POSITIONS: tuple[int, ...] = tuple(HEADER.index(label) for label in STORED)


def header_line() -> str:
    return SEPARATOR.join(HEADER) + SEPARATOR + "\n"


def clean(value) -> str:
    """A value as one field: no separator, no line break (the layout has no quoting)."""
    text = "" if value is None else str(value)
    return " ".join(text.replace(SEPARATOR, " ").split())


def line(values: dict[str, str]) -> str:
    """One line of the layout from the stored fields' values (the other columns empty)."""
    cells = [""] * WIDTH
    for position, field in zip(STORED_POSITIONS, STORED_FIELDS, strict=True):
        cells[position] = clean(values.get(field, ""))
    return SEPARATOR.join(cells) + SEPARATOR + "\n"


def split(text: str) -> list[str] | None:
    """The cells of a line without its end; None when it does not have the layout's width (the
    trailing `|` of the national files adds one empty cell, which is dropped)."""
    cells = text.rstrip("\r\n").split(SEPARATOR)
    if len(cells) == WIDTH + 1 and cells[-1] == "":
        cells.pop()
    return cells if len(cells) == WIDTH else None
