"""How an F413 names the structure (R-FIN-3, R-FIN-5). 000: « Renseigner le FINESS géographique
(sauf pour les structures ne prenant pas en charge d'usagers) ou n° SIRET »."""

import pytest

from certificates import services
from certificates.models import AdministratorDesignation
from contracts import services as contract_services
from esms_portal.core.errors import InvalidInput
from tests.conftest import GAMMA_SIRET
from tests.factories import CardFactory, complete_contract_data

pytestmark = pytest.mark.rule("R-FIN-3", "R-FIN-5", "R-CER-3")
SAME_SIREN = "73282932000017"  # another establishment of gamma's company
FOREIGN = "18751275100020"  # a valid key, someone else's


def file(actor, organisation, kind, number):
    return services.f413_file(actor=actor, organisation=organisation, structure_id_kind=kind, structure_id=number,
                              certificate_types=["ORG_AUTH_CLI"], administrator_emails=[actor.email])


@pytest.fixture
def gamma_ready(diane, gamma, ana):
    contract = contract_services.contract_start(actor=diane, structure=gamma)
    contract_services.contract_update(actor=diane, contract_pk=contract.pk, cgu_accepted=True,
                                      data=complete_contract_data(representative_email=diane.email))
    contract_services.contract_submit(actor=diane, contract_pk=contract.pk)
    contract_services.contract_start_instruction(actor=ana, contract_pk=contract.pk)
    contract_services.contract_accept(actor=ana, contract_pk=contract.pk)
    CardFactory(active=True, holder=diane, organisation=gamma, family="CDA")
    return gamma


def test_an_organisation_with_patients_gives_a_finess_never_a_siret(accepted, alice, alice_card, alpha):
    alpha.siret = FOREIGN  # even its own SIRET
    alpha.save(update_fields=["siret"])
    with pytest.raises(InvalidInput) as error:
        file(alice, alpha, "siret", FOREIGN)
    assert error.value.code == "siret_not_allowed" and "FINESS géographique" in error.value.message
    assert file(alice, alpha, "finess", alpha.sites_for_test[0].finess).structure_id_kind == "finess"


def test_a_finess_juridique_is_not_a_finess_geographique(accepted, alice, alice_card, alpha):
    with pytest.raises(InvalidInput) as error:
        file(alice, alpha, "finess", alpha.finess)
    assert error.value.code == "structure_id_invalid"


def test_a_structure_without_patients_gives_its_own_siret(gamma_ready, diane):
    form = file(diane, gamma_ready, "siret", "732 829 320 00074")
    assert (form.structure_id, form.organisation_id_for_certificates) == (GAMMA_SIRET, f"3{GAMMA_SIRET}")
    assert file(diane, gamma_ready, "siret", SAME_SIREN).structure_id == SAME_SIREN


def test_a_valid_siret_that_is_not_its_own_is_refused(gamma_ready, diane):
    with pytest.raises(InvalidInput) as error:
        file(diane, gamma_ready, "siret", FOREIGN)
    assert error.value.code == "siret_not_own"
    with pytest.raises(InvalidInput) as error:
        file(diane, gamma_ready, "siret", "73282932000075")
    assert error.value.code == "structure_id_invalid"
    assert not AdministratorDesignation.objects.exists()
