"""ANS nomenclatures of RPPS+: codes are stored, labels shown (shared/domain/REFERENCE.md section 8).

The ANS publishes them as data (NOS): their codes and labels are `nomenclatures.json`, as published;
what the portal decides about them (who registers which profession, the labels people type) is here.

- Roles: TRE_R22-GenreActivite, value set JDV_J116-GenreActivite-ENREG without GENR01 (health
  professionals are not registered through RPPS+): exactly the seven roles of a professional à rôle
  (R-RPP-7) of NOMENCLATURES.md; a coordinator gets GENR08.
- Professions: TRE_R85-RolePriseCharge, value set JDV_J121-RolePriseCharge-ENREG: every code an
  agent may settle an analysis on.
"""

import json
import unicodedata
from pathlib import Path

_NOS = json.loads(Path(__file__).with_name("nomenclatures.json").read_text(encoding="utf-8"))
# The FHIR system of each code list (the NOS's own URLs, as the FHIR directory writes them).
SYSTEMS: dict[str, str] = {name: entry["system"] for name, entry in _NOS.items()}
ROLES: dict[str, str] = _NOS["TRE_R22-GenreActivite"]["codes"]
ROLE_CHOICES = list(ROLES.items())
# The NOS writes capitals without their accents ("Educateur", "Etudiant"); French shows them.
_CAPITALS = {"Educateur": "Éducateur", "Etudiant": "Étudiant"}


def _accented(label: str) -> str:
    first, _, rest = label.partition(" ")
    return f"{_CAPITALS.get(first, first)} {rest}".strip()


PROFESSIONS: dict[str, str] = {code: _accented(label)
                               for code, label in _NOS["TRE_R85-RolePriseCharge"]["codes"].items()}

# The professions a gestionnaire registers directly (R-RPP-7): the FAQ list (file 001) and the
# webinar's additions (file 002), mapped as REFERENCE.md section 8 says. "Aide médico-psychologique"
# has no J121 code (merged into 328 AES) and "Auxiliaire de vie scolaire" none either (345).
ELIGIBLE_PROFESSIONS: tuple[str, ...] = (
    "328", "313", "314", "322", "332", "315", "345", "320", "329", "325", "326", "327", "335",
    "307", "321", "324", "333", "319", "330", "317", "331",
)
# The professions of the FAQ (file 001), in its words, each with the J121 code it is stored under:
# people choose them by these names (form, API, collection template) and are registered directly.
FAQ_PROFESSIONS: dict[str, str] = {
    "Accompagnant éducatif et social": "328",
    "Aide médico-psychologique (AMP)": "328",
    "Aide-soignant": "313",
    "Ambulancier": "314",
    "Assistant familial": "322",
    "Assistant médical": "332",
    "Auxiliaire de puériculture": "315",
    "Auxiliaire de vie scolaire": "345",
    "Conseiller en économie sociale et familiale": "320",
    "Conseiller en génétique": "329",
    "Éducateur de jeunes enfants": "325",
    "Éducateur spécialisé": "326",
    "Éducateur technique spécialisé": "327",
    "Gestionnaire alerte et urgences sanitaires": "335",
    "Mandataire judiciaire à la protection des majeurs": "307",
    "Médiateur familial": "321",
    "Moniteur éducateur": "324",
    "Responsable de secteur": "333",
    "Technicien de l'intervention sociale et familiale": "319",
}
# Anything else (another J121 code, or a profession typed in free text) is analysed by the ANS
# back office before registration (NOMENCLATURES.md: "not refused silently").
OTHER_PROFESSION = "autre"

# Labels people type in the collection template that are not the J121 wording.
_ALIASES = {
    "aide medico-psychologique": "328",
    "aide medico psychologique": "328",
    "amp": "328",
    "aes": "328",
    "auxiliaire de vie scolaire": "345",
    "avs": "345",
    "coordinateur": "330",
    "coordonnateur": "330",
    "secretaire medical": "331",
    "secretaire medicale": "331",
    "mjpm": "307",
    "mandataire judiciaire a la protection des majeurs": "307",
    "tisf": "319",
    "cesf": "320",
    "educateur de jeunes enfants": "325",
    "gestionnaire alerte et urgences sanitaires": "335",
}


def fold(text: str) -> str:
    """Upper-case ASCII, single spaces: the form names and labels are compared in."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(ascii_text.replace("-", " ").replace("'", " ").upper().split())


_BY_LABEL = {fold(label): code for code, label in PROFESSIONS.items()}
_BY_LABEL.update({fold(alias): code for alias, code in _ALIASES.items()})
_BY_LABEL.update({fold(name): code for name, code in FAQ_PROFESSIONS.items()})
_ROLE_BY_LABEL = {fold(label): code for code, label in ROLES.items()}


def profession_label(code: str) -> str:
    return PROFESSIONS.get(code, code)


def is_eligible(code: str) -> bool:
    return code in ELIGIBLE_PROFESSIONS


def registrable_profession_names() -> list[str]:
    """The names a gestionnaire chooses from: the FAQ's, then the J121 label of every other code
    registered directly (the webinar's additions), in alphabetical order."""
    named = set(FAQ_PROFESSIONS.values())
    names = [*FAQ_PROFESSIONS, *(PROFESSIONS[code] for code in ELIGIBLE_PROFESSIONS if code not in named)]
    return sorted(names, key=fold)


def profession_code(value: str) -> str | None:
    """A J121 code from a code, a J121 label, a FAQ name or a usual alias (form, API, collection
    template), None when unknown."""
    value = (value or "").strip()
    if value in PROFESSIONS:
        return value
    return _BY_LABEL.get(fold(value.replace("’", "'")))  # the FAQ's typographic apostrophe


def role_code(value: str) -> str | None:
    """A role code from its code (GENR10), its label or its rank 1-7 in NOMENCLATURES.md."""
    value = (value or "").strip()
    if value.upper() in ROLES:
        return value.upper()
    if value.isdigit() and 1 <= int(value) <= len(ROLES):
        return list(ROLES)[int(value) - 1]
    return _ROLE_BY_LABEL.get(fold(value))
