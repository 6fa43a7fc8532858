"""A request's state on its page, polled by htmx: the fragment for an htmx request, the page
otherwise, 286 once no agent has anything left to do, 404 across organisations."""

import pytest
from django.urls import reverse

from contracts import services as contract_services

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "request-state"}


def _state_url(contract, shown=""):
    return reverse("request-state", args=["contrats", contract.pk]) + (f"?shown={shown}" if shown else "")


def test_the_contract_page_polls_its_state(client, alice, submitted):
    client.force_login(alice)
    page = client.get(reverse("contracts:detail", args=[submitted.pk])).content.decode()
    assert f'hx-get="{_state_url(submitted, "submitted")}"' in page
    assert 'hx-trigger="every 10s"' in page


def test_the_fragment_answers_htmx_and_the_page_answers_otherwise(client, alice, submitted):
    client.force_login(alice)
    fragment = client.get(_state_url(submitted, "submitted"), headers=HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200 and body.lstrip().startswith("{% load") is False
    assert body.strip().startswith('<span id="request-state"') and "<html" not in body
    assert "Déposé" in body and "a changé d'état" not in body
    page = client.get(_state_url(submitted))
    assert (page.status_code, page.url) == (302, reverse("contracts:detail", args=[submitted.pk]))


def test_an_agents_decision_shows_and_stops_the_polling(client, alice, in_instruction, ana):
    client.force_login(alice)
    assert client.get(_state_url(in_instruction, "in_instruction"), headers=HTMX).status_code == 200
    contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    answer = client.get(_state_url(in_instruction, "in_instruction"), headers=HTMX)
    assert answer.status_code == 286
    body = answer.content.decode()
    assert "Accepté" in body and "La demande a changé d'état" in body and "hx-get" not in body


def test_another_organisation_gets_a_404(client, charlie, submitted):
    client.force_login(charlie)
    assert client.get(_state_url(submitted), headers=HTMX).status_code == 404
    assert client.get(reverse("request-state", args=["inconnu", submitted.pk]), headers=HTMX).status_code == 404
    assert client.get(reverse("request-state", args=["f999", "pas-un-uuid"]), headers=HTMX).status_code == 404


def test_the_form_pages_poll_their_state_too(client, alice, alpha, ana):
    from esms_portal.workflow.state_views import request_get_for_user
    from tests.kernel_app.services import f999_file

    form = f999_file(actor=alice, organisation=alpha, subject="x")
    client.force_login(ana)
    answer = client.get(reverse("request-state", args=["f999", form.pk]), headers=HTMX)
    assert answer.status_code == 200 and "Déposée" in answer.content.decode()
    assert request_get_for_user(ana, "f999", form.pk) == form
