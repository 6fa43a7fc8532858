import pytest

from contracts.models import Structure
from esms_portal.core import permissions
from esms_portal.core.errors import ActNotAllowed
from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory


def test_a_member_sees_only_his_organisation_and_its_sites(alpha, beta, alice):
    visible = set(permissions.scope(Structure.objects.all(), alice))
    assert visible == {alpha, *alpha.sites_for_test}


def test_an_agent_sees_every_organisation(alpha, beta, ana):
    assert permissions.scope(Structure.objects.all(), ana).count() == 5


def test_a_user_without_role_sees_nothing(alpha, db):
    nobody = UserFactory(email="nobody@example.org")
    assert not permissions.scope(Structure.objects.all(), nobody).exists()


def test_an_inactive_agent_sees_nothing(alpha, ana):
    ana.is_active = False
    assert not permissions.scope(Structure.objects.all(), ana).exists()


def test_roles_are_held_per_organisation(alpha, beta, alice, charlie):
    assert permissions.may(alice, "structure.report_anomaly", alpha.sites_for_test[0])
    assert not permissions.may(charlie, "structure.report_anomaly", alpha)
    with pytest.raises(ActNotAllowed):
        permissions.require(charlie, "structure.view", alpha)


@pytest.mark.rule("R-RPP-4")
def test_a_decentralised_gestionnaire_holds_his_role_only_on_his_sites(alpha):
    site_a, site_b = alpha.sites_for_test
    gestionnaire = UserFactory(email="gest@alpha.example")
    grant = RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    grant.sites.add(site_a)

    assert Role.GESTIONNAIRE_RPPS in permissions.roles_on(gestionnaire, alpha.pk, site_id=site_a.pk)
    assert Role.GESTIONNAIRE_RPPS not in permissions.roles_on(gestionnaire, alpha.pk, site_id=site_b.pk)


@pytest.mark.rule("R-RPP-4")
def test_a_centralised_gestionnaire_holds_his_role_on_every_site(alpha):
    gestionnaire = UserFactory(email="gest@alpha.example")
    RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    for site in alpha.sites_for_test:
        assert Role.GESTIONNAIRE_RPPS in permissions.roles_on(gestionnaire, alpha.pk, site_id=site.pk)


def test_global_acts_are_for_agents_only(alice, ana):
    assert permissions.may(ana, "steps.supervise")
    assert not permissions.may(alice, "steps.supervise")


def test_every_act_names_known_roles():
    known = set(Role.values) | {permissions.AGENT}
    for act, roles in permissions.ACTS.items():
        assert roles <= known, act


@pytest.mark.rule("R-RPP-4")
def test_roles_on_costs_one_query_whatever_the_grants_and_sites(alpha, alice, django_assert_num_queries):
    # Every permission check of every page asks roles_on: its grants and their sites in one query.
    site_a, site_b = alpha.sites_for_test
    grant = RoleGrant.objects.create(user=alice, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    grant.sites.add(site_a, site_b)
    RoleGrant.objects.create(user=alice, role=Role.MANDATAIRE, organisation=alpha)
    with django_assert_num_queries(1):
        roles = permissions.roles_on(alice, alpha.pk, site_id=site_b.pk)
    assert roles == {Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS, Role.MANDATAIRE}
    other_site = Structure.objects.create(kind="EG", finess="0B9999999", name="Ailleurs", legal_entity=alpha)
    assert permissions.roles_on(alice, alpha.pk, site_id=other_site.pk) == {Role.LEGAL_REPRESENTATIVE,
                                                                           Role.MANDATAIRE}
