"""What a FINESS category tells beyond its label: who corrects the record (R-FIN-2), and whether the
structure takes patients or users (R-FIN-3, card families R-CRD-1).

Inferred [I]: no FINESS field states the competent authority. The table follows the authorisation
regimes of the Code de l'action sociale et des familles (art. L313-3): the Conseil départemental
alone authorises social services for the elderly and the disabled without health funding and child
welfare (a); the ARS the medico-social ones funded by health insurance (b); both jointly those with
both fundings (d). Categories not listed fall back to the ARS, the default correspondent of FINESS.
Categories under the State alone (CHRS, mandataires judiciaires) also fall back to the ARS for want
of a better addressee among the three the portal knows.
"""

from contracts.models import CompetentAuthority

JOINT_CATEGORIES = {
    "190",  # CAMSP
    "209",  # SPASAD
    "437",  # FAM
    "445",  # SAMSAH
    "448",  # EAM (établissement d'accueil médicalisé pour personnes handicapées)
    "500",  # EHPAD
    "501",  # EHPA percevant des crédits d'assurance maladie
}
DEPARTMENT_CATEGORIES = {
    "166",  # établissement d'accueil mère-enfant
    "175",  # foyer de l'enfance
    "177",  # maison d'enfants à caractère social
    "202",  # résidence autonomie
    "223",  # PMI, a service of the département itself
    "252",  # foyer d'hébergement pour adultes handicapés
    "382",  # foyer de vie
    "446",  # SAVS
    "449",  # EANM (établissement d'accueil non médicalisé pour personnes handicapées)
    "460",  # SAAD
    "462",  # lieu de vie et d'accueil
    "502",  # EHPA ne percevant pas de crédits d'assurance maladie
}

# Entities that hold authorisations or pool means and receive nobody themselves; their staff get
# CPA/CDA cards rather than CPE/CDE (R-CRD-1).
NO_CARE_CATEGORIES = {
    "604",  # CPTS: a coordination of professionals, patients are seen in their practices
    "696",  # groupement de coopération sanitaire de moyens
    "699",  # entité ayant autorisation
}


# Health establishments (hospitals, clinics): outside RPPS+, which registers the professionals of
# the social and medico-social sector (R-RPP-1). The test is per site: an EHPAD run by a hospital
# EJ keeps its own category and may register its staff. [I] FINESS categories of the "établissements
# relevant de la loi hospitalière" group.
HEALTH_ESTABLISHMENT_CATEGORIES = {
    "101",  # centre hospitalier régional
    "106",  # centre hospitalier, ex hôpital local
    "109",  # établissement de santé privé autorisé en SSR
    "114",  # hôpital des armées
    "122",  # établissement de soins obstétriques chirurgico-gynécologiques
    "127",  # hospitalisation à domicile
    "128",  # établissement de soins chirurgicaux
    "129",  # établissement de soins médicaux
    "131",  # centre de lutte contre le cancer
    "292",  # centre hospitalier spécialisé lutte maladies mentales
    "355",  # centre hospitalier (CH)
    "362",  # établissement de soins longue durée
    "365",  # établissement de soins pluridisciplinaire
}


def is_health_establishment(category_code: str) -> bool:
    return category_code in HEALTH_ESTABLISHMENT_CATEGORIES


def competent_authority_for(category_code: str) -> str:
    if category_code in JOINT_CATEGORIES:
        return CompetentAuthority.JOINT
    if category_code in DEPARTMENT_CATEGORIES:
        return CompetentAuthority.CD
    return CompetentAuthority.ARS


def gives_care_for(category_code: str) -> bool:
    return category_code not in NO_CARE_CATEGORIES
