from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from esms_portal.core import keyset, permissions
from esms_portal.core.errors import ActNotAllowed, PortalError
from esms_portal.core.forms import show_error, submit_posted
from esms_portal.core.pages import may_or_403

from . import selectors, services
from .forms import AnomalyReportForm, StructureSearchForm

SEARCH_PAGE_SIZE = 20


@login_required
def structure_detail(request, pk):
    structure = selectors.structure_get_for_user(request.user, pk)
    may_report = permissions.may(request.user, "structure.report_anomaly", structure)
    context = {
        "structure": structure,
        "sites": selectors.sites_of(structure) if structure.is_legal_entity else None,
        "may_report": may_report,
        "recipient": services.addressed_to(services.anomaly_recipient(structure), structure.departement),
        "reports": [
            (report, services.ANOMALY_FIELDS.get(report.field, report.field))
            for report in selectors.anomaly_reports_of(structure)[:10]
        ]
        if may_report
        else None,
    }
    return render(request, "contracts/structure_detail.html", context)


@login_required
def structure_search(request):
    form = StructureSearchForm(request.GET or None)
    context = {"form": form, "page": None, "query": keyset.query_without_cursor(request)}
    if form.is_valid():
        results = selectors.structure_list(user=request.user, filters=form.cleaned_data["q"])
        context["page"] = keyset.html_page(request, results, SEARCH_PAGE_SIZE)
        context["total"] = keyset.count_label(results, "résultat", "résultats")
    return render(request, "contracts/structure_search.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def anomaly_report(request, pk):
    structure = selectors.structure_get_for_user(request.user, pk)
    may_or_403(request.user, "structure.report_anomaly", structure)
    form = AnomalyReportForm(request.POST or None)
    if report := submit_posted(request, form, services.anomaly_report, on_error=partial(_refused, form),
                               actor=request.user, structure=structure):
        recipient = services.addressed_to(report.addressed_to, structure.departement)
        messages.success(request, f"Votre signalement a été enregistré et adressé {recipient}.")
        return redirect("structures:detail", pk=structure.pk)
    recipient = services.addressed_to(services.anomaly_recipient(structure), structure.departement)
    return render(
        request,
        "contracts/anomaly_form.html",
        {"structure": structure, "form": form, "recipient": recipient},
    )


def _refused(form, request, error: PortalError) -> None:
    if isinstance(error, ActNotAllowed):
        raise PermissionDenied from error
    show_error(form, error)
