import pytest
from django.urls import reverse

from cards import services
from cards.models import FormState
from tests.cards.conftest import staff_line


@pytest.fixture
def f301(alice, alpha, alice_card):
    return services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])


def detail(form):
    return reverse("cards:f301_detail", args=[form.pk])


def act(form, name):
    return reverse("cards:form_act", args=["f301", form.pk, name])


def test_the_page_shows_state_lines_and_unmet_prerequisites(client, alice, f301):
    client.force_login(alice)
    page = client.get(detail(f301)).content.decode()
    assert "Déposé" in page and "Lucie Bernard" in page
    assert "Le contrat d&#x27;adhésion de l&#x27;organisation doit être accepté." in page
    assert "Abandonner la demande" in page and "Prendre en charge" not in page


def test_an_agent_cannot_accept_while_prerequisites_are_unmet(client, ana, f301):
    client.force_login(ana)
    client.post(act(f301, "start_instruction"))
    page = client.get(detail(f301)).content.decode()
    assert "Accepter la demande" not in page and "Refuser la demande" in page
    response = client.post(act(f301, "accept"), {"confirmed": "1"}, follow=True)
    assert "contrat d&#x27;adhésion" in response.content.decode()
    f301.refresh_from_db()
    assert f301.state == FormState.IN_INSTRUCTION


def test_asking_completion_needs_a_reason_shown_to_the_organisation(client, alice, ana, f301):
    client.force_login(ana)
    client.post(act(f301, "start_instruction"))
    response = client.post(act(f301, "ask_completion"), {"reason": ""}, follow=True)
    assert "Un motif est obligatoire" in response.content.decode()
    client.post(act(f301, "ask_completion"), {"reason": "Précisez la fonction de Lucie."})
    client.force_login(alice)
    page = client.get(detail(f301)).content.decode()
    assert "Précisez la fonction de Lucie." in page and 'id="completion-answer"' in page
    client.post(act(f301, "complete"), {"reason": "C'est précisé."})
    f301.refresh_from_db()
    assert f301.state == FormState.IN_INSTRUCTION


def test_a_stale_decision_gets_a_message_not_an_error(client, ana, f301):
    client.force_login(ana)
    client.post(act(f301, "start_instruction"))
    services.form_reject(actor=ana, form=f301, reason="Doublon")
    response = client.post(act(f301, "reject"), {"reason": "Doublon", "confirmed": "1"}, follow=True)
    assert response.status_code == 200 and "a changé d&#x27;état" in response.content.decode()


def test_the_organisation_withdraws_its_form(client, bob, f301):
    client.force_login(bob)
    client.post(act(f301, "withdraw"))
    f301.refresh_from_db()
    assert f301.state == FormState.WITHDRAWN


def test_an_organisation_may_not_instruct(client, alice, f301):
    client.force_login(alice)
    response = client.post(act(f301, "start_instruction"), follow=True)
    assert "pas le droit" in response.content.decode()
    f301.refresh_from_db()
    assert f301.state == FormState.SUBMITTED


def test_outsiders_get_404_on_the_form_and_its_acts(client, charlie, f301):
    client.force_login(charlie)
    assert client.get(detail(f301)).status_code == 404
    assert client.post(act(f301, "withdraw")).status_code == 404
    assert client.get(reverse("cards:f101_detail", args=[f301.pk])).status_code == 404  # not an F101


def test_the_back_office_queue_links_to_the_form_page(client, ana, f301):
    client.force_login(ana)
    page = client.get(reverse("backoffice:queue_of", args=["f301"]), follow=True).content.decode()
    assert detail(f301) in page


def test_the_f101_and_f502_pages_show_their_own_data(client, alice, alpha, draft, accepted):
    from tests.factories import CardFactory

    f101 = services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue de la Paix")
    designee = CardFactory(active=True, organisation=alpha, holder_last_name="Morel")
    f502 = services.f502_file(actor=alice, organisation=alpha, action="designate", designee_card=designee)
    client.force_login(alice)
    assert "1 rue de la Paix" in client.get(reverse("cards:f101_detail", args=[f101.pk])).content.decode()
    page = client.get(reverse("cards:f502_detail", args=[f502.pk])).content.decode()
    assert "Désigner un mandataire" in page and "Morel" in page
