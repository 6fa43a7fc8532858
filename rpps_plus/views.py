"""Pages of the gestionnaires RPPS+ and the legal representative (registration, lifecycle, rights,
collection template) and the agents' analysis of an unlisted profession. Thin views: a selector, a
form, one service call (STYLE.md convention 9)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from contracts.models import Structure
from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput, PortalError
from esms_portal.models import Role

from . import selectors, services
from .forms import AnalysisForm, EndForm, GrantForm, ImportForm, ReasonForm, RegistrationForm, RoleForm
from .models import Situation, SituationState
from .services.bulk import OUTCOME_LABELS, blank_template_csv


def show_errors(form, error: PortalError) -> None:
    """A service's InvalidInput details on the form's fields (R-RPP-8 lists every problem at once)."""
    details = error.details if isinstance(error.details, dict) else {}
    for field, problems in details.items():
        form.add_error(field if field in form.fields else None, problems)
    if not details:
        form.add_error(None, error.message)


@login_required
def home(request):
    sites = selectors.managed_sites(request.user)
    if not sites.exists():
        raise PermissionDenied
    context = {
        "sites": sites,
        "pending": selectors.pending_pre_registrations(request.user).order_by("created_at")[:50],
        "may_grant": permissions.organisation_ids(request.user, [Role.LEGAL_REPRESENTATIVE]).exists(),
    }
    return render(request, "rpps_plus/home.html", context)


@login_required
def site_professionals(request, pk):
    site = selectors.site_get_for_user(request.user, pk)
    situations = selectors.site_situations(request.user, site).order_by("search_name", "pk")
    return render(request, "rpps_plus/site.html", {"site": site, "situations": situations})


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    sites = selectors.managed_sites(request.user)
    if not sites.exists():
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, sites=sites, initial={"site": request.GET.get("site")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            situation = services.professional_register(actor=request.user, data=data, site=data.pop("site"))
        except InvalidInput as error:
            show_errors(form, error)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            if situation.state == SituationState.IN_ANALYSIS:
                messages.info(request, "Profession hors liste : la demande est transmise à l'ANS pour analyse.")
            else:
                messages.success(request, "Professionnel enregistré : il recevra son numéro RPPS par courriel "
                                          "sous 30 minutes et apparaîtra dans l'Annuaire Santé sous 24 à 48 h.")
            return redirect("rpps_plus:situation", pk=situation.pk)
    return render(request, "rpps_plus/register.html", {"form": form})


@login_required
def situation_detail(request, pk):
    situation = selectors.situation_get_for_user(request.user, pk)
    context = {
        "situation": situation,
        "professional": situation.professional,
        "others": selectors.professional_situations(situation.professional).exclude(pk=pk),
        "may_act": selectors.may_register(request.user, situation.site),
        "end_form": EndForm(),
        "role_form": RoleForm(initial={"role_code": situation.role_code}),
        "reason_form": ReasonForm(),
        "trail": situation.audit_trail(),
    }
    return render(request, "rpps_plus/situation.html", context)


def _act(request, pk, call, success: str):
    selectors.situation_get_for_user(request.user, pk)
    try:
        call()
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("rpps_plus:situation", pk=pk)


@login_required
@require_POST
def situation_act(request, pk, act):
    form_data, user = request.POST, request.user
    if act == "validate":
        return _act(request, pk, lambda: services.situation_validate(actor=user, situation_pk=pk),
                    "Pré-inscription validée.")
    if act == "refuse":
        return _act(request, pk, lambda: services.situation_refuse(
            actor=user, situation_pk=pk, reason=form_data.get("reason", "")), "Pré-inscription refusée.")
    if act == "change_role":
        return _act(request, pk, lambda: services.situation_change_role(
            actor=user, situation_pk=pk, role_code=form_data.get("role_code", "")), "Rôle modifié.")
    if act == "end":
        form = EndForm(form_data)
        end_date = form.cleaned_data["end_date"] if form.is_valid() else None
        return _act(request, pk, lambda: services.situation_end(actor=user, situation_pk=pk, end_date=end_date),
                    "Situation d'exercice terminée : elle quitte l'Annuaire Santé.")
    if act == "leave":
        situation = selectors.situation_get_for_user(user, pk)
        return _act(request, pk, lambda: services.professional_leave(
            actor=user, professional_pk=situation.professional_id),
            "Départ enregistré : ses situations chez vous sont terminées.")
    raise PermissionDenied


# The collection template.
@login_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request):
    organisations = selectors.managed_organisations(request.user)
    organisation = organisations.first()
    if organisation is None:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            bulk = services.bulk_import_preview(actor=request.user, organisation=organisation,
                                                file_name=upload.name, content=upload.read())
        except PortalError as error:
            form.add_error("file", error.message)
        else:
            return redirect("rpps_plus:bulk_preview", pk=bulk.pk)
    return render(request, "rpps_plus/bulk_upload.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def bulk_preview(request, pk):
    bulk = selectors.bulk_import_get_for_user(request.user, pk)
    if request.method == "POST":
        try:
            bulk = services.bulk_import_confirm(actor=request.user, import_pk=bulk.pk)
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Import confirmé.")
        return redirect("rpps_plus:bulk_preview", pk=pk)
    rows = [{**row, "label": OUTCOME_LABELS[row["outcome"]]} for row in bulk.rows[:2000]]
    report = [(OUTCOME_LABELS[key], count) for key, count in bulk.report.items() if count]
    return render(request, "rpps_plus/bulk_preview.html", {"bulk": bulk, "rows": rows, "report": report,
                                                          "truncated": len(bulk.rows) > 2000})


def blank_template(request):
    response = HttpResponse(blank_template_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trame-de-recueil-rpps-plus.csv"'
    return response


# "Mes habilitations": the legal representative grants and withdraws the right (R-RPP-4).
def _represented(user) -> Structure:
    represented = permissions.organisation_ids(user, [Role.LEGAL_REPRESENTATIVE])
    organisation = Structure.objects.filter(pk__in=represented).first()
    if organisation is None:
        raise PermissionDenied
    return organisation


@login_required
@require_http_methods(["GET", "POST"])
def rights(request):
    organisation = _represented(request.user)
    sites = Structure.objects.filter(legal_entity=organisation, kind="EG").order_by("name")
    form = GrantForm(request.POST or None, staff=selectors.grantable_staff(organisation), sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            services.rpps_right_grant(actor=request.user, organisation=organisation, user=form.cleaned_data["user"],
                                      sites=form.cleaned_data["sites"])
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Droit RPPS+ accordé.")
            return redirect("rpps_plus:rights")
    context = {"organisation": organisation, "grants": selectors.gestionnaires_of(organisation), "form": form}
    return render(request, "rpps_plus/rights.html", context)


@login_required
@require_POST
def rights_withdraw(request, user_pk):
    organisation = _represented(request.user)
    grant = get_object_or_404(selectors.gestionnaires_of(organisation), user_id=user_pk)
    services.rpps_right_withdraw(actor=request.user, organisation=organisation, user=grant.user)
    messages.success(request, f"Droit RPPS+ retiré à {grant.user.get_full_name()} : effet immédiat.")
    return redirect("rpps_plus:rights")


# The ANS analyses an unlisted profession (back-office queue "rpps").
@login_required
@require_http_methods(["GET", "POST"])
def analysis(request, pk):
    if not permissions.is_agent(request.user):
        raise PermissionDenied
    situation = get_object_or_404(Situation.objects.select_related("professional", "site"), pk=pk)
    form = AnalysisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if "accept" in request.POST:
                services.situation_accept_profession(actor=request.user, situation_pk=pk,
                                                     profession_code=form.cleaned_data["profession_code"])
            else:
                services.situation_reject_profession(actor=request.user, situation_pk=pk,
                                                     reason=form.cleaned_data["reason"])
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Décision enregistrée.")
        return redirect("rpps_plus:analysis", pk=pk)
    return render(request, "rpps_plus/analysis.html", {"situation": situation, "form": form,
                                                       "trail": situation.audit_trail()})
