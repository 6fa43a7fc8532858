"""A constant number of queries per page, whatever `_count` and the includes: the page, then one query
per kind of included resource for the whole page."""

from datetime import date

import pytest
from django.utils import timezone

from rpps_plus.models import Professional, Situation
from tests.factories import StructureFactory
from tests.fhir.conftest import ids, next_url, validated


@pytest.fixture
def crowd(alpha):
    """40 published professionals named MARTIN, each at two of alpha's 12 sites."""
    sites = [*alpha.sites_for_test, *(StructureFactory(legal_entity=alpha) for _ in range(10))]
    people = Professional.objects.bulk_create([
        Professional(civility="MME", last_name="Martin", first_names=f"Anne{n:02d}", birth_date=date(1980, 1, 1),
                     birth_commune_code="69123", identity_key=f"martin-{n}", email=f"martin{n}@example.org",
                     mobile="0612345678", rpps=f"2000000{n:04d}")
        for n in range(40)
    ])
    now = timezone.now()
    Situation.objects.bulk_create([
        Situation(professional=p, site=sites[(n + shift) % len(sites)], practice_last_name="Martin",
                  practice_first_name=p.first_names, search_name=f"MARTIN {p.first_names.upper()}",
                  profession_code="326", role_code="GENR10", start_date=date(2024, 1, 1), state="active",
                  registered_at=now, published_at=now)
        for n, p in enumerate(people) for shift in (0, 1)
    ])
    return people


SEARCHES = [
    ("Practitioner", {"family": "martin"}, 2),  # the page, then its roles (the names; revincluded alike)
    ("Practitioner", {"family": "martin", "_revinclude": "PractitionerRole:practitioner"}, 2),
    ("Practitioner", {"identifier": ",".join(f"2000000{n:04d}" for n in range(20)),
                      "_revinclude": "PractitionerRole:practitioner"}, 2),
    ("PractitionerRole", {"role": "GENR10"}, 1),
    ("PractitionerRole", {"role": "GENR10", "_include": ["PractitionerRole:practitioner",
                                                        "PractitionerRole:organization"]}, 3),
    ("Organization", {"partof": "ALPHA"}, 1),
    ("Organization", {"partof": "ALPHA", "_revinclude": "PractitionerRole:organization",
                      "_include": "Organization:partof"}, 3),
]


@pytest.mark.parametrize(("path", "params", "queries"), SEARCHES)
def test_the_same_queries_whatever_the_page_size_and_on_every_page(client, crowd, alpha, path, params, queries,
                                                                   django_assert_num_queries):
    params = {name: (str(alpha.pk) if value == "ALPHA" else value) for name, value in params.items()}
    for count in ("1", "3", "5"):
        with django_assert_num_queries(queries):
            response = client.get(f"/fhir/{path}", {**params, "_count": count})
        bundle = validated(response.json())
        assert len(ids(bundle, path)) == int(count)
    with django_assert_num_queries(queries):
        second = validated(client.get(next_url(bundle)).json())
    assert ids(second, path) and not set(ids(second, path)) & set(ids(bundle, path))


def test_a_read_costs_one_or_two_queries(client, crowd, alpha, django_assert_num_queries):
    role = Situation.objects.filter(professional=crowd[0]).first()
    with django_assert_num_queries(2):  # the professional, his published roles (his names)
        assert client.get(f"/fhir/Practitioner/{crowd[0].pk}").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/fhir/PractitionerRole/{role.pk}").status_code == 200
    with django_assert_num_queries(1):  # the structure, its EJ joined (partOf)
        assert client.get(f"/fhir/Organization/{alpha.sites_for_test[0].pk}").status_code == 200
