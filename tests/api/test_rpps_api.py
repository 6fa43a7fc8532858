import pytest

from rpps_plus.models import Situation
from rpps_plus.services.timeline import rpps_number_send, situation_publish
from tests.rpps_plus.conftest import (  # noqa: F401
    contracts_accepted,
    empty_cache,
    gamma,
    gina,
    other_site,
    person,
    registered,
    site,
    sms_outbox,
)

pytestmark = pytest.mark.django_db


def payload(where, **overrides):
    data = {**person(), "site": where.finess, **overrides}
    return {key: str(value) for key, value in data.items()}


@pytest.mark.rule("R-RPP-3")
def test_a_gestionnaire_registers_through_the_api(api, gina, site):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(site), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "active" and body["role_code"] == "GENR10" and body["profession"] == "Éducateur spécialisé"
    assert body["registered_by"] == "Gina Gestion"


@pytest.mark.rule("R-RPP-14")
def test_an_existing_number_answers_a_stable_code(api, gina, site):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(site, existing_number="99700771191"), format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_identified"


@pytest.mark.rule("R-RPP-8")
def test_invalid_fields_come_back_per_field(api, gina, site):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(site, mobile="12"), format="json")
    assert response.status_code == 400 and "mobile" in response.json()["details"]


@pytest.mark.rule("R-RPP-9")
def test_a_duplicate_answers_409(api, gina, site, registered):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(site), format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_registered"


def test_a_site_of_another_organisation_answers_404(api, charlie, site):  # noqa: F811
    response = api(charlie).post("/api/v1/rpps/situations/", payload(site), format="json")
    assert response.status_code == 404


def test_an_outsider_gets_404_on_a_situation_and_an_empty_list(api, charlie, registered):  # noqa: F811
    assert api(charlie).get(f"/api/v1/rpps/situations/{registered.pk}/").status_code == 404
    assert api(charlie).get("/api/v1/rpps/situations/").json()["results"] == []


@pytest.mark.rule("R-RPP-5")
def test_the_gestionnaire_ends_and_changes_the_role_through_the_api(api, gina, registered):  # noqa: F811
    client = api(gina)
    assert client.post(f"/api/v1/rpps/situations/{registered.pk}/change-role/", {"role_code": "GENR12"},
                       format="json").json()["role_code"] == "GENR12"
    ended = client.post(f"/api/v1/rpps/situations/{registered.pk}/end/", {"end_date": "2030-01-01"}, format="json")
    assert ended.json()["state"] == "ended"


@pytest.mark.rule("R-RPP-6")
def test_a_token_without_card_login_cannot_register_when_required(api, gina, site, settings):  # noqa: F811
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    response = api(gina).post("/api/v1/rpps/situations/", payload(site), format="json")
    assert response.status_code == 403 and response.json()["code"] == "card_login_required"


@pytest.mark.rule("R-RPP-4", "R-RPP-5")
def test_an_opposed_card_answers_gestionnaire_card_required(api, gina, alice, site):  # noqa: F811
    from cards.models import Card
    from cards.services import card_oppose

    card_oppose(actor=alice, card=Card.objects.get(holder=gina), reason="Départ")
    response = api(gina).post("/api/v1/rpps/situations/", payload(site), format="json")
    assert response.status_code == 403 and response.json()["code"] == "gestionnaire_card_required"


@pytest.mark.rule("R-RPP-11", "R-RPP-8")
def test_the_public_directory_api_searches_without_contact_or_birth_data(api, registered, site):  # noqa: F811
    rpps_number_send(registered.professional_id)
    assert api().get("/api/v1/rpps/annuaire/", {"name": "lef"}).json()["results"] == []
    situation_publish(registered.pk)
    rpps = Situation.objects.get().professional.rpps
    for query in ({"name": "LEFE"}, {"rpps": rpps}, {"site": site.finess}, {"profession": "326", "role": "GENR10"}):
        response = api().get("/api/v1/rpps/annuaire/", query)
        assert response.status_code == 200
        [entry] = response.json()["results"]
        assert entry["rpps"] == rpps and entry["role"].startswith("Accompagnement")
    text = str(api().get(f"/api/v1/rpps/annuaire/{registered.pk}/").json())
    for private in ("email", "mobile", "birth", "julie.lefevre", "+3361", "1985"):
        assert private not in text


def test_the_directory_api_wants_a_criterion(api):
    response = api().get("/api/v1/rpps/annuaire/")
    assert response.status_code == 400 and response.json()["code"] == "criteria_required"


def test_the_import_api_previews_then_confirms(api, gina, site):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rpps_plus.services.bulk import blank_template_csv

    content = blank_template_csv().replace("0B1000021", site.finess).encode()
    client = api(gina)
    preview = client.post("/api/v1/rpps/imports/", {"file": SimpleUploadedFile("t.csv", content)}, format="multipart")
    assert preview.status_code == 201 and preview.json()["rows"][0]["outcome"] == "create"
    confirmed = client.post(f"/api/v1/rpps/imports/{preview.json()['id']}/confirm/")
    assert confirmed.json()["state"] == "confirmed" and Situation.objects.count() == 1


@pytest.mark.rule("R-RPP-16")
def test_registering_without_a_contract_answers_409_contract_required(api, gamma):  # noqa: F811
    response = api(gamma.representative).post("/api/v1/rpps/situations/", payload(gamma.sites_for_test[0]))
    assert response.status_code == 409 and response.json()["code"] == "contract_required"
    assert not Situation.objects.exists()


@pytest.mark.rule("R-RPP-8")
def test_the_api_takes_the_birth_name_when_the_practice_name_is_empty(api, gina, site):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(site, practice_last_name=""))
    assert response.status_code == 201 and response.json()["practice_last_name"] == "Lefèvre"


@pytest.mark.rule("R-RPP-7")
def test_the_api_takes_a_profession_by_its_faq_name(api, gina, site):  # noqa: F811
    response = api(gina).post("/api/v1/rpps/situations/", payload(
        site, profession_code="", profession="Aide médico-psychologique (AMP)"))
    assert response.status_code == 201
    assert (response.json()["state"], response.json()["profession_code"]) == ("active", "328")
