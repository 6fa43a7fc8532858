"""Every menu entry of every demo role leads to a page, never to a 403 or 404 (issue #15)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cards import services as card_services
from cards.demo import ADDRESS
from cards.models import CardFamily
from contracts.management.commands.load_demo import ACCOUNTS, MAIN_ORGANISATION
from contracts.models import Structure
from esms_portal.models import Role, RoleGrant, User
from rpps_plus.demo import GESTIONNAIRE

NAV = re.compile(r'<nav class="fr-nav" id="navigation-principale".*?</nav>', re.S)


def menu_links(page: str) -> list[str]:
    return re.findall(r'class="fr-nav__link" href="([^"]+)"', NAV.search(page).group(0))


@pytest.fixture
def demo(db, pki):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    organisation = Structure.objects.get(finess=MAIN_ORGANISATION)
    representative = User.objects.get(email=ACCOUNTS[0][0])
    # The roles the demo reaches by a few clicks: a mandataire, a staff member holding a card.
    mandataire = User.objects.create_user(email="mandataire@demo.esms.example", first_name="Marc", last_name="Roy")
    RoleGrant.objects.create(user=mandataire, role=Role.MANDATAIRE, organisation=organisation)
    holder = User.objects.create_user(email="salarie@demo.esms.example", first_name="Inès", last_name="Faure")
    card_services.card_order(actor=representative, organisation=organisation, holder=holder,
                             family=CardFamily.CPE, last_name="Faure", first_names="Inès",
                             ordered_through="F301", delivery_address=ADDRESS)
    return [email for email, *_ in ACCOUNTS] + [GESTIONNAIRE, mandataire.email, holder.email]


def test_every_menu_link_of_every_demo_role_leads_to_a_page(client, demo):
    crawled = {}
    for email in demo:
        client.force_login(User.objects.get(email=email))
        home = client.get(reverse("home"), follow=True)
        assert home.status_code == 200, email
        links = menu_links(home.content.decode())
        assert links, email
        for link in links:
            response = client.get(link, follow=True)
            crawled[(email, link)] = response.status_code
        client.logout()
    failures = {key: status for key, status in crawled.items() if status >= 400}
    assert not failures
    assert len({email for email, _ in crawled}) == len(demo)
