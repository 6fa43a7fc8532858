import pytest

from esms_portal.core.errors import ActNotAllowed, InvalidInput
from esms_portal.models import AuditEntry, ScheduledStep
from rpps_plus import services
from rpps_plus.errors import NoRegistrationNeeded, SiteNotInFiness
from rpps_plus.models import Professional, SituationState
from tests.factories import StructureFactory

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.mark.rule("R-RPP-3", "R-RPP-5")
def test_a_gestionnaire_registers_a_professional_and_the_act_records_him(registered, gina):
    assert registered.state == SituationState.ACTIVE
    assert registered.registered_by == gina
    entry = AuditEntry.objects.get(object_id=str(registered.pk), act="register")
    assert entry.actor == gina


@pytest.mark.rule("R-CON-8", "R-RPP-4")
def test_the_legal_representative_holds_the_right_by_default(alice, site):
    situation = services.professional_register(actor=alice, data=person(), site=site)
    assert situation.state == SituationState.ACTIVE


@pytest.mark.rule("R-RPP-8")
def test_it_stores_civil_status_contact_and_the_situation(registered):
    professional = registered.professional
    assert (professional.civility, professional.last_name, professional.first_names) == ("MME", "Lefèvre",
                                                                                          "Julie Anne")
    assert professional.birth_commune_code == "69123" and professional.birth_country_code == ""
    assert professional.mobile == "+33612345678"
    assert (registered.practice_last_name, registered.profession_code, registered.role_code) == (
        "Lefèvre", "326", "GENR10")
    assert registered.profession_display == "Éducateur spécialisé"
    assert registered.role_display.startswith("Accompagnement social/médico-social à la vie sociale")


@pytest.mark.rule("R-RPP-8")
def test_a_birth_abroad_gives_a_country_instead_of_a_commune(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(birth_commune_code="", birth_country_code="99134"), site=site)
    assert situation.professional.birth_country_code == "99134"


@pytest.mark.rule("R-RPP-8")
def test_it_lists_every_wrong_field_at_once(gina, site):
    with pytest.raises(InvalidInput) as error:
        services.professional_register(actor=gina, data=person(mobile="0112", role_code="GENR01",
                                                               birth_country_code="99134"), site=site)
    assert {"mobile", "role_code", "birth_commune_code"} <= set(error.value.details)


@pytest.mark.rule("R-FIN-4")
def test_a_site_not_in_finess_cannot_register(gina, alpha):
    closed = StructureFactory(legal_entity=alpha, is_open=False)
    with pytest.raises(SiteNotInFiness):
        services.professional_register(actor=gina, data=person(), site=closed)


@pytest.mark.rule("R-RPP-14")
@pytest.mark.parametrize("number", ["99700771191", "281234567"])
def test_a_professional_with_an_rpps_or_adeli_number_needs_no_registration(gina, site, number):
    from esms_portal.core.identifiers import adeli_is_valid, rpps_is_valid

    assert rpps_is_valid(number) or adeli_is_valid(number)
    with pytest.raises(NoRegistrationNeeded) as error:
        services.professional_register(actor=gina, data=person(existing_number=number), site=site)
    assert "n'a pas besoin d'enregistrement RPPS+" in error.value.message
    assert not Professional.objects.exists()


@pytest.mark.rule("R-RPP-7")
def test_an_unlisted_profession_goes_to_the_back_office(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"), site=site)
    assert situation.state == SituationState.IN_ANALYSIS
    assert situation.submitted_at is not None
    assert not ScheduledStep.objects.filter(kind="rpps_plus.publish").exists()


@pytest.mark.rule("R-RPP-7")
def test_a_coordinator_is_registered_with_the_coordination_role(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(profession_code="330", role_code="GENR08"), site=site)
    assert situation.role_display == "Coordination et orientation"


def test_an_outsider_cannot_register_at_alpha(charlie, site):
    with pytest.raises(ActNotAllowed):
        services.professional_register(actor=charlie, data=person(), site=site)


def test_a_mandataire_without_the_right_cannot_register(bob, site):
    with pytest.raises(ActNotAllowed):
        services.professional_register(actor=bob, data=person(), site=site)


@pytest.mark.rule("R-RPP-8")
def test_an_empty_practice_name_defaults_to_the_birth_name(gina, site):
    situation = services.professional_register(
        actor=gina, data=person(practice_last_name="", practice_first_name=""), site=site)
    assert (situation.practice_last_name, situation.practice_first_name) == ("Lefèvre", "Julie")
