import pytest

from contracts import services
from contracts.models import ContractState
from esms_portal.core.errors import ActNotAllowed, InvalidInput
from tests.factories import StructureFactory


@pytest.mark.rule("R-CON-1", "R-CON-2")
def test_a_multi_site_organisation_contracts_at_finess_juridique(alpha, alice):
    contract = services.contract_start(actor=alice, structure=alpha)
    assert contract.state == ContractState.DRAFT
    assert contract.organisation == alpha and contract.contracting_structure == alpha


@pytest.mark.rule("R-CON-2")
def test_a_multi_site_organisation_cannot_contract_at_a_site(alpha, alice):
    with pytest.raises(InvalidInput) as error:
        services.contract_start(actor=alice, structure=alpha.sites_for_test[0])
    assert error.value.code == "contract_at_legal_entity_required"


@pytest.mark.rule("R-CON-2")
def test_a_single_site_structure_may_contract_at_finess_geographique(beta, charlie):
    site = beta.sites_for_test[0]
    contract = services.contract_start(actor=charlie, structure=site)
    assert contract.contracting_structure == site and contract.organisation == beta


@pytest.mark.rule("R-CON-1")
def test_one_contract_per_organisation_covers_all_its_sites(alpha, alice):
    first = services.contract_start(actor=alice, structure=alpha)
    with pytest.raises(InvalidInput) as error:
        services.contract_start(actor=alice, structure=alpha)
    assert error.value.code == "contract_exists"
    assert error.value.details == {"contract": str(first.pk)}
    assert "déjà un contrat" in error.value.message


@pytest.mark.rule("R-CON-1")
def test_a_site_cannot_bring_a_second_contract_for_its_ej(beta, charlie):
    services.contract_start(actor=charlie, structure=beta)
    with pytest.raises(InvalidInput) as error:
        services.contract_start(actor=charlie, structure=beta.sites_for_test[0])
    assert error.value.code == "contract_exists"


@pytest.mark.rule("R-FIN-2", "R-SOC-6")
def test_a_closed_structure_cannot_contract(alpha, alice):
    alpha.is_open = False
    alpha.save()
    with pytest.raises(InvalidInput) as error:
        services.contract_start(actor=alice, structure=alpha)
    assert error.value.code == "structure_not_in_finess"


@pytest.mark.rule("R-FIN-2")
def test_a_structure_without_finess_cannot_contract(alpha, alice):
    siret_only = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074")
    with pytest.raises(InvalidInput):
        services.contract_start(actor=alice, structure=siret_only)


def test_an_outsider_cannot_start_another_organisations_contract(alpha, charlie):
    with pytest.raises(ActNotAllowed):
        services.contract_start(actor=charlie, structure=alpha)


@pytest.mark.rule("R-CON-4")
def test_only_the_legal_representative_fills_the_contract(alpha, bob):
    with pytest.raises(ActNotAllowed):
        services.contract_start(actor=bob, structure=alpha)
