import pytest
from django.urls import reverse

from cards.models import Card, CardState, FormState, StaffCardOrder
from tests.factories import CardFactory, UserFactory

URL = reverse("cards:f301_new")


def line(index, **values) -> dict:
    data = {
        "last_name": "Bernard", "first_names": "Lucie", "email": "lucie@alpha.example",
        "title": "Infirmière coordinatrice", "delivery_address": "3 rue des Lilas, 75011 Paris",
    }
    data.update(values)
    return {f"lignes-{index}-{key}": value for key, value in data.items()}


def management(total) -> dict:
    return {"lignes-TOTAL_FORMS": str(total), "lignes-INITIAL_FORMS": "0",
            "lignes-MIN_NUM_FORMS": "1", "lignes-MAX_NUM_FORMS": "50"}


def test_the_form_offers_the_sites_of_the_organisation_and_the_mandataire_box(client, alice, alpha, alice_card):
    client.force_login(alice)
    page = client.get(URL).content.decode()
    for site in alpha.sites_for_test:
        assert site.name in page and str(site.pk) in page
    assert "Désigner cette personne mandataire" in page


def test_adding_a_line_keeps_what_was_typed(client, alice, alpha, alice_card):
    client.force_login(alice)
    site = alpha.sites_for_test[0]
    data = {**management(1), **line(0, **{"establishments": [str(site.pk)]}), "add_line": "1"}
    page = client.post(URL, data).content.decode()
    assert "Personne 2" in page and 'value="Bernard"' in page
    assert f'value="{site.pk}" checked' in page
    assert "Ce champ est obligatoire" not in page  # the blank new line is not an error
    assert not StaffCardOrder.objects.exists()


def test_a_blank_second_line_is_skipped(client, alice, alpha, alice_card):
    client.force_login(alice)
    client.post(URL, {**management(2), **line(0)})
    order = StaffCardOrder.objects.get()
    assert order.lines.count() == 1


def test_an_incomplete_line_shows_its_errors_with_the_data_kept(client, alice, alpha, alice_card):
    client.force_login(alice)
    page = client.post(URL, {**management(1), **line(0, email="pas-un-courriel")}).content.decode()
    assert "Saisissez une adresse e-mail valide." in page and 'value="Bernard"' in page
    assert not StaffCardOrder.objects.exists()


def test_filing_without_a_card_is_refused_in_french(client, alice, alpha):
    client.force_login(alice)
    page = client.post(URL, {**management(1), **line(0)}).content.decode()
    assert "Commander en ligne demande" in page and 'value="Bernard"' in page


def test_an_outsider_cannot_file_for_another_organisation(client, charlie, alpha):
    client.force_login(charlie)
    assert client.get(URL, {"organisation": alpha.pk}).status_code == 404


def test_an_f301_filed_through_the_page_then_accepted_by_an_agent_through_the_page(
    client, alice, ana, alpha, accepted, alice_card
):
    client.force_login(alice)
    site = alpha.sites_for_test[1]
    data = {
        **management(2), **line(0, make_mandataire="on"),
        **line(1, last_name="Morel", first_names="Paul", email="paul@alpha.example", establishments=[str(site.pk)]),
    }
    response = client.post(URL, data, follow=True)
    order = StaffCardOrder.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cards:f301_detail", args=[order.pk])
    assert "F301 déposée" in response.content.decode()

    client.force_login(ana)
    detail = client.get(reverse("cards:f301_detail", args=[order.pk])).content.decode()
    assert "Prendre en charge" in detail and "Lucie Bernard" in detail
    client.post(reverse("cards:form_act", args=["f301", order.pk, "start_instruction"]))
    response = client.post(reverse("cards:form_act", args=["f301", order.pk, "accept"]), {"confirmed": "1"},
                           follow=True)
    assert f"La demande F301 n° {str(order.pk)[:8].upper()} est acceptée." in response.content.decode()

    order.refresh_from_db()
    assert order.state == FormState.ACCEPTED
    cards = {card.holder_last_name: card for card in Card.objects.filter(ordered_through="F301")}
    assert set(cards) == {"Bernard", "Morel"} and cards["Bernard"].make_mandataire
    assert list(cards["Morel"].establishments.all()) == [site]
    assert all(card.state == CardState.ORDERED for card in cards.values())
    page = client.get(reverse("cards:f301_detail", args=[order.pk])).content.decode()
    assert reverse("cards:card_detail", args=[cards["Morel"].pk]) in page


@pytest.mark.rule("R-CRD-19", "R-CRD-4")
def test_a_carded_mandataire_is_refused_with_a_link_to_the_f502(client, alice, alpha, alice_card, accepted):
    CardFactory(active=True, holder=UserFactory(email="lucie@alpha.example"), organisation=alpha)
    client.force_login(alice)
    page = client.post(URL, {**management(1), **line(0, make_mandataire="on")}).content.decode()
    assert "désignez-la mandataire par une F502" in page and 'value="Bernard"' in page
    assert f'href="{reverse("cards:f502_new")}?organisation={alpha.pk}"' in page
    assert not StaffCardOrder.objects.exists()


@pytest.mark.rule("R-CRD-19")
def test_a_mandataire_is_told_of_the_f502_without_a_link_he_could_not_follow(client, bob, alpha, accepted):
    CardFactory(active=True, holder=bob, organisation=alpha)
    CardFactory(active=True, holder=UserFactory(email="lucie@alpha.example"), organisation=alpha)
    client.force_login(bob)
    page = client.post(URL, {**management(1), **line(0, make_mandataire="on")}).content.decode()
    assert "désignez-la mandataire par une F502" in page and reverse("cards:f502_new") not in page


def test_removing_a_line_keeps_the_others(client, alice, alpha, alice_card):
    client.force_login(alice)
    data = {**management(2), **line(0), **line(1, last_name="Roux", email="roux@alpha.example"), "remove_line": "0"}
    page = client.post(URL, data).content.decode()
    assert 'value="Roux"' in page and 'value="Bernard"' not in page
    assert "Personne 2" not in page and not StaffCardOrder.objects.exists()


def test_an_empty_form_says_in_french_that_a_person_is_needed(client, alice, alpha, alice_card):
    client.force_login(alice)
    page = client.post(URL, {**management(1), **line(0, last_name="", first_names="", email="", title="",
                                                      delivery_address="")}).content.decode()
    assert "Renseignez au moins une personne à équiper." in page
    assert "formulaire" not in page.split("<main", 1)[1] and "Ce champ est obligatoire" not in page
