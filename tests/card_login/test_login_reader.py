"""Card login with the reader attached to the portal's machine, through pcscd + vpcd (R-RPP-6)."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import Card
from esms_portal.models import AuditEntry

from .conftest import PIN, WRONG_PIN

pytestmark = [pytest.mark.pcsc, pytest.mark.django_db(transaction=True)]


def login(client, pin=PIN):
    return client.post(reverse("card_login:reader"), {"pin": pin, "next": "/"})


def card_state(client) -> bool:
    return client.get(reverse("card_login:state")).json()["card_authenticated"]


@pytest.mark.rule("R-RPP-6")
def test_it_logs_the_holder_in_with_a_valid_card(client, slot, gestionnaire_card, gestionnaire):
    slot.insert(gestionnaire_card)

    response = login(client)

    assert response.status_code == 302, response.content.decode()
    assert client.session["_auth_user_id"] == str(gestionnaire.pk)
    assert card_state(client) is True
    entry = AuditEntry.objects.get(act="card_login", object_id=str(gestionnaire_card.pk))
    assert entry.actor == gestionnaire and entry.reason == "lecteur"


def test_a_wrong_pin_says_the_tries_left_then_the_card_blocks(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)

    first, second = login(client, WRONG_PIN), login(client, WRONG_PIN)
    third = login(client, WRONG_PIN)

    assert "il reste 2 essais" in first.content.decode()
    assert "il reste 1 essai " in second.content.decode()
    assert "Carte bloquée" in third.content.decode()
    assert Card.objects.get(pk=gestionnaire_card.pk).pin_tries_left == 0
    assert card_state(client) is False


def test_a_blocked_card_stays_blocked_at_the_next_insertion(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    for _ in range(3):
        login(client, WRONG_PIN)
    slot.remove()
    slot.insert(Card.objects.get(pk=gestionnaire_card.pk))

    response = login(client, PIN)

    assert response.status_code == 403
    assert "Carte bloquée" in response.content.decode()


@pytest.mark.rule("R-CRD-11")
def test_an_opposed_card_is_refused(client, slot, gestionnaire_card, alice):
    services.card_oppose(actor=alice, card=gestionnaire_card, reason="Départ de l'agent")
    slot.insert(gestionnaire_card)

    response = login(client)

    assert response.status_code == 403
    assert "révoqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.rule("R-CRD-11")
def test_an_opposed_card_is_refused_before_its_revocation_is_published(client, slot, gestionnaire_card):
    Card.objects.filter(pk=gestionnaire_card.pk).update(state="opposed")  # certificate not revoked yet
    slot.insert(gestionnaire_card)

    response = login(client)

    assert response.status_code == 403
    assert "opposition" in response.content.decode()


@pytest.mark.rule("R-CRD-11")
def test_opposing_the_card_ends_its_session_at_the_next_request(client, slot, gestionnaire_card, alice):
    slot.insert(gestionnaire_card)
    login(client)

    services.card_oppose(actor=alice, card=gestionnaire_card, reason="Carte perdue")

    assert card_state(client) is False


def test_removing_the_card_ends_the_card_session(client, slot, gestionnaire_card, gestionnaire):
    slot.insert(gestionnaire_card)
    login(client)
    assert card_state(client) is True

    slot.remove()

    assert card_state(client) is False
    assert client.session["_auth_user_id"] == str(gestionnaire.pk)  # the plain session goes on


def test_putting_the_card_back_does_not_restore_the_card_session(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    login(client)
    slot.remove()
    slot.insert(gestionnaire_card)

    assert card_state(client) is False


def test_logging_out_ends_the_card_session(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    login(client)

    client.post(reverse("logout"))

    assert card_state(client) is False


def test_no_card_in_the_reader_is_said_in_french(client, slot, gestionnaire_card):
    response = login(client)

    assert response.status_code == 409  # not a refusal: the card is to be inserted
    assert "Aucune carte dans le lecteur" in response.content.decode()


def test_a_card_that_is_not_a_cpx_is_refused(client, slot, gestionnaire_card):
    from cards.emulator import virtual_card_for

    chip = virtual_card_for(gestionnaire_card)
    chip.atr = bytes.fromhex("3B8680015059434152441A")
    slot.insert(chip)

    response = login(client)

    assert "pas une carte CPx reconnue" in response.content.decode()


def test_the_page_offers_the_agent_and_the_reader(client, slot):
    response = client.get(reverse("card_login:page"))

    assert response.status_code == 200
    assert "agent de carte" in response.content.decode()
    assert "Se connecter avec le lecteur" in response.content.decode()


def test_a_malformed_pin_is_a_bad_request_and_a_missing_reader_is_unavailable(client, slot, gestionnaire_card,
                                                                              settings):
    slot.insert(gestionnaire_card)
    assert login(client, "12").status_code == 400
    settings.PORTAL_CARD_READER = "Lecteur absent 00 00"
    response = login(client)
    assert response.status_code in (409, 503) and "pcscd" not in response.content.decode()
