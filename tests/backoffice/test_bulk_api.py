"""The bulk acts over the API: the same report as the page, as JSON."""

import pytest
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db
URL = "/api/v1/back-office/lots/"


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


def test_the_api_returns_the_report(alice, alpha, ana):
    ready = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    unready = file_forms(alice, alpha, 1, ready=False, in_instruction_by=ana)[0]
    answer = _client(ana).post(URL, {"act": "accept", "cases": [ref(ready), ref(unready)]}, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["state"], body["total"], body["done"], body["skipped"]) == ("done", 2, 1, 1)
    assert body["cases"] == [{"ref": ref(ready), "outcome": "done", "reason": ""},
                             {"ref": ref(unready), "outcome": "skipped",
                              "reason": "Le formulaire de test n'est pas prêt."}]
    assert _client(ana).get(f"{URL}{body['id']}/").json() == body


def test_over_500_cases_the_api_answers_a_400_with_its_code(ana):
    answer = _client(ana).post(URL, {"act": "accept", "cases": [f"f999:{n}" for n in range(501)]}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (400, "too_many_cases")


def test_over_50_cases_the_job_is_accepted_for_the_background(ana):
    answer = _client(ana).post(URL, {"act": "accept", "cases": [f"f999:{n}" for n in range(51)]}, format="json")
    assert (answer.status_code, answer.json()["state"], answer.json()["background"]) == (202, "pending", True)


def test_an_organisation_user_is_refused(alice, alpha, ana):
    form = file_forms(alice, alpha, 1)[0]
    answer = _client(alice).post(URL, {"act": "accept", "cases": [ref(form)]}, format="json")
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden_act")
    job_id = _client(ana).post(URL, {"act": "start_instruction", "cases": [ref(form)]}, format="json").json()["id"]
    assert _client(alice).get(f"{URL}{job_id}/").status_code == 404
