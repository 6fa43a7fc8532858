"""A structure without patients, known by its SIRET, contracts and goes on with its SIRET (R-FIN-5,
R-FIN-3, R-CON-1). 004 names the F102 « pour les structures ne prenant pas en charge de patients /
usagers » and lets « Autre structure du domaine de santé non-fournisseur de soins » order cards."""

import pytest

from cards import services as card_services
from cards.demo import deliver_now
from certificates import services as certificate_services
from contracts import services
from contracts.models import ContractState
from esms_portal import pki as igc
from esms_portal.core.errors import InvalidInput
from tests.conftest import GAMMA_SIRET
from tests.factories import StructureFactory, complete_contract_data
from tests.kernel.pki_support import make_csr

pytestmark = pytest.mark.rule("R-FIN-5", "R-FIN-3", "R-CON-1")


def accepted_contract(diane, gamma, ana):
    contract = services.contract_start(actor=diane, structure=gamma)
    services.contract_update(actor=diane, contract_pk=contract.pk, cgu_accepted=True,
                             data=complete_contract_data(representative_email=diane.email))
    services.contract_submit(actor=diane, contract_pk=contract.pk)
    services.contract_start_instruction(actor=ana, contract_pk=contract.pk)
    return services.contract_accept(actor=ana, contract_pk=contract.pk)


def test_a_structure_without_patients_contracts_with_its_siret(diane, gamma, ana):
    contract = accepted_contract(diane, gamma, ana)
    assert contract.state == ContractState.ACCEPTED and contract.organisation == gamma


def test_a_care_giving_structure_without_finess_is_refused(diane, gamma):
    gamma.gives_care = True
    gamma.save(update_fields=["gives_care"])
    with pytest.raises(InvalidInput, match="FINESS") as error:
        services.contract_start(actor=diane, structure=gamma)
    assert error.value.code == "structure_not_in_finess"


def test_a_closed_structure_without_finess_is_refused(diane, gamma):
    gamma.is_open = False
    gamma.save(update_fields=["is_open"])
    with pytest.raises(InvalidInput) as error:
        services.contract_start(actor=diane, structure=gamma)
    assert error.value.code == "structure_not_in_finess"


def test_a_site_without_finess_of_a_care_giving_organisation_does_not_contract(alice, alpha):
    editor = StructureFactory(legal_entity=alpha, finess=None, siret=GAMMA_SIRET, gives_care=True)
    with pytest.raises(InvalidInput):
        services.contract_start(actor=alice, structure=editor)


def test_the_directors_card_and_the_certificates_follow_with_the_siret(diane, gamma, ana, pki):
    accepted_contract(diane, gamma, ana)
    order = card_services.f101_file(actor=diane, organisation=gamma, delivery_address="1 rue du Code, 69001 Lyon")
    card_services.form_act(actor=ana, form=order, act="start_instruction")
    card = deliver_now(card_services.form_accept(actor=ana, form=order).card, pin="4826")
    assert card.family == "CDA" and card.national_id.startswith(f"5{GAMMA_SIRET}/")
    f413 = certificate_services.f413_file(
        actor=diane, organisation=gamma, structure_id_kind="siret", structure_id=GAMMA_SIRET,
        certificate_types=[igc.Profile.ORG_AUTH_CLI], administrator_emails=[diane.email],
    )
    certificate_services.form_act(actor=ana, form=f413, act="start_instruction")
    certificate_services.form_accept(actor=ana, form=f413)
    ordered = certificate_services.certificate_order(
        actor=diane, organisation=gamma, profile=igc.Profile.ORG_AUTH_CLI, software_name="Logiciel Gamma",
        csr=make_csr(cn="Logiciel Gamma"),
    )
    assert f"OU=3{GAMMA_SIRET}" in ordered.certificate.certificate.subject.rfc4514_string()
