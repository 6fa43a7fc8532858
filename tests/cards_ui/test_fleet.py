import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import CardFactory

URL = reverse("cards:fleet")


def test_a_manager_sees_his_organisations_cards_and_not_others(client, bob, alpha, alice_card, beta):
    theirs = CardFactory(active=True, organisation=beta, holder_last_name="Étranger")
    client.force_login(bob)
    page = client.get(URL).content.decode()
    assert "Cartes CPx — Association Alpha" in page
    assert alice_card.national_id in page and theirs.national_id not in page


def test_an_outsider_asking_for_another_organisation_gets_404(client, charlie, alpha, alice_card):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404


def test_a_malformed_organisation_or_filter_is_not_an_error(client, alice, alice_card):
    client.force_login(alice)
    assert client.get(URL, {"organisation": "pas-un-uuid"}).status_code == 404
    assert client.get(reverse("cards:f301_new"), {"organisation": "pas-un-uuid"}).status_code == 404
    page = client.get(URL, {"state": "perdue", "page": "x"})
    assert page.status_code == 200 and alice_card.national_id in page.content.decode()


def test_filters_by_state_family_holder_and_expiry(client, alice, alpha, alice_card):
    soon = CardFactory(active=True, organisation=alpha, holder_last_name="Bientôt", family="CPE",
                       expires_at=timezone.now() + timedelta(days=20))
    opposed = CardFactory(opposed=True, organisation=alpha, holder_last_name="Parti")
    client.force_login(alice)

    def shown(**params):
        page = client.get(URL, params).content.decode()
        return {card for card in (alice_card, soon, opposed) if card.national_id in page}

    assert shown(state="opposed") == {opposed}
    assert shown(family="CDE") == {alice_card}
    assert shown(holder="bient") == {soon}
    assert shown(holder=opposed.national_id) == {opposed}
    assert shown(expiring="on") == {soon}


def test_the_fleet_costs_the_same_queries_for_3_or_30_cards(client, alice, alpha, settings,
                                                            django_assert_num_queries):
    client.force_login(alice)
    CardFactory.create_batch(3, active=True, organisation=alpha)
    client.get(URL)  # warm the session and content types
    # roles_on: one query, not a prefetch; the header's notification counts: one; the session: none
    # when read from Redis (cached_db)
    with django_assert_num_queries(9 + (0 if settings.SESSION_ENGINE.endswith("cached_db") else 1)) as counted:
        client.get(URL)
    CardFactory.create_batch(27, active=True, organisation=alpha)
    with django_assert_num_queries(len(counted.captured_queries)):
        page = client.get(URL).content.decode()
    assert "30 cartes" in page and ">Suivant</a>" in page
    with django_assert_num_queries(len(counted.captured_queries)):  # the next page by key: the same queries
        second = client.get(f"{URL}?{link(page, 'Suivant')}").content.decode()
    assert "30 cartes" in second and ">Précédent</a>" in second


def test_the_fleet_is_paginated_by_key_with_its_filters_kept(client, alice, alpha):
    CardFactory.create_batch(27, active=True, organisation=alpha, family="CPE")
    CardFactory.create_batch(2, active=True, organisation=alpha, family="CDE")
    client.force_login(alice)
    page = client.get(URL, {"family": "CPE"}).content.decode()
    assert "family=CPE&amp;cursor=" in page and "page=" not in page
    first = set(re.findall(r'cartes/([0-9a-f-]{36})/"', page))
    second_page = client.get(f"{URL}?{link(page, 'Suivant')}").content.decode()
    second = set(re.findall(r'cartes/([0-9a-f-]{36})/"', second_page))
    assert len(first) == 20 and len(second) == 7 and not first & second
    assert ">Suivant</a>" not in second_page
    back = client.get(f"{URL}?{link(second_page, 'Précédent')}").content.decode()
    assert set(re.findall(r'cartes/([0-9a-f-]{36})/"', back)) == first


def test_a_tampered_cursor_is_a_404_page(client, alice, alpha):
    client.force_login(alice)
    assert client.get(URL, {"cursor": "forged:cursor"}).status_code == 404


def test_an_agent_picks_an_organisation_then_sees_its_fleet(client, ana, alpha, alice_card, beta):
    CardFactory(active=True, organisation=beta)
    client.force_login(ana)
    picker = client.get(URL).content.decode()
    assert "Association Alpha" in picker and "Fondation Beta" in picker
    page = client.get(URL, {"organisation": alpha.pk}).content.decode()
    assert alice_card.national_id in page


def test_a_holder_without_a_managing_role_sees_his_own_cards(client, alpha, alice_card):
    card = CardFactory(delivered=True, organisation=alpha)
    client.force_login(card.holder)
    page = client.get(URL).content.decode()
    assert "Mes cartes CPx" in page
    assert card.national_id in page and alice_card.national_id not in page


def test_the_menu_leads_members_and_agents_to_the_cards(client, alice, ana):
    for user in (alice, ana):
        client.force_login(user)
        page = client.get(reverse("home"), follow=True).content.decode()
        assert f'href="{URL}"' in page and ">Cartes</a>" in page


def link(page: str, label: str) -> str:
    """The query string of a « Suivant » or « Précédent » link of a page."""
    return html.unescape(re.search(rf'href="\?([^"]*)">{label}</a>', page).group(1))
