"""Pages of the adhesion contract: the legal representative's dossier and the agent's instruction."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal.core import permissions
from esms_portal.core.errors import ActNotAllowed, InvalidInput, PortalError
from esms_portal.core.forms import attempt
from esms_portal.core.pages import found_or_403, may_or_403
from esms_portal.dialogue.selectors import acts_besides_conversation, open_conversation
from esms_portal.workflow.act_pages import Act, Subject, act_forms, perform_posted_act, reference_of, reworded
from esms_portal.workflow.requests import available_acts

from . import selectors, services
from .contract_forms import ContractForm
from .models import ContractState

# Web acts: name -> the service that performs it; their wording is the kernel's, reworded for a contract.
SERVICES = {
    "submit": services.contract_submit,
    "withdraw": services.contract_withdraw,
    "complete": services.contract_complete,
    "start_instruction": services.contract_start_instruction,
    "ask_completion": services.contract_ask_completion,
    "accept": services.contract_accept,
    "reject": services.contract_reject,
    "terminate": services.contract_terminate,
}
ACTS = {
    "submit": Act("Déposer le dossier", ("est déposé", "est déposée")),
    **reworded(
        accept={"label": "Accepter le contrat"}, reject={"label": "Refuser le contrat"},
        withdraw={"label": "Abandonner le dossier"}, complete={"label": "Renvoyer le dossier complété"},
    ),
    "terminate": Act("Résilier le contrat", ("est résilié", "est résiliée"), confirm=True, style="fr-btn--secondary",
                     reason="Motif de la résiliation (obligatoire)", reason_required=True),
}
REASON_ARGUMENT = {"complete": "message", "ask_completion": "message"}

@login_required
@require_http_methods(["GET", "POST"])
def contract_home(request):
    """The legal representative's entry: his live contract, or the choice of the contracting level."""
    organisation = found_or_403(selectors.represented_organisation(request.user))
    existing = selectors.live_contract_of(organisation.pk)
    if existing is not None:
        return redirect("contracts:detail", pk=existing.pk)
    sites = list(selectors.sites_of(organisation))
    choices = [organisation] + (sites if len(sites) == 1 else [])
    if request.method == "POST":
        chosen = next((s for s in choices if str(s.pk) == request.POST.get("structure")), None)
        if chosen is None:
            messages.error(request, "Choisissez la structure qui signe le contrat.")
        elif contract := attempt(request, services.contract_start, actor=request.user, structure=chosen):
            messages.success(request, "Votre contrat est ouvert en brouillon.")
            return redirect("contracts:edit", pk=contract.pk)
    context = {"organisation": organisation, "choices": choices, "site_count": len(sites)}
    return render(request, "contracts/contract_start.html", context)


@login_required
def contract_detail(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    # A reason is required of the agent's acts; the organisation answers in the conversation (esms_portal.dialogue).
    acts = act_forms(acts_besides_conversation(available_acts(contract, request.user)), acts=ACTS,
                     url=lambda name: reverse("contracts:act", args=[contract.pk, name]))
    # Every member follows the contract's state; only the roles that act on it read its details.
    may_read_details = permissions.may(request.user, "contract.read_details", contract)
    context = {
        "contract": contract,
        "act_forms": acts,
        "missing": contract.missing_fields() if contract.is_editable else {},
        "may_edit": contract.is_editable and permissions.may(request.user, "contract.submit", contract),
        "may_read_details": may_read_details,
        "trail": contract.audit_trail() if may_read_details else [],
        # The conversation with the ANS (esms_portal.dialogue): opening the dossier marks it read.
        "conversation": open_conversation(request.user, contract) if may_read_details else None,
        "is_agent": permissions.is_agent(request.user),
    }
    return render(request, "contracts/contract_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    may_or_403(request.user, "contract.submit", contract)
    if not contract.is_editable:
        messages.info(request, "Le dossier déposé n'est plus modifiable, sauf demande de compléments.")
        return redirect("contracts:detail", pk=pk)
    form = ContractForm(request.POST or None, request.FILES or None, instance=contract)
    if request.method == "POST" and form.is_valid():
        saved = attempt(request, _save, on_error=partial(_edit_refused, form), request=request, pk=pk, form=form)
        if saved and "submit" not in request.POST:
            messages.success(request, "Brouillon enregistré.")
        if saved or not form.errors:  # a refusal that is not about the input: the dossier's page tells it
            return redirect("contracts:detail", pk=pk)
    return render(request, "contracts/contract_form.html", {"contract": contract, "form": form})


def _save(*, request, pk, form):
    """The draft's fields and its proof together (all or nothing), then its deposit when asked."""
    contract = services.contract_update(
        actor=request.user, contract_pk=pk, data=form.contract_data(), cgu_accepted=form.cleaned_data["cgu_accepted"],
        proof=form.cleaned_data["proof"] or None,
    )
    return _submit_or_complete(request, pk) if "submit" in request.POST else contract


def _submit_or_complete(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    if contract.state == ContractState.COMPLETION_REQUESTED:
        contract = services.contract_complete(actor=request.user, contract_pk=pk)
        messages.success(request, "Dossier complété et renvoyé à l'agent instructeur.")
    else:
        contract = services.contract_submit(actor=request.user, contract_pk=pk)
        messages.success(request, "Dossier déposé. Un dossier complet est instruit en 6 à 16 jours.")
    return contract


def _edit_refused(form, request, error: PortalError) -> None:
    if isinstance(error, InvalidInput):
        _show_errors(form, error)
    else:
        messages.error(request, error.message)


def _show_errors(form, error: InvalidInput):
    """Put each missing or invalid field's message next to the field; the rest on top."""
    form.add_error(None, error.message)
    for field, problem in (error.details or {}).items():
        target = {"cgu_accepted": "cgu_accepted", "proof": "proof"}.get(field, field)
        text = problem if isinstance(problem, str) else " ".join(problem)
        form.add_error(target if target in form.fields else None, text)


@login_required
@require_POST
def contract_act(request, pk, act):
    contract = selectors.contract_get_for_user(request.user, pk)
    if act not in ACTS:
        raise Http404
    subject = Subject(f"Le contrat d'adhésion n° {reference_of(contract)}", feminine=False)
    return perform_posted_act(request, act, _performer(request, contract, act), subject=subject, acts=ACTS,
                              back=reverse("contracts:detail", args=[pk]), on_error=_refused)


def _performer(request, contract, act):
    def perform(reason=""):
        reason_argument = {REASON_ARGUMENT.get(act, "reason"): reason} if ACTS[act].reason else {}
        return SERVICES[act](actor=request.user, contract_pk=contract.pk, **reason_argument)

    return perform


def _refused(request, error: PortalError) -> None:
    """A right the user lacks is a 403; another refusal is told on the dossier's page, with the
    problems its details name (the missing fields of an incomplete dossier)."""
    if isinstance(error, ActNotAllowed):
        raise PermissionDenied from error
    details = error.details if isinstance(error.details, dict) else {}
    problems = [v for k, v in details.items() if k != "rule" and isinstance(v, str)]
    messages.error(request, " ".join([error.message, *problems]))


@login_required
def contract_proof(request, pk):
    """The uploaded proof, streamed only to those who read the contract's details."""
    contract = selectors.contract_get_for_user(request.user, pk)
    may_or_403(request.user, "contract.read_details", contract)
    pdf = selectors.contract_proof_file(contract)
    if pdf is None:
        raise Http404
    response = FileResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="justificatif-{contract.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

