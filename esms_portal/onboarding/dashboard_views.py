"""The agents' onboarding dashboard (back office), and its CSV export."""

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from esms_portal.core import permissions
from esms_portal.core.regions import region_choices, region_name
from esms_portal.core.spreadsheets import inert
from esms_portal.onboarding.dashboard import figures
from esms_portal.onboarding.dashboard_charts import chart_figures, charts


class DashboardFilterForm(forms.Form):
    region = forms.ChoiceField(label="Région", required=False, choices=region_choices("Toutes les régions"))
    departement = forms.RegexField(label="Département", regex=r"^(\d{2,3}|2A|2B)$", required=False,
                                   help_text="Exemple : 69")


def dashboard_filters(data) -> dict:
    form = DashboardFilterForm(data or None)
    return (form, form.cleaned_data) if form.is_valid() else (form, {})


@login_required
@require_GET
def dashboard(request):
    if not permissions.may(request.user, "onboarding.dashboard"):
        raise PermissionDenied
    form, filters = dashboard_filters(request.GET)
    scope = {"region": filters.get("region", ""), "departement": filters.get("departement", "")}
    found = figures(**scope)
    if request.GET.get("format") == "csv":
        return _csv(found, filters)
    data = chart_figures(found, **scope)
    return render(request, "onboarding/dashboard.html", {"form": form, "figures": found, "chart_data": data,
                                                         "charts": charts(data), "query": request.GET.urlencode()})


def _csv(found, filters) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = "-".join(v for v in (filters.get("region"), filters.get("departement")) if v) or "national"
    response["Content-Disposition"] = f'attachment; filename="embarquement-{scope}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with its BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["étape", "libellé", "organisations à cette étape", "organisations l'ayant franchie",
                     "durée médiane (jours)", "délai des documents (jours)"])
    for step in found.steps:
        writer.writerow([step.milestone.number, step.milestone.label, step.current, step.done,
                         "" if step.median_days is None else str(step.median_days).replace(".", ","),
                         str(step.expected_days).replace(".", ",")])
    writer.writerow([])
    writer.writerow(["organisations", found.total, "prérequis tous remplis", found.complete])
    writer.writerow([])
    writer.writerow(["plus anciennes en attente", "identifiant", "région", "département", "étape", "depuis (jours)"])
    for row in found.oldest:
        writer.writerow([inert(row["name"]), row["identifier"], region_name(row["region"] or ""), row["departement"],
                         row["step"].label,
                         row["days"]])
    return response
