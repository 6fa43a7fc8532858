"""/api/v1/back-office/: the same queue, filters, assignment, labels and notes, agents only."""

import pytest
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create
from esms_portal.backoffice.services import case_take
from esms_portal.models import Case

from .conftest import bulk_cases, preset, ref

pytestmark = pytest.mark.django_db
BASE = "/api/v1/back-office/"


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


def test_an_organisation_gets_403(alice, f999):
    response = api(alice).get(f"{BASE}cases/")
    assert (response.status_code, response.json()["code"]) == (403, "forbidden_act")


def test_the_queue_lists_every_declared_type(ana, f999, submitted):
    rows = api(ana).get(f"{BASE}cases/").json()["results"]
    assert {row["ref"] for row in rows} == {ref(f999), ref(submitted)}
    row = next(row for row in rows if row["type"] == "f999")
    assert (row["type_label"], row["state_label"], row["assignee"], row["labels"]) == (
        "F999 — formulaire de test", "Déposée", None, [])


def test_filters_and_search(ana, f999, beta_f999, alpha):
    rows = api(ana).get(f"{BASE}cases/", {"q": alpha.finess, "type": "f999"}).json()["results"]
    assert [row["ref"] for row in rows] == [ref(f999)]


def test_a_bad_filter_is_a_400_with_its_code(ana):
    response = api(ana).get(f"{BASE}cases/", {"tab": "nope"})
    assert (response.status_code, response.json()["code"]) == (400, "invalid_filter")


def test_counts_per_type(ana, f999, beta_f999):
    counts = {row["type"]: row for row in api(ana).get(f"{BASE}counts/").json()}
    assert (counts["f999"]["waiting"], counts[""]["waiting"]) == (2, 2)


def test_pages_by_cursor_with_constant_queries(ana, alpha, django_assert_num_queries):
    bulk_cases(alpha, 12, labels=[preset("Urgent")])
    client = api(ana)
    first = client.get(f"{BASE}cases/", {"page_size": 5}).json()
    assert len(first["results"]) == 5 and first["next"]
    with django_assert_num_queries(4):  # token, page, its labels, its unread messages
        second = client.get(first["next"]).json()
    assert len(second["results"]) == 5


def test_take_then_conflict(ana, olga, f999):
    taken = api(ana).post(f"{BASE}cases/{ref(f999)}/take/")
    assert (taken.status_code, taken.json()["assignee"]["name"]) == (200, "Ana Agent")
    again = api(olga).post(f"{BASE}cases/{ref(f999)}/take/")
    assert (again.status_code, again.json()["code"]) == (409, "case_taken")


def test_assign_label_annotate_follow_release(ana, olga, f999):
    client = api(ana)
    urgent = preset("Urgent")
    assert client.post(f"{BASE}cases/{ref(f999)}/assign/", {"to": olga.pk}, format="json").json()["assignee"][
        "id"] == olga.pk
    labelled = client.post(f"{BASE}cases/{ref(f999)}/labels/", {"add": [urgent.pk]}, format="json").json()
    assert [label["name"] for label in labelled["labels"]] == ["Urgent"]
    note = client.post(f"{BASE}cases/{ref(f999)}/notes/", {"body": "À rappeler"}, format="json")
    assert (note.status_code, note.json()["author"]) == (201, "Ana Agent")
    assert [n["body"] for n in client.get(f"{BASE}cases/{ref(f999)}/notes/").json()] == ["À rappeler"]
    assert client.delete(f"{BASE}cases/{ref(f999)}/follow/").status_code == 200
    assert ana not in Case.objects.get().followers.all()
    released = api(olga).post(f"{BASE}cases/{ref(f999)}/release/")
    assert released.json()["assignee"] is None


def test_errors_are_portal_codes(ana, alice, f999):
    client = api(ana)
    assert client.post(f"{BASE}cases/{ref(f999)}/assign/", {"to": alice.pk}, format="json").json()["code"] == \
        "not_an_agent"
    assert client.post(f"{BASE}cases/{ref(f999)}/labels/", {"add": [99999]}, format="json").json()["code"] == \
        "unknown_label"
    assert client.get(f"{BASE}cases/nope/").json()["code"] == "invalid_case_ref"
    missing = client.get(f"{BASE}cases/f999:00000000-0000-0000-0000-000000000000/")
    assert (missing.status_code, missing.json()["code"]) == (404, "case_not_found")
    assert client.post(f"{BASE}cases/{ref(f999)}/release/").json()["code"] == "not_case_instructor"


def test_export_over_the_api(ana, alpha):
    bulk_cases(alpha, 3)
    response = api(ana).get(f"{BASE}export/", {"format": "csv", "columns": ["organisation", "state"]})
    body = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert body[0] == "Organisation;État" and len(body) == 4


def test_case_taken_by_another_shows_in_the_list(ana, olga, f999):
    case_take(actor=olga, ref=ref(f999))
    row = api(ana).get(f"{BASE}cases/", {"assigned": "none"}).json()["results"]
    assert row == []
