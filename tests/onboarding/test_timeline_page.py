"""The organisation's home: its onboarding timeline (issue #9)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, StructureFactory, UserFactory


def test_the_legal_representatives_home_is_the_timeline(client, alice, alpha):
    client.force_login(alice)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("onboarding:timeline", args=[alpha.pk])
    assert "Embarquement de Association Alpha" in response.content.decode()


def test_an_agent_still_lands_on_the_back_office(client, ana):
    client.force_login(ana)
    assert client.get(reverse("home")).url == reverse("backoffice:queue")


def test_the_page_shows_the_next_action_with_its_form(client, alice, alpha):
    client.force_login(alice)
    page = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    assert "Prochaine action" in page
    assert reverse("contracts:home") in page  # step 2: start the contract
    assert "Bloquée" in page and "attend l&#x27;étape" in page


def test_it_checks_ownership(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(reverse("onboarding:timeline", args=[alpha.pk])).status_code == 404
    assert client.get(reverse("onboarding:ics", args=[alpha.pk])).status_code == 404
    assert client.get(reverse("onboarding:svg", args=[alpha.pk])).status_code == 404
    assert client.get(reverse("onboarding:declaration", args=[alpha.pk])).status_code == 404


def test_a_site_leads_to_its_legal_entitys_timeline(client, alice, alpha):
    client.force_login(alice)
    response = client.get(reverse("onboarding:timeline", args=[alpha.sites_for_test[0].pk]))
    assert response.status_code == 200 and response.context["organisation"] == alpha


def test_the_page_lists_each_site(client, alice, alpha):
    client.force_login(alice)
    page = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    assert "EHPAD Les Tilleuls" in page and "SSIAD Alpha" in page


def _grow(alpha, alice, *, sites, cards, start=0):
    for n in range(start, start + sites):
        site = StructureFactory(legal_entity=alpha, name=f"Site {n}")
        for _ in range(cards):
            card = CardFactory(active=True, organisation=alpha, family="CPE")
            card.establishments.add(site)
    for n in range(start, start + sites):
        gestionnaire = UserFactory(email=f"g{n}@alpha.example")
        RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)


def _register(alpha, alice, n, start=0):
    from rpps_plus import services

    from .conftest import person

    for i in range(start, start + n):
        services.professional_register(actor=alice, site=alpha.sites_for_test[i % 2], data=person(
            last_name=f"Pro{i}", practice_last_name=f"Pro{i}", email=f"pro{i}@example.org"))


def _queries(client, alpha) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("onboarding:timeline", args=[alpha.pk])).status_code == 200
    return len(captured)


def test_the_page_takes_a_constant_number_of_queries(client, alice, alpha, accepted, alice_card):
    client.force_login(alice)
    _grow(alpha, alice, sites=1, cards=1)
    _register(alpha, alice, 1)
    small = _queries(client, alpha)
    _grow(alpha, alice, sites=6, cards=3, start=1)
    _register(alpha, alice, 5, start=1)
    assert _queries(client, alpha) == small, "one query per site, card or gestionnaire crept in"


def test_the_page_makes_no_card_object_per_usable_card(client, alice, alpha, accepted, alice_card):
    # The usable cards are read as tuples: a model instance per card dominated the page's CPU at 5,000 cards.
    from django.db.models.signals import post_init

    from cards.models import Card

    client.force_login(alice)
    CardFactory.create_batch(20, active=True, organisation=alpha, family="CPE", holder_last_name="Porteur")
    made = []

    def count(sender, instance, **kwargs):
        made.append(instance.pk)

    post_init.connect(count, sender=Card)
    try:
        page = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    finally:
        post_init.disconnect(count, sender=Card)
    assert len(made) <= 2, f"{len(made)} Card objects for 21 usable cards"
    assert "(21)" in page and "Porteur" in page  # the usable cards still counted and named


def test_the_readiness_names_the_first_holders_only(client, alice, alpha, accepted, alice_card):
    # The page must not grow with the EJ's cards: a count, the first NAMES_SHOWN names, « et d'autres ».
    from esms_portal.onboarding.readiness import NAMES_SHOWN

    client.force_login(alice)
    CardFactory.create_batch(NAMES_SHOWN + 5, active=True, organisation=alpha, family="CPE",
                             holder_first_names="Zoé", holder_last_name="Porteur")
    few = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    CardFactory.create_batch(40, active=True, organisation=alpha, family="CPE", holder_last_name="Autre")
    many = client.get(reverse("onboarding:timeline", args=[alpha.pk])).content.decode()
    assert f"Cartes CPS ou CPE actives ({NAMES_SHOWN + 6})" in few and "et d&#x27;autres" in few
    assert f"Cartes CPS ou CPE actives ({NAMES_SHOWN + 46})" in many
    assert abs(len(many) - len(few)) < 200, "the page grew with the cards"
