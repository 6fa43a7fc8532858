"""French agreement on the pages: a « demande » is feminine, zero takes the singular (issue #15)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from cards import services
from tests.cards.conftest import staff_line


@pytest.mark.parametrize(("count", "expected"), [(0, "0 jour"), (1, "1 jour"), (2, "2 jours")])
def test_zero_and_one_take_the_singular(count, expected):
    template = Template('{% load french %}{{ n }} jour{{ n|pluriel }}')
    assert template.render(Context({"n": count})) == expected


def test_an_irregular_plural_is_given_both_endings():
    template = Template('{% load french %}{{ n }} journ{{ n|pluriel:"al,aux" }}')
    assert [template.render(Context({"n": n})) for n in (0, 3)] == ["0 journal", "3 journaux"]


def test_a_filed_form_is_deposee_since_zero_day(client, alice, alpha, alice_card):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    client.force_login(alice)
    page = client.get(reverse("cards:f301_detail", args=[order.pk])).content.decode()
    assert ">Déposée</span>" in page
    assert "0 jour d'instruction" in page and "0 jours" not in page


def test_a_search_without_result_says_zero_result(client, alice):
    client.force_login(alice)
    page = client.get(reverse("structures:search"), {"q": "introuvable-xyz"}).content.decode()
    assert "0 résultat<" in page
