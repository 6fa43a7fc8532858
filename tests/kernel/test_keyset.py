"""Keyset pages (esms_portal.core.keyset): every row once, in order, forwards and backwards, with ties on
the ordering's first fields; opaque cursors that cannot be forged; capped counts in French."""

import pytest

from cards.models import Card
from contracts.models import Structure
from esms_portal.core import keyset
from tests.factories import CardFactory, UserFactory


@pytest.fixture
def cards(alpha):
    holders = [UserFactory(last_name=name, first_name="Anne") for name in ("Dupont", "Dupont", "Martin", "Abel")]
    return [CardFactory(holder=holders[n % 4], organisation=alpha) for n in range(11)]


def walk(queryset, size: int) -> list[keyset.Page]:
    pages = [keyset.page(queryset, None, size)]
    while pages[-1].next:
        pages.append(keyset.page(queryset, pages[-1].next, size))
    return pages


def test_pages_by_key_give_every_row_once_in_the_lists_order(cards):
    queryset = Card.objects.all()  # Meta.ordering: names, then -created_at (mixed directions), pk appended
    pages = walk(queryset, 4)
    assert [len(p.rows) for p in pages] == [4, 4, 3]
    assert [c.pk for p in pages for c in p.rows] == list(queryset.order_by(*keyset.ordering_of(queryset))
                                                         .values_list("pk", flat=True))
    assert pages[0].previous is None and pages[-1].next is None


def test_previous_pages_are_the_same_pages_backwards(cards):
    pages = walk(Card.objects.all(), 4)
    back = keyset.page(Card.objects.all(), pages[2].previous, 4)
    assert back.rows == pages[1].rows and back.next and back.previous
    first = keyset.page(Card.objects.all(), back.previous, 4)
    assert first.rows == pages[0].rows and first.previous is None


def test_a_forged_or_foreign_cursor_is_invalid(cards):
    cursor = keyset.page(Card.objects.all(), None, 4).next
    for bad in (cursor[:-2] + "xx", "not-a-cursor", cursor.replace(":", "", 1)):
        with pytest.raises(keyset.InvalidCursor):
            keyset.page(Card.objects.all(), bad, 4)
    with pytest.raises(keyset.InvalidCursor):  # signed, but for another list's ordering
        keyset.page(Structure.objects.all(), cursor, 4)


@pytest.mark.parametrize(("count", "label"), [(0, "0 carte"), (1, "1 carte"), (3, "3 cartes"),
                                                (4, "plus de 3 cartes")])
def test_counts_are_capped_and_agree_in_french(alpha, count, label):
    CardFactory.create_batch(count, organisation=alpha)
    assert keyset.count_label(Card.objects.all(), "carte", "cartes", cap=3) == label

