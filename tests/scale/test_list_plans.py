"""The plans of the biggest lists at scale (PostgreSQL): the agent's card list, an organisation's fleet
and the directory search read an index in the list's order from the page's key, first page or deep
page, never a scan of the table then a sort. The rows come from rpps_plus.national at a small scale
(1,200 organisations, 45,000 cards, 60,000 professionals), analysed as at national scale."""

import pytest
from django.db import connection

from cards import ui_selectors
from contracts.models import Structure
from contracts.selectors import structure_list
from esms_portal.core import keyset
from rpps_plus import national, selectors
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres


def plan_of(queryset, *, deep: int | None, size: int) -> str:
    """The plan of the first page, or of the page after row `deep`."""
    cursor = None
    if deep is not None:
        ordered = queryset.order_by(*keyset.ordering_of(queryset))
        cursor = keyset.cursor_after(queryset, ordered[deep])
    query, _backwards = keyset.page_rows(queryset, cursor, size)
    return query.explain()


def assert_index_read(plan: str, index: str, table: str) -> None:
    assert f"Index Scan using {index} on {table}" in plan or f"Index Scan Backward using {index}" in plan, plan
    assert "Sort" not in plan and f"Seq Scan on {table}" not in plan, plan


def test_the_big_lists_read_their_index_from_the_page_key(db):
    national.load(0.03, say=lambda line: None)
    agent = UserFactory(is_staff=True)
    cards = ui_selectors.card_list(agent)
    for deep in (None, 30_000):
        assert_index_read(plan_of(cards, deep=deep, size=50), "card_list_order", "cards_card")
    organisation = Structure.objects.filter(kind="EJ").order_by("finess").first()
    with connection.cursor() as cursor:  # a big organisation: 3,000 cards of the 45,000
        cursor.execute("UPDATE cards_card SET organisation_id = %s WHERE holder_id %% 15 = 0", [organisation.pk])
        cursor.execute("ANALYZE cards_card")
    fleet = ui_selectors.card_list(agent, organisation_id=organisation.pk)
    for deep in (None, 2_000):
        assert_index_read(plan_of(fleet, deep=deep, size=25), "card_fleet_order", "cards_card")
    for criteria in ({"name": "M"}, {"name": "BER"}):
        entries = selectors.directory_entries(**criteria)
        for deep in (None, 200):
            assert_index_read(plan_of(entries, deep=deep, size=20), "situation_directory_name", "rpps_plus_situation")
    # The organisations by name, up to the last EJ and no further (the sites' names are not read).
    picker = ui_selectors.organisations_with_cards(agent)
    structures = structure_list(user=agent)
    for queryset, deep in ((picker, picker.count() - 10), (structures, structures.count() - 10)):
        plan = plan_of(queryset, deep=deep, size=25)
        assert "Index Scan using structure_kind_name" in plan and "Seq Scan on contracts_structure" not in plan, plan
    agents_situations = selectors.situations_list(agent)
    assert_index_read(plan_of(agents_situations, deep=40_000, size=50), "situation_name", "rpps_plus_situation")
