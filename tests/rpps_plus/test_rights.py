import pytest

from esms_portal.core.errors import ActNotAllowed, CardLoginRequired, PrerequisiteMissing
from esms_portal.models import AuditEntry, Role, RoleGrant
from rpps_plus import selectors, services
from rpps_plus.errors import GestionnaireCardRequired
from tests.factories import CardFactory, UserFactory

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(alpha):
    user = UserFactory(email="sam@alpha.example")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    return user


@pytest.mark.rule("R-RPP-4")
def test_the_legal_representative_grants_the_right_over_all_sites(alice, alpha, staff, site, other_site):
    services.rpps_right_grant(actor=alice, organisation=alpha, user=staff)
    assert set(selectors.managed_sites(staff)) == {site, other_site}
    assert AuditEntry.objects.filter(act="rpps_right_grant", actor=alice).exists()


@pytest.mark.rule("R-RPP-4")
def test_a_decentralised_gestionnaire_registers_only_on_his_sites(alice, alpha, staff, site, other_site):
    services.rpps_right_grant(actor=alice, organisation=alpha, user=staff, sites=[site])
    assert list(selectors.managed_sites(staff)) == [site]
    services.professional_register(actor=staff, data=person(), site=site)
    with pytest.raises(ActNotAllowed):
        services.professional_register(actor=staff, data=person(), site=other_site)


@pytest.mark.rule("R-RPP-4")
def test_the_right_goes_only_to_staff_holding_a_cpe(alice, alpha):
    without_card = UserFactory(email="nocard@alpha.example")
    with pytest.raises(PrerequisiteMissing) as error:
        services.rpps_right_grant(actor=alice, organisation=alpha, user=without_card)
    assert error.value.code == "gestionnaire_card_required"


@pytest.mark.rule("R-RPP-4")
def test_a_cde_qualifies_but_a_cpa_does_not(alice, alpha):
    director, other = UserFactory(email="dir@alpha.example"), UserFactory(email="cpa@alpha.example")
    CardFactory(active=True, holder=director, organisation=alpha, family="CDE")
    CardFactory(active=True, holder=other, organisation=alpha, family="CPA")
    services.rpps_right_grant(actor=alice, organisation=alpha, user=director)
    with pytest.raises(PrerequisiteMissing):
        services.rpps_right_grant(actor=alice, organisation=alpha, user=other)


@pytest.mark.rule("R-RPP-4")
def test_a_card_of_another_organisation_does_not_qualify(alice, alpha, beta):
    user = UserFactory(email="elsewhere@beta.example")
    CardFactory(active=True, holder=user, organisation=beta, family="CPE")
    with pytest.raises(PrerequisiteMissing):
        services.rpps_right_grant(actor=alice, organisation=alpha, user=user)


@pytest.mark.rule("R-RPP-4")
def test_only_the_legal_representative_grants(bob, alpha, staff):
    with pytest.raises(ActNotAllowed):
        services.rpps_right_grant(actor=bob, organisation=alpha, user=staff)


@pytest.mark.rule("R-RPP-5")
def test_withdrawing_the_right_stops_the_gestionnaire_at_once(alice, alpha, gina, site):
    services.professional_register(actor=gina, data=person(), site=site)
    services.rpps_right_withdraw(actor=alice, organisation=alpha, user=gina)
    assert not RoleGrant.objects.filter(user=gina, role=Role.GESTIONNAIRE_RPPS).exists()
    with pytest.raises(ActNotAllowed):
        services.professional_register(actor=gina, data=person(last_name="Autre"), site=site)
    assert not selectors.managed_sites(gina).exists()


@pytest.mark.rule("R-RPP-4", "R-RPP-5")
def test_an_opposed_card_stops_the_gestionnaire_at_his_next_act(alice, gina, site, registered):
    from cards.models import Card
    from cards.services import card_oppose

    card = Card.objects.get(holder=gina)
    card_oppose(actor=alice, card=card, reason="Départ")
    with pytest.raises(GestionnaireCardRequired):
        services.professional_register(actor=gina, data=person(last_name="Autre"), site=site)
    with pytest.raises(GestionnaireCardRequired):
        services.situation_end(actor=gina, situation_pk=registered.pk)


@pytest.mark.rule("R-RPP-6")
def test_a_password_session_cannot_register_when_card_login_is_required(gina, site, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    with pytest.raises(CardLoginRequired):
        services.professional_register(actor=gina, data=person(), site=site)
    gina.card_authenticated = True  # what [card-login]'s session middleware sets
    services.professional_register(actor=gina, data=person(), site=site)


@pytest.mark.rule("R-RPP-6")
def test_card_login_is_required_by_default_outside_debug():
    from esms_portal.core.permissions import CARD_ACTS

    assert "rpps.register" in CARD_ACTS
