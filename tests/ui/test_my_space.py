"""A person's own space: a staff member whose card was just delivered is told to activate it, then
sees the mandate it brought (issue #15)."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import Card
from esms_portal.models import Role
from tests.cards.conftest import instruct_and_accept, staff_line


@pytest.fixture
def delivered(accepted, alice, alice_card, alpha, ana, pki):
    """Lucie's CPe, ordered by an accepted F301 and delivered; `make_mandataire` as the line says."""

    def deliver(**line) -> Card:
        instruct_and_accept(services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(**line)]), ana)
        card = Card.objects.get(holder__email="lucie@alpha.example")
        services.card_start_production(card.pk)
        services.card_ship(card.pk)
        return services.card_deliver(card.pk)

    return deliver


def test_a_staff_member_whose_card_was_delivered_is_told_to_activate_it(client, delivered):
    card = delivered()
    client.force_login(card.holder)
    response = client.get(reverse("home"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("my_space")
    assert "rattaché à aucune organisation" not in page
    assert card.national_id in page and "Livrée" in page
    assert "Activer ma carte" in page and reverse("cards:activate", args=[card.pk]) in page
    assert "Vous n'avez pas encore de rôle" in page


def test_once_active_his_space_shows_his_mandate(client, delivered):
    card = delivered(make_mandataire=True)
    client.force_login(card.holder)
    assert "Vous deviendrez alors" in client.get(reverse("my_space")).content.decode()
    services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
    page = client.get(reverse("my_space")).content.decode()
    assert "Activer ma carte" not in page and "Active" in page
    assert f"{Role.MANDATAIRE.label} de" in page and "Association Alpha" in page
    assert f'href="{reverse("my_space")}"' in page  # reachable from the header once home is the timeline

