"""Guided forms F101, F301, F502 and F414, the page of each filed form, and its instruction by the
ANS agents (start_instruction, ask_completion, accept, reject) or the organisation (complete, withdraw)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal.core import permissions, tenant
from esms_portal.core.errors import PortalError
from esms_portal.core.forms import submit_posted
from esms_portal.core.pages import found_or_403
from esms_portal.dialogue.selectors import acts_besides_conversation, open_conversation
from esms_portal.workflow.act_pages import ACTS, act_forms, form_performer, form_subject, perform_posted_act
from esms_portal.workflow.declarations import request_type
from esms_portal.workflow.form_pages import filing_page
from esms_portal.workflow.requests import available_acts
from esms_portal.workflow.selectors import form_get_for_user

from .. import services, ui_selectors
from ..forms import F414Form, StaffLineFormSet
from ..portal import CardFormType


def _organisation(request, *, roles=None):
    return found_or_403(tenant.organisation_for_request(request.user, request.GET.get("organisation"), roles=roles))


def _detail(key, form):
    return redirect(f"cards:{key}_detail", pk=form.pk)


@login_required
def forms_list(request):
    """Mes demandes: the organisation's card forms and test-card orders."""
    organisation = tenant.organisation_for_request(
        request.user, request.GET.get("organisation"), roles=permissions.MANAGERS
    )
    if organisation is None:
        if permissions.is_agent(request.user):
            return redirect("backoffice:queue")
        raise PermissionDenied
    forms = ui_selectors.forms_of(request.user, organisation.pk)
    context = {
        "organisation": organisation,
        "forms": [(form_type.key, form_type.title, items) for form_type, items in forms],
        "test_orders": ui_selectors.test_orders_for_user(request.user).filter(organisation=organisation)[:20],
    }
    return render(request, "cards/forms_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def form_new(request, key):
    """The filing page of a card form declared with one (F101, F502), for an organisation its filers manage."""
    form_type = request_type(key)
    organisation = _organisation(request, roles=permissions.ACTS[form_type.file_act] - {permissions.AGENT})
    return filing_page(request, form_type, organisation)


def _line_values(formset) -> list[dict]:
    return [{name: form[name].value() for name in form.fields} for form in formset.forms]


@login_required
@require_http_methods(["GET", "POST"])
def f301_new(request):
    organisation = _organisation(request, roles=permissions.MANAGERS)
    sites = list(ui_selectors.organisation_sites(organisation))
    kwargs = {"form_kwargs": {"sites": sites}, "prefix": "lignes"}
    top_errors, f502_url = [], None
    if request.method == "POST" and ("add_line" in request.POST or "remove_line" in request.POST):
        # No script: adding or removing a line sends what is typed and comes back with one more
        # blank line, or without the removed one.
        values = _line_values(StaffLineFormSet(request.POST, **kwargs))
        removed = request.POST.get("remove_line", "")
        if removed.isdigit() and int(removed) < len(values):
            del values[int(removed)]
        formset = StaffLineFormSet(initial=values if removed else [*values, {}], **kwargs)
    elif request.method == "POST":
        formset = StaffLineFormSet(request.POST, **kwargs)
        if formset.is_valid():
            try:
                order = services.f301_file(actor=request.user, organisation=organisation, lines=formset.lines())
            except PortalError as error:
                top_errors.append(error.message)
                _show_line_errors(formset, error)
                # R-CRD-19: where the designation is made instead, for who may file it (the legal representative).
                if error.code == "mandataire_by_f502" and permissions.may(request.user, "f502.file", organisation):
                    f502_url = f"{reverse('cards:f502_new')}?organisation={organisation.pk}"
            else:
                messages.success(request, "F301 déposée : un agent de l'ANS va l'instruire.")
                return _detail("f301", order)
    else:
        formset = StaffLineFormSet(**kwargs)
    context = {"organisation": organisation, "formset": formset, "has_sites": bool(sites), "top_errors": top_errors,
               "f502_url": f502_url}
    return render(request, "cards/f301_new.html", context)


def _show_line_errors(formset, error: PortalError) -> None:
    """The service names lines by their index among the filled ones: put each problem on its field."""
    filled = [form for form in formset.forms if form.has_changed() and form.cleaned_data]
    details = error.details if isinstance(error.details, dict) else {}
    for index, problems in details.items():
        if not (str(index).isdigit() and int(index) < len(filled) and isinstance(problems, dict)):
            continue
        form = filled[int(index)]
        for field, problem in problems.items():
            form.add_error(field if field in form.fields else None, problem)


@login_required
@require_http_methods(["GET", "POST"])
def f414_new(request):
    # Anyone of the organisation, a role or only a card (R-CRD-14).
    organisation = found_or_403(ui_selectors.test_card_organisation_for_request(
        request.user, request.GET.get("organisation")))
    form = F414Form(request.POST if request.method == "POST" else None)
    if order := submit_posted(request, form, services.f414_order, actor=request.user, organisation=organisation):
        messages.success(
            request, f"Commande de {order.quantity} carte{'s' if order.quantity > 1 else ''} de test enregistrée."
        )
        return redirect("cards:fleet")
    return render(request, "cards/f414_new.html", {"organisation": organisation, "form": form})


def _form_of(request, key, pk):
    form_type = request_type(key)
    if not isinstance(form_type, CardFormType):
        raise Http404
    return form_type, form_get_for_user(request.user, form_type, pk)


@login_required
def form_detail(request, key, pk):
    form_type, form = _form_of(request, key, pk)
    acts = act_forms(acts_besides_conversation(available_acts(form, request.user)),
                     url=lambda name: reverse("cards:form_act", args=[key, form.pk, name]))
    context = {
        "form": form,
        "key": key,
        "title": form_type.title,
        "act_forms": acts,
        "unmet": form.pending_prerequisites(),
        "trail": form.audit_trail(),
        "lines": ui_selectors.form_lines(form) if key == "f301" else None,
        "is_agent": permissions.is_agent(request.user),
        "conversation": open_conversation(request.user, form),
    }
    return render(request, "cards/form_detail.html", context)


@login_required
@require_POST
def form_act(request, key, pk, act):
    _, form = _form_of(request, key, pk)
    if act not in ACTS:
        raise Http404
    return perform_posted_act(request, act, form_performer(request.user, form, act), subject=form_subject(form),
                              back=reverse(f"cards:{key}_detail", args=[form.pk]))
