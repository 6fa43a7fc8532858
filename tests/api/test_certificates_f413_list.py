"""F413 list and detail over the API: scoped, filtered, constant queries; 404 outside."""

from certificates import services
from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted = cast.f413, cast.f413_accepted

URL = "/api/v1/certificates/f413/"


def file(alice, alpha, dave):
    return services.f413_file(actor=alice, organisation=alpha, structure_id_kind="finess",
                              structure_id=alpha.sites_for_test[0].finess, certificate_types=["ORG_SIGN"],
                              administrator_emails=[dave.email])


def test_members_and_agents_list_the_f413(api, f413, alice, ana):
    for user in (alice, ana):
        (item,) = api(user).get(URL).json()["results"]
        assert item["id"] == str(f413.pk) and item["form"] == "F413" and item["state"] == "submitted"


def test_the_state_filter(api, f413_accepted, alice):
    assert len(api(alice).get(URL, {"state": "accepted"}).json()["results"]) == 1
    assert len(api(alice).get(URL, {"state": "submitted"}).json()["results"]) == 0
    assert api(alice).get(URL, {"state": "perdu"}).json()["code"] == "invalid_filter"


def test_an_outsider_lists_nothing_and_reads_nothing(api, f413, charlie, alpha):
    assert len(api(charlie).get(URL, {"organisation": str(alpha.pk)}).json()["results"]) == 0
    response = api(charlie).get(f"{URL}{f413.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_detail_lists_the_unmet_prerequisites(api, f413, alice, dave):
    from cards.models import Card

    Card.objects.filter(holder=dave).update(state="opposed")
    data = api(alice).get(f"{URL}{f413.pk}/").json()
    assert data["unmet_prerequisites"] == ["Chaque administrateur désigné doit détenir une carte CPx active."]
    assert data["structure_id"] == f413.structure_id and data["server_names"] == ["dui.alpha.fr"]


def test_the_list_costs_the_same_queries_for_1_or_5_forms(api, f413, alice, alpha, dave, django_assert_num_queries):
    client = api(alice)
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(URL)
    for _ in range(4):
        file(alice, alpha, dave)
    with django_assert_num_queries(2):
        assert len(client.get(URL).json()["results"]) == 5
