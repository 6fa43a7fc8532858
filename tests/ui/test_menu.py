import pytest
from django.urls import reverse

from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory


def _menu(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("structures:search")).content.decode()


def test_a_mandataire_sees_neither_rpps_nor_the_contract_he_does_not_sign(client, bob):
    page = _menu(client, bob)
    assert "Certificats" in page
    assert reverse("rpps_plus:home") not in page and reverse("contracts:home") not in page


def test_an_agent_is_offered_no_organisation_page_he_cannot_open(client, ana):
    page = _menu(client, ana)
    assert reverse("certificates:home") not in page and reverse("contracts:home") not in page
    assert reverse("cards:fleet") in page


@pytest.mark.rule("R-RPP-4")
def test_a_gestionnaire_sees_rpps_and_not_the_contract(client, alpha):
    gestionnaire = UserFactory(email="g@alpha.example")
    RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    page = _menu(client, gestionnaire)
    assert reverse("rpps_plus:home") in page
    assert reverse("contracts:home") not in page and reverse("certificates:home") not in page


def test_the_legal_representative_sees_every_entry(client, alice):
    page = _menu(client, alice)
    for name in ("contracts:home", "rpps_plus:home", "cards:fleet", "certificates:home"):
        assert reverse(name) in page
