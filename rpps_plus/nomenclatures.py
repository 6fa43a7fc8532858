"""ANS nomenclatures of RPPS+: codes are stored, labels shown (shared/domain/REFERENCE.md section 8).

- Roles: TRE_R22-GenreActivite, value set JDV_J116-GenreActivite-ENREG without GENR01 (health
  professionals are not registered through RPPS+): exactly the seven roles of NOMENCLATURES.md.
- Professions: TRE_R85-RolePriseCharge, value set JDV_J121-RolePriseCharge-ENREG.
"""

import unicodedata

from django.db import models

ROLE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R22-GenreActivite/FHIR/TRE-R22-GenreActivite"
PROFESSION_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R85-RolePriseCharge/FHIR/TRE-R85-RolePriseCharge"


class Role(models.TextChoices):
    """The 7 roles of a professional à rôle (R-RPP-7); a coordinator gets GENR08."""

    COORDINATION = "GENR08", "Coordination et orientation"
    ADMINISTRATIVE = "GENR09", "Administratif ou appui à l'organisation de l'accompagnement social/médico-social"
    SOCIAL_LIFE = "GENR10", "Accompagnement social/médico-social à la vie sociale, professionnelle, éducative"
    CARE = "GENR11", "Accompagnement social/médico-social au soin"
    MANAGEMENT = "GENR12", "Encadrement et organisation de l'accompagnement social/médico-social"
    MEDICO_ADMINISTRATIVE = "GENR13", "Médico-administratif"
    OTHER = "GENR99", "Autre activité"


# JDV_J121-RolePriseCharge-ENREG (2026-05-05): every code an agent may settle an analysis on.
PROFESSIONS: dict[str, str] = {
    "307": "Mandataire judiciaire à la protection des majeurs (MJPM)",
    "312": "Autre professionnel",
    "313": "Aide-soignant",
    "314": "Ambulancier",
    "315": "Auxiliaire de puériculture",
    "316": "Préparateur en pharmacie hospitalière",
    "317": "Préparateur en pharmacie",
    "319": "Technicien de l'intervention sociale et familiale",
    "320": "Conseiller en économie sociale et familiale",
    "321": "Médiateur familial",
    "322": "Assistant familial",
    "324": "Moniteur éducateur",
    "325": "Educateur de jeunes enfants",
    "326": "Educateur spécialisé",
    "327": "Educateur technique spécialisé",
    "328": "Accompagnant éducatif et social",
    "329": "Conseiller en génétique",
    "330": "Coordonnateur de parcours",
    "331": "Secrétaire assistante médico-administrative",
    "332": "Assistant médical",
    "333": "Responsable de secteur",
    "334": "Biologiste médical ni médecin ni pharmacien",
    "335": "Gestionnaire alertes et urgences sanitaires",
    "336": "Autre professionnel intervenant dans l'accueil et l'orientation des personnes",
    "337": "Autre professionnel intervenant dans la logistique",
    "338": "Autre professionnel intervenant dans l'hôtellerie et la restauration",
    "339": "Autre professionnel intervenant dans la direction de la qualité, hygiène, sécurité et environnement",
    "340": "Autre professionnel intervenant dans la direction des systèmes d'information",
    "341": "Autre professionnel intervenant dans la direction des finances et comptabilité",
    "342": "Autre professionnel intervenant dans la direction de la communication",
    "343": "Autre professionnel intervenant dans la direction des ressources humaines",
    "344": "Autre professionnel intervenant dans la direction des affaires médicales",
    "345": "Autre professionnel intervenant dans le social, éducatif, psychologie et culturel",
    "347": "Etudiant aide-soignant",
    "348": "Etudiant auxiliaire de puériculture",
    "349": "Etudiant masseur-kinésithérapeute",
    "354": "Externe en médecine",
    "355": "Externe en odontologie",
    "356": "Externe en maïeutique",
    "357": "Externe en pharmacie",
    "358": "Autre étudiant",
    "359": "Directeur d'établissement",
    "360": "Brancardier",
    "361": "Educateur en activité physique adaptée",
    "362": "Technicien d'informations médicales",
    "363": "Attaché de recherche clinique",
    "364": "PADHUE",
    "365": "Gestionnaire admissions / frais de séjour / traitement externe",
    "366": "Archiviste",
    "367": "Surveillant de nuit",
    "368": "Animateur",
    "370": "Opérateur de Soins Non Programmés",
    "371": "Aide à domicile qualifié(e)",
    "372": "Aide à domicile",
    "374": "Agent d'autorité d'enregistrement",
    "375": "Conseiller conjugal et familial",
    "376": "PADHUE médecin",
    "377": "PADHUE pharmacien",
    "378": "PADHUE sage-femme",
    "379": "PADHUE chirurgien-dentiste",
}

# The professions a gestionnaire registers directly (R-RPP-7): the FAQ list (file 001) and the
# webinar's additions (file 002), mapped as REFERENCE.md section 8 says. "Aide médico-psychologique"
# has no J121 code (merged into 328 AES) and "Auxiliaire de vie scolaire" none either (345).
ELIGIBLE_PROFESSIONS: tuple[str, ...] = (
    "328", "313", "314", "322", "332", "315", "345", "320", "329", "325", "326", "327", "335",
    "307", "321", "324", "333", "319", "330", "317", "331",
)
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
_ROLE_BY_LABEL = {fold(label): code for code, label in Role.choices}


def profession_label(code: str) -> str:
    return PROFESSIONS.get(code, code)


def is_eligible(code: str) -> bool:
    return code in ELIGIBLE_PROFESSIONS


def eligible_profession_choices() -> list[tuple[str, str]]:
    return sorted(((code, PROFESSIONS[code]) for code in ELIGIBLE_PROFESSIONS), key=lambda choice: fold(choice[1]))


def profession_code(value: str) -> str | None:
    """A J121 code from a code or a label (collection template), None when unknown."""
    value = (value or "").strip()
    if value in PROFESSIONS:
        return value
    return _BY_LABEL.get(fold(value))


def role_code(value: str) -> str | None:
    """A role code from its code (GENR10), its label or its rank 1-7 in NOMENCLATURES.md."""
    value = (value or "").strip()
    if value.upper() in Role.values:
        return value.upper()
    if value.isdigit() and 1 <= int(value) <= len(Role.values):
        return Role.values[int(value) - 1]
    return _ROLE_BY_LABEL.get(fold(value))
