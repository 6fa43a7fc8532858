"""The professions of the FAQ (file 001), by the FAQ's own names: chosen by that name in the
registration form, the API and the collection template, stored under their J121 code, registered
directly; only a profession outside the list goes to the ANS (R-RPP-7)."""

import pytest
from django.urls import reverse

from rpps_plus import services
from rpps_plus.forms import RegistrationForm
from rpps_plus.models import Situation, SituationState
from rpps_plus.nomenclatures import PROFESSIONS
from rpps_plus.services.bulk import Outcome

from .conftest import person
from .test_bulk_import import csv_bytes, preview, row

pytestmark = pytest.mark.django_db

# Copied from the FAQ (seeds/001), its spelling and typography included.
FAQ_LIST = (
    "Accompagnant éducatif et social | Aide médico-psychologique (AMP) | Aide soignant | "
    "Ambulancier | Assistant familial | Assistant médical | "
    "Auxiliaire de puériculture | Auxiliaire de vie scolaire | Conseiller en économie sociale et familiale | "
    "Conseiller en génétique | Éducateur de jeunes enfants | Éducateur spécialisé | "
    "Éducateur technique spécialisé | Gestionnaire alerte et urgences sanitaires | "
    "Mandataire Judiciaire à la Protection des Majeurs | "
    "Médiateur familial | Moniteur éducateur | Responsable de secteur | "
    "Technicien de l’intervention sociale et familiale"
)
FAQ_NAMES = [name.strip() for name in FAQ_LIST.split("|")]
EXPECTED_CODES = {"Aide médico-psychologique (AMP)": "328", "Auxiliaire de vie scolaire": "345",
                  "Technicien de l’intervention sociale et familiale": "319"}


def folded(text):
    from rpps_plus.nomenclatures import fold

    return fold(text.replace("’", "'"))


@pytest.mark.rule("R-RPP-7")
@pytest.mark.parametrize("name", FAQ_NAMES)
def test_each_faq_profession_registers_directly_by_its_name(gina, site, name):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="", profession=name), site=site)
    assert situation.state == SituationState.ACTIVE
    assert situation.profession_code in PROFESSIONS and situation.profession_other == ""
    if name in EXPECTED_CODES:
        assert situation.profession_code == EXPECTED_CODES[name]


@pytest.mark.rule("R-RPP-7")
def test_the_form_offers_every_faq_name(site):
    offered = {folded(label) for _, label in RegistrationForm(sites=type(site).objects.filter(pk=site.pk))
               .fields["profession_code"].choices}
    assert {folded(name) for name in FAQ_NAMES} <= offered


@pytest.mark.rule("R-RPP-7")
def test_the_page_registers_a_school_life_assistant_chosen_by_name(client, gina, site):
    client.force_login(gina)
    data = {key: str(value) for key, value in {**person(), "site": site.pk}.items()}
    data["profession_code"] = "Auxiliaire de vie scolaire"
    response = client.post(reverse("rpps_plus:register"), data)
    situation = Situation.objects.get()
    assert response.status_code == 302
    assert (situation.state, situation.profession_code) == (SituationState.ACTIVE, "345")


@pytest.mark.rule("R-RPP-7")
@pytest.mark.parametrize("name", FAQ_NAMES)
def test_the_template_takes_each_faq_name(gina, alpha, site, name):
    bulk = preview(gina, alpha, csv_bytes([row(site, **{"Profession": name})]))
    assert [r["outcome"] for r in bulk.rows] == [Outcome.CREATE]


@pytest.mark.rule("R-RPP-7")
def test_only_a_profession_outside_the_list_goes_to_the_ans(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="", profession="Jardinier paysagiste"), site=site)
    assert situation.state == SituationState.IN_ANALYSIS and situation.profession_other == "Jardinier paysagiste"


def test_labels_carry_their_accents(registered):
    assert registered.profession_display == "Éducateur spécialisé"
    assert PROFESSIONS["347"] == "Étudiant aide-soignant"
