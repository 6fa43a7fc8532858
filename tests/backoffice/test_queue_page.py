"""/back-office/: every declared type in one queue, with tabs, counts, search and filters in the URL."""

import pytest
from django.urls import reverse

from esms_portal.backoffice import services
from esms_portal.models import Case

from .conftest import act, preset, ref

pytestmark = pytest.mark.django_db
QUEUE = "/back-office/"


def page(client, **params) -> str:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def test_only_agents_see_the_queue(client, alice):
    client.force_login(alice)
    assert client.get(QUEUE).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(QUEUE).status_code == 302


def test_a_new_declared_form_has_its_tab_and_its_rows(client, ana, f999, submitted):
    client.force_login(ana)
    html = page(client)
    assert "F999 — formulaire de test" in html and "Contrats d&#x27;adhésion" in html
    assert f'value="{ref(f999)}"' in html and f'value="{ref(submitted)}"' in html


def test_the_type_tab_keeps_its_rows(client, ana, f999, submitted):
    client.force_login(ana)
    html = page(client, type="f999")
    assert f'value="{ref(f999)}"' in html and f'value="{ref(submitted)}"' not in html


def test_every_type_tab_counts_its_cases_by_stage(client, ana, f999, beta_f999):
    act(f999, "start_instruction", ana)
    client.force_login(ana)
    html = page(client)
    assert "F999 — formulaire de test&nbsp;: 2" in html
    assert "<td>1</td><td>1</td><td>0</td><td>0</td>" in html  # waiting, instruction, completion, late


def test_the_counts_refresh_alone_for_htmx(client, ana, f999):
    client.force_login(ana)
    response = client.get(reverse("backoffice:counts"), {"type": "f999"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="queue-tabs"' in html and "<html" not in html and 'hx-trigger="every 60s"' in html


def test_the_state_badge_speaks_of_a_demande(client, ana, f999):
    act(f999, "start_instruction", ana)
    act(f999, "accept", ana)
    client.force_login(ana)
    assert "Acceptée" in page(client, tab="traites")


@pytest.mark.parametrize("field", ["finess", "siret", "name", "number", "person"])
def test_search_finds_a_case_by_each_of_its_keys(client, ana, f999, beta_f999, alpha, field):
    Case.objects.filter(object_id=str(f999.pk)).update(people="Jeanne Dupont",
                                                       search_text="ASSOCIATION ALPHA JEANNE DUPONT")
    alpha.siret = "73282932000074"
    alpha.save()
    Case.objects.filter(object_id=str(f999.pk)).update(siret=alpha.siret)
    query = {"finess": alpha.finess, "siret": alpha.siret, "name": "alpha", "person": "dupont",
             "number": str(f999.pk).split("-")[0].lower()}[field]
    client.force_login(ana)
    html = page(client, q=query)
    assert f'value="{ref(f999)}"' in html and f'value="{ref(beta_f999)}"' not in html


def test_filters_by_region_and_departement(client, ana, f999, beta_f999, alpha):
    client.force_login(ana)
    assert f'value="{ref(f999)}"' in page(client, region=alpha.region, departement=alpha.departement)
    assert f'value="{ref(f999)}"' not in page(client, region="94" if alpha.region != "94" else "11")


def test_my_cases_unassigned_and_followed(client, ana, olga, f999, beta_f999):
    services.case_take(actor=ana, ref=ref(f999))
    client.force_login(ana)
    mine = page(client, tab="mes_dossiers")
    assert f'value="{ref(f999)}"' in mine and f'value="{ref(beta_f999)}"' not in mine
    unassigned = page(client, assigned="none")
    assert f'value="{ref(beta_f999)}"' in unassigned and f'value="{ref(f999)}"' not in unassigned
    client.force_login(olga)
    services.case_follow(actor=olga, ref=ref(beta_f999))
    followed = page(client, tab="suivis")
    assert f'value="{ref(beta_f999)}"' in followed and f'value="{ref(f999)}"' not in followed


def test_filter_by_label(client, ana, f999, beta_f999):
    urgent = preset("Urgent")
    services.set_labels(ana, [ref(f999)], add=[urgent])
    client.force_login(ana)
    html = page(client, label=urgent.pk)
    assert f'value="{ref(f999)}"' in html and f'value="{ref(beta_f999)}"' not in html
    assert "fr-badge--pink-tuile" in html


def test_late_cases_are_their_own_tab(client, ana, f999, beta_f999):
    Case.objects.filter(object_id=str(f999.pk)).update(deadline="2020-01-01T00:00:00Z")
    client.force_login(ana)
    html = page(client, tab="en_retard")
    assert f'value="{ref(f999)}"' in html and f'value="{ref(beta_f999)}"' not in html


def test_a_bad_filter_is_shown_not_a_500(client, ana, f999):
    client.force_login(ana)
    html = page(client, min_age="abc", departement="XYZ", sort="nope", label="999")
    assert f'value="{ref(f999)}"' in html


def test_pages_follow_by_key_with_the_same_number_of_queries(client, ana, alpha, alice, settings,
                                                              django_assert_num_queries):
    from tests.kernel_app.services import f999_file

    urgent = preset("Urgent")
    forms = [f999_file(actor=alice, organisation=alpha, subject=f"n{i}") for i in range(55)]
    services.set_labels(ana, [ref(form) for form in forms], add=[urgent])
    services.assign(ana, [ref(form) for form in forms[:30]], to=ana)
    client.force_login(ana)
    client.get(QUEUE)
    session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1  # read from Redis when shared
    with django_assert_num_queries(9 + session) as first:  # user, labels, counts (2), page, its labels,
        # its unread messages, menu, the header's notification counts
        html = client.get(QUEUE).content.decode()
    assert html.count('name="case"') == 50
    cursor = html.split("cursor=")[1].split('"')[0].replace("&amp;", "&")
    from urllib.parse import unquote
    with django_assert_num_queries(len(first.captured_queries)):
        second = client.get(QUEUE, {"cursor": unquote(cursor)}).content.decode()
    assert second.count('name="case"') == 5


def test_the_old_per_type_address_redirects(client, ana):
    client.force_login(ana)
    assert client.get("/back-office/instruction/f301/").url == "/back-office/?type=f301"


def test_the_select_all_box_and_the_bulk_form_stand_alone(client, ana, f999):
    client.force_login(ana)
    html = page(client)
    assert 'data-select-all="case"' in html and 'id="queue-form"' in html


def test_near_the_limit_and_sorted_by_deadline(client, ana, f999, beta_f999):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.now() + timedelta(days=1)
    Case.objects.filter(object_id=str(beta_f999.pk)).update(deadline=soon)
    Case.objects.filter(object_id=str(f999.pk)).update(deadline=soon + timedelta(days=10))
    client.force_login(ana)
    near = page(client, delay="near")
    assert f'value="{ref(beta_f999)}"' in near and f'value="{ref(f999)}"' not in near
    ordered = page(client, sort="deadline")
    assert ordered.index(f'value="{ref(beta_f999)}"') < ordered.index(f'value="{ref(f999)}"')
    newest = page(client, sort="recent")
    assert newest.index(f'value="{ref(beta_f999)}"') < newest.index(f'value="{ref(f999)}"')
