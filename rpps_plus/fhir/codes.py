"""The systems, identifier types and profiles the ANS guide uses (ansforge/IG-fhir-annuaire)."""

from ..nomenclatures import SYSTEMS

FHIR_VERSION = "4.0.1"
MEDIA_TYPE = "application/fhir+json"

_PROFILES = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/"
PROFILES = {
    "Practitioner": f"{_PROFILES}as-dp-practitioner",
    "PractitionerRole": f"{_PROFILES}as-dp-practitionerrole",
    "Organization": f"{_PROFILES}as-dp-organization",
}

# Identifiers: the national identifiers (idNatPs "8" + RPPS, idNatSt "1" + FINESS) and the registers'.
IDNAT_PS = "urn:oid:1.2.250.1.71.4.2.1"
RPPS = "https://rpps.esante.gouv.fr"
IDNAT_ST = "urn:oid:1.2.250.1.71.4.2.2"
FINESS = "https://finess.esante.gouv.fr"
IDENTIFIER_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
ORGANIZATION_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-3307"

# ANS nomenclatures (NOS): the systems as the guide writes them.
_NOS_BASE = "https://mos.esante.gouv.fr/NOS"
R85_PROFESSION = SYSTEMS["TRE_R85-RolePriseCharge"]
R22_ROLE = SYSTEMS["TRE_R22-GenreActivite"]
R23_MODE = f"{_NOS_BASE}/TRE_R23-ModeExercice/FHIR/TRE-R23-ModeExercice"
R21_FUNCTION = f"{_NOS_BASE}/TRE_R21-Fonction/FHIR/TRE-R21-Fonction"
R66_CATEGORY = f"{_NOS_BASE}/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"

# Every RPPS+ situation is declared by the employer: the professional is salaried there (R-RPP-3).
SALARIED = ("S", "Salarié")
