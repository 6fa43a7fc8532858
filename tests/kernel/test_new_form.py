"""A new form is its model, its declaration, its services and its templates: the test-only F999
(tests/kernel_app) gets its REST routes, acts, decision mail, audit, queue and scope from the kernel."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create
from esms_portal.workflow.backoffice import get_queue, queue_requests
from tests.kernel_app.models import SampleForm

pytestmark = pytest.mark.django_db
BASE = "/api/v1/test-forms/f999/"


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


@pytest.fixture
def filed(alice, alpha):
    response = _client(alice).post(BASE, {"organisation": str(alpha.pk), "subject": "Essai"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_filing_a_new_form_through_the_kernels_routes(filed, alice):
    assert (filed["form"], filed["state"], filed["subject"]) == ("F999", "submitted", "Essai")
    assert filed["history"][0]["act"] == "submit"
    assert len(_client(alice).get(BASE).json()["results"]) == 1


def test_the_agent_accepts_it_and_its_effect_and_mail_follow(filed, ana, django_capture_on_commit_callbacks):
    agent = _client(ana)
    assert agent.post(f"{BASE}{filed['id']}/start-instruction/").json()["state"] == "in_instruction"
    with django_capture_on_commit_callbacks(execute=True):
        accepted = agent.post(f"{BASE}{filed['id']}/accept/").json()
    assert (accepted["state"], accepted["effective"]) == ("accepted", True)
    assert [entry["act"] for entry in accepted["history"]] == ["submit", "start_instruction", "accept"]
    assert mail.outbox[-1].subject == "Votre demande F999 : acceptée"


def test_its_prerequisites_block_acceptance(alice, alpha, ana):
    form = _client(alice).post(BASE, {"organisation": str(alpha.pk), "subject": "x", "ready": False},
                               format="json").json()
    agent = _client(ana)
    agent.post(f"{BASE}{form['id']}/start-instruction/")
    refused = agent.post(f"{BASE}{form['id']}/accept/")
    assert (refused.status_code, refused.json()["code"]) == (409, "prerequisite_missing")
    assert refused.json()["details"]["unmet"] == ["Le formulaire de test n'est pas prêt."]


def test_it_waits_in_the_agents_queue(filed):
    queue = get_queue("f999")
    assert queue.label == "F999 — formulaire de test"
    assert [str(form.pk) for form in queue_requests(queue)] == [filed["id"]]


def test_another_organisation_never_sees_it(filed, charlie):
    assert _client(charlie).get(f"{BASE}{filed['id']}/").status_code == 404
    assert len(_client(charlie).get(BASE).json()["results"]) == 0
    assert SampleForm.objects.count() == 1
