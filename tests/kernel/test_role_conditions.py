"""A role can need more than being held for one act; its app declares it (rpps_plus/portal.py)."""

import pytest

from esms_portal.core import permissions
from esms_portal.models import Role, RoleGrant
from rpps_plus.errors import GestionnaireCardRequired
from tests.factories import CardFactory, UserFactory


@pytest.fixture
def gestionnaire(alpha):
    user = UserFactory(email="gest@alpha.example")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    return user


@pytest.mark.rule("R-RPP-4")
def test_a_gestionnaire_without_a_card_is_refused_with_the_reason(alpha, gestionnaire):
    site = alpha.sites_for_test[0]
    assert not permissions.may(gestionnaire, "rpps.register", site, site_id=site.pk)
    with pytest.raises(GestionnaireCardRequired):
        permissions.require(gestionnaire, "rpps.register", site, site_id=site.pk)


@pytest.mark.rule("R-RPP-4")
def test_a_gestionnaire_holding_a_cpe_may_register(alpha, gestionnaire):
    CardFactory(active=True, holder=gestionnaire, organisation=alpha, family="CPE")
    site = alpha.sites_for_test[0]
    assert permissions.may(gestionnaire, "rpps.register", site, site_id=site.pk)


def test_a_role_without_conditions_is_enough(alpha, alice):
    RoleGrant.objects.create(user=alice, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    assert permissions.refusal_of(alice, "rpps.register", alpha) is None  # legal representative, no card
