"""The agents' queue names regions as people say them, not by their INSEE code."""

import re

from django.urls import reverse


def test_the_queue_shows_the_region_by_name(client, ana, submitted):
    client.force_login(ana)
    page = client.get(reverse("backoffice:queue")).content.decode()
    assert "— Île-de-France" in page  # alpha's region, code 11
    assert not re.search(r"— 11\b", page)


def test_the_queue_filters_on_a_region_chosen_by_name(client, ana, submitted, charlie, beta):
    from contracts import services
    from tests.factories import complete_contract_data

    beta.region = "84"
    beta.save(update_fields=["region"])
    other = services.contract_start(actor=charlie, structure=beta)
    services.contract_update(actor=charlie, contract_pk=other.pk, data=complete_contract_data(), cgu_accepted=True)
    services.contract_submit(actor=charlie, contract_pk=other.pk)
    client.force_login(ana)
    page = client.get(reverse("backoffice:queue"), {"region": "84"}).content.decode()
    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in page
    assert "Fondation Beta" in page and "Association Alpha" not in page


def test_an_unknown_region_code_is_shown_as_it_is():
    from django.template import Context, Template

    rendered = Template("{% load regions %}{{ a|region_name }}|{{ b|region_name }}|{{ c|region_name }}")
    assert rendered.render(Context({"a": "94", "b": "99", "c": None})) == "Corse|99|"
