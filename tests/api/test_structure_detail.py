import uuid

import pytest

from tests.factories import StructureFactory


def url(structure_id):
    return f"/api/v1/structures/{structure_id}/"


def test_a_member_reads_a_site_of_his_organisation(api, bob, alpha):
    site = alpha.sites_for_test[0]
    response = api(bob).get(url(site.pk))
    assert response.status_code == 200
    body = response.json()
    assert body["finess"] == site.finess and body["name"] == "EHPAD Les Tilleuls"
    assert body["legal_entity"] == str(alpha.pk)


def test_it_checks_ownership(api, charlie, alpha):
    response = api(charlie).get(url(alpha.pk))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Ressource introuvable."}
    assert "Alpha" not in response.content.decode()


def test_an_unknown_id_is_the_same_404(api, alice, alpha):
    response = api(alice).get(url(uuid.uuid4()))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_malformed_id_is_a_json_404(api, alice, alpha):
    response = api(alice).get("/api/v1/structures/123/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_ans_agent_reads_any_structure(api, ana, beta):
    assert api(ana).get(url(beta.pk)).json()["name"] == "Fondation Beta"


@pytest.mark.rule("R-FIN-3")
def test_a_structure_identified_by_siret_is_readable(api, alice, alpha):
    editor = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074", gives_care=False)
    body = api(alice).get(url(editor.pk)).json()
    assert (body["finess"], body["siret"], body["gives_care"]) == (None, "73282932000074", False)


def test_without_a_token_the_answer_is_401(api, alpha):
    assert api().get(url(alpha.pk)).status_code == 401


def test_deleting_is_a_405(api, ana, alpha):
    response = api(ana).delete(url(alpha.pk))
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
