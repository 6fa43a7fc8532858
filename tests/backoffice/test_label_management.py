"""The labels themselves: created, renamed and deleted by agents on the « Étiquettes » page and over the
API, through one service; a deleted label leaves the cases that carried it; organisations see nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal.backoffice import services
from esms_portal.core.errors import ActNotAllowed, InvalidInput
from esms_portal.models import AuditEntry, Case, Label

from .conftest import bulk_cases, preset

pytestmark = pytest.mark.django_db
PAGE = "/back-office/etiquettes/"
API = "/api/v1/back-office/labels/"


def test_an_agent_creates_a_label_with_a_dsfr_colour(ana):
    label = services.label_create(actor=ana, name="  Pièces   manquantes ", colour="green-emeraude")
    assert (label.name, label.colour) == ("Pièces manquantes", "green-emeraude")
    entry = AuditEntry.objects.get(act="label_create")
    assert (entry.actor, entry.object_id, entry.snapshot["name"]) == (ana, str(label.pk), "Pièces manquantes")


@pytest.mark.parametrize(("name", "colour", "code"), [("", "blue-ecume", "empty_label_name"),
                                                      ("x" * 41, "blue-ecume", "label_name_too_long"),
                                                      ("Bleu", "red-marianne", "invalid_label_colour")])
def test_a_label_needs_a_name_and_a_colour_of_the_list(ana, name, colour, code):
    with pytest.raises(InvalidInput) as refused:
        services.label_create(actor=ana, name=name, colour=colour)
    assert refused.value.code == code and not Label.objects.filter(colour="red-marianne").exists()


def test_two_labels_cannot_share_a_name_whatever_the_case(ana):
    preset("Urgent")
    with pytest.raises(services.LabelNameTaken):
        services.label_create(actor=ana, name="urgent", colour="blue-ecume")


def test_renaming_keeps_the_label_on_its_cases(ana, alpha):
    urgent = preset("Urgent")
    bulk_cases(alpha, 2, labels=[urgent])
    services.label_change(actor=ana, pk=urgent.pk, name="Très urgent", colour="orange-terre-battue")
    assert {label.name for case in Case.objects.all() for label in case.labels.all()} == {"Très urgent"}
    entry = AuditEntry.objects.get(act="label_change")
    assert entry.snapshot["before"]["name"] == "Urgent" and entry.snapshot["after"]["name"] == "Très urgent"


def test_deleting_a_label_in_use_detaches_it_from_its_cases(ana, alpha):
    urgent, later = preset("Urgent"), preset("À relancer")
    bulk_cases(alpha, 3, labels=[urgent, later])
    assert services.label_delete(actor=ana, pk=urgent.pk) == 3
    assert not Label.objects.filter(pk=urgent.pk).exists() and Case.objects.count() == 3
    assert [list(case.labels.all()) for case in Case.objects.all()] == [[later]] * 3
    assert AuditEntry.objects.get(act="label_delete").snapshot == {"name": "Urgent", "colour": "pink-tuile",
                                                                   "cases": 3}


def test_an_unknown_label_is_not_found(ana):
    with pytest.raises(services.LabelNotFound):
        services.label_delete(actor=ana, pk=999999)


def test_only_agents_manage_labels(alice):
    with pytest.raises(ActNotAllowed):
        services.label_create(actor=alice, name="Moi", colour="blue-ecume")


# The page.
def test_the_page_lists_the_labels_with_their_cases(client, ana, alpha):
    bulk_cases(alpha, 2, labels=[preset("Urgent")])
    client.force_login(ana)
    html = client.get(PAGE).content.decode()
    assert "fr-badge--pink-tuile" in html and "Urgent" in html and "2 dossiers" in html


def test_the_page_creates_a_label(client, ana):
    client.force_login(ana)
    response = client.post(PAGE, {"name": "Rappel", "colour": "purple-glycine"}, follow=True)
    assert "Étiquette « Rappel » créée." in response.content.decode()
    assert Label.objects.get(name="Rappel").colour == "purple-glycine"


def test_the_page_shows_a_taken_name_on_the_form(client, ana):
    preset("Urgent")
    client.force_login(ana)
    response = client.post(PAGE, {"name": "Urgent", "colour": "blue-ecume"})
    assert response.status_code == 400 and "Une étiquette porte déjà ce nom." in response.content.decode()


def test_the_page_renames_a_label(client, ana):
    urgent = preset("Urgent")
    client.force_login(ana)
    response = client.post(f"{PAGE}{urgent.pk}/", {f"l{urgent.pk}-name": "Prioritaire",
                                                    f"l{urgent.pk}-colour": "pink-tuile"}, follow=True)
    assert "Étiquette « Prioritaire » enregistrée." in response.content.decode()
    assert Label.objects.get(pk=urgent.pk).name == "Prioritaire"


def test_an_invalid_rename_is_shown_on_its_row(client, ana):
    urgent = preset("Urgent")
    client.force_login(ana)
    response = client.post(f"{PAGE}{urgent.pk}/", {f"l{urgent.pk}-name": "", f"l{urgent.pk}-colour": "pink-tuile"})
    assert response.status_code == 400 and "Donnez un nom à l&#x27;étiquette." in response.content.decode()
    assert Label.objects.get(pk=urgent.pk).name == "Urgent"


def test_the_page_reads_the_labels_in_one_query_however_many(client, ana):
    client.force_login(ana)
    counted = []
    for added in (1, 7):
        Label.objects.bulk_create([Label(name=f"Lot {len(counted)}-{n}") for n in range(added)])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE).status_code == 200
        counted.append(len(captured.captured_queries))
    assert counted[0] == counted[1]


def test_deleting_asks_for_confirmation_first(client, ana, alpha):
    urgent = preset("Urgent")
    bulk_cases(alpha, 2, labels=[urgent])
    client.force_login(ana)
    html = client.get(f"{PAGE}{urgent.pk}/supprimer/").content.decode()
    assert "Elle est posée sur 2 dossiers : elle en sera retirée." in html and Label.objects.filter(pk=urgent.pk)
    response = client.post(f"{PAGE}{urgent.pk}/supprimer/", follow=True)
    assert "Étiquette « Urgent » supprimée et retirée de 2 dossiers." in response.content.decode()
    assert not Label.objects.filter(pk=urgent.pk).exists()


def test_an_organisation_user_does_not_find_the_page(client, alice):
    urgent = preset("Urgent")
    client.force_login(alice)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"name": "Moi", "colour": "blue-ecume"}).status_code == 404
    assert client.post(f"{PAGE}{urgent.pk}/supprimer/").status_code == 404
    assert Label.objects.filter(pk=urgent.pk).exists() and not Label.objects.filter(name="Moi").exists()


def test_an_unknown_label_page_is_404(client, ana):
    client.force_login(ana)
    assert client.get(f"{PAGE}999999/supprimer/").status_code == 404
    assert client.post(f"{PAGE}999999/", {"l999999-name": "X", "l999999-colour": "blue-ecume"}).status_code == 404


# The API.
def test_the_api_creates_renames_and_deletes_a_label(api, ana, alpha):
    client = api(ana)
    created = client.post(API, {"name": "Rappel", "colour": "yellow-tournesol"}, format="json")
    assert created.status_code == 201 and created.json()["name"] == "Rappel"
    pk = created.json()["id"]
    bulk_cases(alpha, 1, labels=[Label.objects.get(pk=pk)])
    changed = client.patch(f"{API}{pk}/", {"name": "Relance"}, format="json")
    assert changed.json() == {"id": pk, "name": "Relance", "colour": "yellow-tournesol"}
    assert client.delete(f"{API}{pk}/").status_code == 204
    assert not Case.objects.get().labels.exists()
    assert list(AuditEntry.objects.filter(object_id=str(pk), act__startswith="label_").values_list(
        "act", flat=True).order_by("pk")) == ["label_create", "label_change", "label_delete"]


def test_the_api_answers_stable_codes(api, ana):
    preset("Urgent")
    client = api(ana)
    taken = client.post(API, {"name": "Urgent", "colour": "blue-ecume"}, format="json")
    assert (taken.status_code, taken.json()["code"]) == (409, "label_name_taken")
    missing = client.delete(f"{API}999999/")
    assert (missing.status_code, missing.json()["code"]) == (404, "label_not_found")
    missing = client.patch(f"{API}999999/", {"name": "X"}, format="json")
    assert (missing.status_code, missing.json()["code"]) == (404, "label_not_found")


def test_the_api_refuses_organisation_users(api, alice):
    urgent = preset("Urgent")
    answer = api(alice).delete(f"{API}{urgent.pk}/")
    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden_act")
    assert Label.objects.filter(pk=urgent.pk).exists()
