"""The agents' dashboard: organisations per step, median time per step, the oldest waiting ones,
filters by region and department, CSV and API."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from contracts import services as contract_services
from esms_portal.onboarding import dashboard
from tests.factories import StructureFactory, complete_contract_data


def _contract_accepted(organisation, representative, agent, *, days):
    """A contract submitted now and accepted `days` later, through the services."""
    contract = contract_services.contract_start(actor=representative, structure=organisation)
    contract_services.contract_update(actor=representative, contract_pk=contract.pk, cgu_accepted=True,
                                      data=complete_contract_data(representative_email=representative.email))
    contract_services.contract_submit(actor=representative, contract_pk=contract.pk)
    with time_machine.travel(timezone.now() + timedelta(days=days)):
        contract_services.contract_start_instruction(actor=agent, contract_pk=contract.pk)
        contract_services.contract_accept(actor=agent, contract_pk=contract.pk)


def test_it_counts_organisations_at_each_step(alpha, beta, accepted, alice_card):
    found = dashboard.figures()
    by_key = {s.milestone.key: s for s in found.steps}
    assert found.total == 2
    assert by_key["contract"].current == 1  # beta
    assert by_key["mandataire"].current == 1  # alpha, card active
    assert by_key["contract"].done == 1 and by_key["finess"].done == 2
    assert {row["name"] for row in found.oldest} == {"Association Alpha", "Fondation Beta"}


def test_the_median_time_counts_from_the_step_becoming_possible(alpha, alice, beta, charlie, ana):
    _contract_accepted(alpha, alice, ana, days=7)
    _contract_accepted(beta, charlie, ana, days=9)
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        step = next(s for s in dashboard.figures().steps if s.milestone.key == "contract")
    assert step.done == 2 and 7.9 <= step.median_days <= 8.1
    assert step.expected_days == 16.0 and not step.late


@pytest.mark.postgres  # python_figures reads dates as PostgreSQL returns them
def test_postgresql_and_python_agree(alpha, beta, accepted, alice_card):
    from django.db import connection

    sql, params = dashboard.base_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    now = timezone.now()
    sql_figures, py_figures = dashboard.figures(now=now), dashboard.python_figures(rows, now)
    assert [(s.current, s.done, s.median_days) for s in sql_figures.steps] == [
        (s.current, s.done, s.median_days) for s in py_figures.steps]
    assert [r["id"] for r in sql_figures.oldest] == [r["id"] for r in py_figures.oldest]


def test_it_filters_by_region_and_department(alpha, db):
    StructureFactory(ej=True, name="Ailleurs", region="84", departement="69")
    assert dashboard.figures(region="84").total == 1
    assert dashboard.figures(departement="75").total == 1
    assert dashboard.figures(region="84", departement="75").total == 0


def test_agents_only(client, alice, ana):
    client.force_login(alice)
    assert client.get(reverse("backoffice:onboarding")).status_code == 403
    assert client.get("/api/v1/onboarding/dashboard/").status_code == 403
    client.force_login(ana)
    assert "Tableau de bord de l'embarquement" in client.get(reverse("backoffice:onboarding")).content.decode()


def test_the_csv_export(client, ana, alpha):
    client.force_login(ana)
    response = client.get(reverse("backoffice:onboarding"), {"region": "11", "format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].endswith('embarquement-11.csv"')
    assert body.splitlines()[0].startswith("étape;libellé;organisations à cette étape")
    assert "Contrat d'adhésion;1;0" in body


def test_the_csv_export_writes_a_name_like_a_formula_as_text(client, ana, alpha):
    alpha.name = "=1+1"
    alpha.save()
    client.force_login(ana)
    body = client.get(reverse("backoffice:onboarding"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=1+1;" in body and ";=1+1" not in body and not body.startswith("=")


def test_the_same_figures_over_the_api(client, ana, alpha):
    client.force_login(ana)
    data = client.get("/api/v1/onboarding/dashboard/", {"region": "11"}).json()
    assert data["total"] == 1 and data["steps"][1] == {
        "key": "contract", "number": 2, "label": "Contrat d'adhésion", "current": 1, "done": 0,
        "median_days": None, "expected_days": 16.0}


def test_an_organisations_timeline_over_the_api(client, alice, charlie, alpha):
    client.force_login(alice)
    data = client.get(f"/api/v1/onboarding/organisations/{alpha.pk}/").json()
    assert [s["key"] for s in data["steps"]][:2] == ["finess", "contract"]
    assert data["next_action"]["step"] == "contract"
    assert {s["key"] for s in data["services"]} == {"ins", "dmp_feed", "dmp_consult", "mssante"}
    client.force_login(charlie)
    assert client.get(f"/api/v1/onboarding/organisations/{alpha.pk}/").status_code == 404
