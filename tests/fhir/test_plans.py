"""The FHIR searches read indexes at scale (PostgreSQL): rows from rpps_plus.national at a small scale
(60,000 professionals), analysed as at national scale; never a scan of the professionals or of the
situations."""

import re

import pytest
from django.http import QueryDict

from contracts.models import Structure
from esms_portal.core import keyset
from rpps_plus import national
from rpps_plus.fhir import codes, search

pytestmark = pytest.mark.postgres


def plan_of(resource_type: str, query: str) -> str:
    kind = search.resource_type(resource_type)
    params = QueryDict(query)
    criteria = [(name, params.getlist(name) if name == "_lastUpdated" else params[name]) for name in params]
    queryset, order = kind.build(criteria)
    rows, _backwards = keyset.page_rows(queryset.order_by(*order), None, 20)
    return rows.explain()


def assert_indexes(plan: str, *indexes: str) -> None:
    """Each of `indexes` read (any of the names separated by "|"; a name ending in "*" is a prefix, for
    Django's hashed index names), and no table scanned."""
    for names in indexes:
        patterns = [re.escape(index[:-1]) + r"\w*" if index.endswith("*") else re.escape(index)
                    for index in names.split("|")]
        assert any(re.search(rf"(using|Index Scan on) {pattern} ", plan) for pattern in patterns), plan
    for table in ("rpps_plus_professional", "rpps_plus_situation"):
        assert f"Seq Scan on {table}" not in plan, plan


def test_the_fhir_searches_read_indexes(db):
    national.load(0.03, say=lambda line: None)
    site = Structure.objects.filter(kind="EG").order_by("finess").first()
    rpps = national.Professional.objects.order_by("pk").values_list("rpps", flat=True)[500]
    # Either index on the RPPS number answers the equality at the same cost (the unique one, or Django's
    # `_like` one for LIKE): the planner's pick between them depends on their sizes after earlier tests.
    assert_indexes(plan_of("Practitioner", f"identifier={codes.RPPS}|{rpps}"),
                   "rpps_plus_professional_rpps_key|rpps_plus_professional_rpps_5d113a6a_like")
    for prefix in ("BERMA", "LA", "M"):  # few, many, most: the directory's name index in order either way
        assert_indexes(plan_of("Practitioner", f"family={prefix}"), "situation_directory_name")
    assert_indexes(plan_of("Practitioner", "given=ZOE"), "situation_given")  # a rare name
    assert_indexes(plan_of("Practitioner", "given=JUL"))  # 1 in 12: professionals in order, until 21 match
    assert_indexes(plan_of("Practitioner", "_lastUpdated=gt2026-06-01"),
                   "professional_updated|rpps_plus_professional_updated_at_*")
    assert_indexes(plan_of("PractitionerRole", "_lastUpdated=gt2026-06-01"),
                   "situation_published_updated|rpps_plus_situation_updated_at_*")
    assert_indexes(plan_of("PractitionerRole", f"organization={site.pk}"), "situation_directory_site")
    assert_indexes(plan_of("PractitionerRole", "role=GENR10"), "situation_directory_name")
    rare = f"specialty={codes.R85_PROFESSION}|328"  # every national professional is 326
    assert_indexes(plan_of("PractitionerRole", rare), "situation_directory_profession")
