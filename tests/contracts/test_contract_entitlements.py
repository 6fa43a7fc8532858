import pytest

from contracts import selectors, services
from esms_portal.core import permissions
from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory


@pytest.mark.rule("R-CON-6", "R-SOC-6")
def test_only_an_accepted_contract_entitles_to_order_identification_means(alpha, in_instruction, ana):
    assert not selectors.entitles_to_orders(alpha.pk)
    services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    assert selectors.entitles_to_orders(alpha.pk)
    services.contract_terminate(actor=ana, contract_pk=in_instruction.pk, reason="Fermeture")
    assert not selectors.entitles_to_orders(alpha.pk)


@pytest.mark.rule("R-CON-8", "R-RPP-4")
def test_the_legal_representative_is_registration_authority_for_every_site(alpha, alice, bob):
    for site in alpha.sites_for_test:
        assert permissions.may(alice, "rpps.register", site, site_id=site.pk)
        assert not permissions.may(bob, "rpps.register", site, site_id=site.pk)  # a mandataire needs the right


@pytest.mark.rule("R-CON-8")
def test_the_registration_right_stays_within_the_organisation(alpha, beta, charlie):
    gestionnaire = UserFactory(email="gest@beta.example")
    RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=beta)
    site = alpha.sites_for_test[0]
    assert not permissions.may(charlie, "rpps.register", site, site_id=site.pk)
    assert not permissions.may(gestionnaire, "rpps.register", site, site_id=site.pk)
