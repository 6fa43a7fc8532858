"""The technical administrators of the caller's organisations (R-CER-1, R-CER-4)."""

from django.utils import timezone

from certificates.models import TechnicalAdministrator
from tests.certificates import conftest as cast

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted = cast.f413, cast.f413_accepted

URL = "/api/v1/certificates/administrators/"


def test_the_members_see_who_administers_their_certificates(api, f413_accepted, alice, dave, alpha):
    for user in (alice, dave):
        (item,) = api(user).get(URL).json()["results"]
        assert item["user"] == {"name": str(dave), "email": dave.email}
        assert item["organisation"]["id"] == str(alpha.pk) and item["granted_by_form"] == "F413"


def test_ended_rights_only_on_request(api, f413_accepted, alice):
    TechnicalAdministrator.objects.update(ended_at=timezone.now())
    assert len(api(alice).get(URL).json()["results"]) == 0
    assert len(api(alice).get(URL, {"include_ended": "true"}).json()["results"]) == 1


def test_an_outsider_sees_none(api, f413_accepted, charlie, alpha):
    assert len(api(charlie).get(URL, {"organisation": str(alpha.pk)}).json()["results"]) == 0


def test_the_list_costs_3_queries(api, f413_accepted, alice, django_assert_num_queries):
    client = api(alice)
    with django_assert_num_queries(2):  # token, page (no count)
        client.get(URL)
