"""Pages of the gestionnaires RPPS+ and the legal representative (registration, lifecycle, rights,
collection template) and the agents' analysis of an unlisted profession. Thin views: a selector, a
form, one service call (STYLE.md convention 9)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput
from esms_portal.core.forms import attempt, flash_error, show_error, submit
from esms_portal.core.live import asks_for, fragment
from esms_portal.core.pages import found_or_403
from esms_portal.dialogue.cases import may_converse
from esms_portal.dialogue.selectors import open_conversation
from esms_portal.workflow.act_pages import Act, Subject, act_forms, perform_posted_act
from esms_portal.workflow.requests import available_acts

from . import selectors, services
from .forms import EndForm, GrantForm, ImportForm, ProfessionChoiceForm, ReasonForm, RegistrationForm, RoleForm
from .models import SituationState
from .services.bulk import OUTCOME_LABELS, blank_template_csv, read_template

# The situation page's buttons: name -> (French label, the act of the machine that opens it).
# Changing the role and recording the departure act on an active situation, as ending it does
# (R-RPP-5); the order is the page's.
SITUATION_ACTS = {
    "validate": ("Valider la pré-inscription", "validate"),
    "refuse": ("Refuser", "refuse"),
    "change_role": ("Changer le rôle", "end"),
    "end": ("Terminer la situation", "end"),
    "leave": ("Enregistrer son départ", "end"),
}
# The ANS's decisions on an unlisted profession, each with its own fields (R-RPP-7).
ANALYSIS_ACTS = {
    "accept_profession": Act("Accepter avec cette profession", ("est acceptée",) * 2, confirm=True,
                             fields=ProfessionChoiceForm),
    "reject_profession": Act("Refuser", ("est refusée",) * 2, reason="Motif du refus (obligatoire)",
                             reason_required=True, confirm=True, style="fr-btn--secondary"),
}


def _field_or_page(form):
    """A registration's refusal: its field problems on the form; any other refusal (site out of FINESS,
    already registered, no registration needed...) at the top of the page."""

    def on_error(request, error):
        if isinstance(error, InvalidInput):
            show_error(form, error)
        else:
            flash_error(request, error)

    return on_error


@login_required
def home(request):
    sites = selectors.managed_sites(request.user)
    if not sites.exists():
        raise PermissionDenied
    context = {
        "sites": sites,
        "pending": selectors.pending_pre_registrations(request.user),
        "may_grant": selectors.represented_organisation(request.user) is not None,
    }
    return render(request, "rpps_plus/home.html", context)


@login_required
def site_professionals(request, pk):
    site = selectors.site_get_for_user(request.user, pk)
    situations = selectors.site_situations(request.user, site)
    return render(request, "rpps_plus/site.html", {"site": site, "situations": situations})


def _say_registered(request, situation) -> None:
    if situation.state == SituationState.IN_ANALYSIS:
        messages.info(request, "Profession hors liste : la demande est transmise à l'ANS pour analyse.")
    else:
        messages.success(request, "Professionnel enregistré : il recevra son numéro RPPS par courriel "
                                  "sous 30 minutes et apparaîtra dans l'Annuaire Santé sous 24 à 48 h.")


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    sites = selectors.managed_sites(request.user)
    if not sites.exists():
        raise PermissionDenied
    form = RegistrationForm(request.POST or None, sites=sites, initial={"site": request.GET.get("site")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        situation = attempt(request, services.professional_register, on_error=_field_or_page(form),
                            actor=request.user, data=data, site=data.pop("site"))
        if situation is not None:
            _say_registered(request, situation)
            return redirect("rpps_plus:situation", pk=situation.pk)
    return render(request, "rpps_plus/register.html", {"form": form})


def situation_acts(situation, user) -> dict[str, str]:
    """The buttons `user` has on the situation now, name -> label: what its machine allows him."""
    available = set(available_acts(situation, user))
    return {name: label for name, (label, act) in SITUATION_ACTS.items() if act in available}


@login_required
def situation_detail(request, pk):
    situation = selectors.situation_get_for_user(request.user, pk)
    if asks_for(request, "rpps-number"):  # the number « en cours d'attribution », polled by the page
        return fragment(request, "rpps_plus/includes/rpps_number.html",
                        {"situation": situation, "professional": situation.professional},
                        final=bool(situation.professional.rpps))
    context = {
        "situation": situation,
        "professional": situation.professional,
        "others": selectors.other_situations(situation),
        "acts": situation_acts(situation, request.user),
        "end_form": EndForm(),
        "role_form": RoleForm(initial={"role_code": situation.role_code}),
        "reason_form": ReasonForm(),
        "trail": situation.audit_trail(),
        # Its conversation with the ANS, once its profession went to analysis (esms_portal.dialogue).
        "conversation": open_conversation(request.user, situation)
        if situation.submitted_at and may_converse(request.user, situation) else None,
    }
    return render(request, "rpps_plus/situation.html", context)


def _act(request, pk, service, success: str, **kwargs):
    selectors.situation_get_for_user(request.user, pk)
    if attempt(request, service, actor=request.user, **kwargs) is not None:
        messages.success(request, success)
    return redirect("rpps_plus:situation", pk=pk)


def _end_date(form_data):
    form = EndForm(form_data)
    return form.cleaned_data["end_date"] if form.is_valid() else None


@login_required
@require_POST
def situation_act(request, pk, act):
    form_data = request.POST
    if act == "validate":
        return _act(request, pk, services.situation_validate, "Pré-inscription validée.", situation_pk=pk)
    if act == "refuse":
        return _act(request, pk, services.situation_refuse, "Pré-inscription refusée.", situation_pk=pk,
                    reason=form_data.get("reason", ""))
    if act == "change_role":
        return _act(request, pk, services.situation_change_role, "Rôle modifié.", situation_pk=pk,
                    role_code=form_data.get("role_code", ""))
    if act == "end":
        return _act(request, pk, services.situation_end,
                    "Situation d'exercice terminée : elle quitte l'Annuaire Santé.", situation_pk=pk,
                    end_date=_end_date(form_data))
    if act == "leave":
        situation = selectors.situation_get_for_user(request.user, pk)
        return _act(request, pk, services.professional_leave,
                    "Départ enregistré : ses situations chez vous sont terminées.",
                    professional_pk=situation.professional_id)
    raise PermissionDenied


# The collection template.
@login_required
@require_http_methods(["GET", "POST"])
def bulk_upload(request):
    organisation = found_or_403(selectors.import_organisation(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        bulk = submit(form, services.bulk_import_preview, actor=request.user, organisation=organisation,
                      file_name=upload.name, content=read_template(upload))
        if bulk is not None:
            return redirect("rpps_plus:bulk_preview", pk=bulk.pk)
    return render(request, "rpps_plus/bulk_upload.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def bulk_preview(request, pk):
    bulk = selectors.bulk_import_get_for_user(request.user, pk)
    if request.method == "POST":
        if attempt(request, services.bulk_import_confirm, actor=request.user, import_pk=bulk.pk) is not None:
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
@login_required
@require_http_methods(["GET", "POST"])
def rights(request):
    organisation = found_or_403(selectors.represented_organisation(request.user))
    form = GrantForm(request.POST or None, staff=selectors.grantable_staff(organisation),
                     sites=selectors.sites_of(organisation))
    if request.method == "POST" and form.is_valid():
        grant = attempt(request, services.rpps_right_grant, on_error=lambda _request, error: form.add_error(
            None, error.message), actor=request.user, organisation=organisation, user=form.cleaned_data["user"],
            sites=form.cleaned_data["sites"])
        if grant is not None:
            messages.success(request, "Droit RPPS+ accordé.")
            return redirect("rpps_plus:rights")
    context = {"organisation": organisation, "grants": selectors.gestionnaires_of(organisation), "form": form}
    return render(request, "rpps_plus/rights.html", context)


@login_required
@require_POST
def rights_withdraw(request, user_pk):
    organisation = found_or_403(selectors.represented_organisation(request.user))
    grant = selectors.gestionnaire_grant_get(organisation, user_pk)
    services.rpps_right_withdraw(actor=request.user, organisation=organisation, user=grant.user)
    messages.success(request, f"Droit RPPS+ retiré à {grant.user.get_full_name()} : effet immédiat.")
    return redirect("rpps_plus:rights")


# The ANS analyses an unlisted profession (back-office queue "rpps").
def _analysis_performer(request, pk, act):
    if act == "accept_profession":
        return lambda profession_code: services.situation_accept_profession(
            actor=request.user, situation_pk=pk, profession_code=profession_code)
    return lambda reason: services.situation_reject_profession(actor=request.user, situation_pk=pk, reason=reason)


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request, pk):
    if not permissions.is_agent(request.user):
        raise PermissionDenied
    situation = selectors.situation_for_analysis(pk)
    here = reverse("rpps_plus:analysis", args=[pk])
    if request.method == "POST":
        act = request.POST.get("act", "")
        if act not in ANALYSIS_ACTS:
            raise Http404
        subject = Subject(f"La profession de {situation.practice_first_name} {situation.practice_last_name}")
        return perform_posted_act(request, act, _analysis_performer(request, pk, act), subject=subject, back=here,
                                  acts=ANALYSIS_ACTS)
    acts = act_forms(available_acts(situation, request.user), url=lambda _name: here, acts=ANALYSIS_ACTS)
    context = {"situation": situation, "act_forms": acts, "trail": situation.audit_trail(),
               "conversation": open_conversation(request.user, situation)}
    return render(request, "rpps_plus/analysis.html", context)
