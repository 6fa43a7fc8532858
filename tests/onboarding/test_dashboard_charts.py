"""The dashboard's charts: figures computed on known data, each SVG with its table alternative, the
API's figures equal to the page's, region names rather than codes, a constant number of queries."""

import json
import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from contracts import services as contract_services
from esms_portal.auth.tokens import api_token_create
from esms_portal.backoffice import stats
from esms_portal.onboarding.dashboard import figures
from esms_portal.onboarding.dashboard_charts import chart_figures, regions
from esms_portal.workflow.form_services import form_accept, form_act
from tests.factories import StructureFactory, complete_contract_data
from tests.kernel_app.services import f999_file

pytestmark = pytest.mark.django_db
MONDAY = timezone.make_aware(datetime(2026, 11, 2, 10))  # a Monday


def _contract_decided(organisation, representative, agent, *, filed, days):
    with time_machine.travel(filed, tick=False):
        contract = contract_services.contract_start(actor=representative, structure=organisation)
        contract_services.contract_update(actor=representative, contract_pk=contract.pk, cgu_accepted=True,
                                          data=complete_contract_data(representative_email=representative.email))
        contract_services.contract_submit(actor=representative, contract_pk=contract.pk)
    with time_machine.travel(filed + timedelta(days=days), tick=False):
        contract_services.contract_start_instruction(actor=agent, contract_pk=contract.pk)
        contract_services.contract_accept(actor=agent, contract_pk=contract.pk)


@pytest.fixture
def known(alpha, alice, beta, charlie, ana):
    """Two contracts filed the week of 2 November, decided after 7 and 9 days; one F999 filed the week
    after and still waiting."""
    _contract_decided(alpha, alice, ana, filed=MONDAY, days=7)
    _contract_decided(beta, charlie, ana, filed=MONDAY + timedelta(days=1), days=9)
    with time_machine.travel(MONDAY + timedelta(days=8), tick=False):
        f999_file(actor=alice, organisation=alpha, subject="x")


def test_cases_filed_and_decided_per_week(known):
    weeks = stats.weekly(weeks=4, now=MONDAY + timedelta(days=21))
    assert [(w.start.isoformat(), w.filed, w.decided) for w in weeks] == [
        ("2026-11-02", 2, 0), ("2026-11-09", 1, 2), ("2026-11-16", 0, 0), ("2026-11-23", 0, 0)]


def test_median_instruction_time_per_type_against_the_window(known):
    delays = {d.key: d for d in stats.instruction_delays()}
    assert (delays["contrats"].decided, delays["contrats"].median_days) == (2, 8.0)
    assert (delays["contrats"].window_low_days, delays["contrats"].window_high_days) == (6, 16)
    assert not delays["contrats"].late
    assert (delays["f999"].decided, delays["f999"].median_days) == (0, None)


def test_a_completion_wait_is_not_instruction_time(alice, alpha, ana):
    with time_machine.travel(MONDAY, tick=False):
        form = f999_file(actor=alice, organisation=alpha, subject="x")
        form = form_act(actor=ana, form=form, act="start_instruction")
    with time_machine.travel(MONDAY + timedelta(days=2), tick=False):
        form = form_act(actor=ana, form=form, act="ask_completion", reason="Le justificatif, svp.")
    with time_machine.travel(MONDAY + timedelta(days=12), tick=False):
        form = form_act(actor=alice, form=form, act="complete")
    with time_machine.travel(MONDAY + timedelta(days=13), tick=False):
        form_accept(actor=ana, form=form)
    assert {d.key: d.median_days for d in stats.instruction_delays()}["f999"] == 3.0


def test_organisations_by_region_are_named(alpha, beta):
    StructureFactory(ej=True, name="Lyon", region="84", departement="69")
    figures()  # writes the progress rows
    assert [(r["name"], r["organisations"]) for r in regions()] == [
        ("Île-de-France", 2), ("Auvergne-Rhône-Alpes", 1)]


def test_the_funnel_counts_organisations_past_each_step(known):
    funnel = {s["key"]: s for s in chart_figures(figures())["funnel"]}
    assert funnel["finess"]["done"] == 2 and funnel["contract"]["done"] == 2


def _page(client, ana, **query):
    client.force_login(ana)
    return client.get(reverse("backoffice:onboarding"), query)


def test_each_chart_is_an_svg_with_its_table_alternative(client, known, ana):
    html = _page(client, ana).content.decode()
    for chart in ("funnel", "regions", "weeks", "instruction"):
        assert f'aria-labelledby="{chart}-caption"' in html
        svg = re.search(rf'<svg class="portal-chart__svg" role="img"[^>]*aria-describedby="{chart}-table"', html)
        assert svg, chart
        assert f'<table id="{chart}-table">' in html
    assert "<title id=\"instruction-svg-title\">" in html
    assert "Île-de-France" in html and "<td>11</td>" not in html  # names, not codes


def test_the_api_gives_the_pages_figures(client, known, ana):
    page = _page(client, ana)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=ana)[1]}")
    answer = api.get("/api/v1/onboarding/dashboard/charts/")
    assert answer.status_code == 200
    shown = json.loads(json.dumps(page.context["chart_data"], cls=DjangoJSONEncoder))
    assert answer.json() == shown
    contract = next(d for d in answer.json()["instruction"] if d["type"] == "contrats")
    assert (contract["median_days"], contract["window_days"]) == (8.0, [6, 16])
    assert "<td>8,0</td><td>6 à 16</td>" in page.content.decode()


def test_the_region_filter_reads_names_and_scopes_the_charts(client, known, ana):
    page = _page(client, ana, region="84")
    assert page.context["chart_data"]["regions"] == []
    assert sum(w["filed"] for w in page.context["chart_data"]["weeks"]) == 0
    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in page.content.decode()


def test_organisations_are_refused_the_charts(client, alice):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice)[1]}")
    assert api.get("/api/v1/onboarding/dashboard/charts/").status_code == 403


def test_the_charts_cost_the_same_queries_with_more_data(client, ana, alpha, alice, beta, charlie):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert _page(client, ana).status_code == 200
        return len(queries)

    _page(client, ana)  # the first page writes the progress rows
    before = count()
    _contract_decided(alpha, alice, ana, filed=timezone.now() - timedelta(days=10), days=8)
    _contract_decided(beta, charlie, ana, filed=timezone.now() - timedelta(days=9), days=5)
    for n in range(3):
        f999_file(actor=alice, organisation=alpha, subject=f"{n}")
    StructureFactory(ej=True, name="Lyon", region="84")
    _page(client, ana)
    assert count() == before
