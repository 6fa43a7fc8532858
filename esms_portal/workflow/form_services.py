"""The instruction acts of every instructed form, for every app (esms_portal.workflow.instruction): the
plain transitions, and acceptance, which checks the prerequisites again and lets the form take the
effect its declaration names in the same transaction (cards ordered, rights granted); the decision
mail is the declaration's."""

from django.db import transaction

from esms_portal.core.errors import PrerequisiteMissing
from esms_portal.core.notify import mail_on_commit
from esms_portal.workflow.instruction import FormState, InstructedForm
from esms_portal.workflow.requests import perform_act

DECISIONS = {"accept": "acceptée", "reject": "refusée", "ask_completion": "compléments demandés"}
REASONED = ("ask_completion", "reject")  # decisions whose reason the form keeps and mails


def form_act(*, actor, form: InstructedForm, act: str, reason: str = "") -> InstructedForm:
    """start_instruction, ask_completion, complete, withdraw, reject."""
    kwargs = {"agent": actor} if act == "start_instruction" else {"motive": reason} if act in REASONED else {}
    outcome = perform_act(type(form), form.pk, act, actor=actor, reason=reason, **kwargs).request
    if act in REASONED:
        _mail_decision(outcome, act, reason)
    return outcome


def form_accept(*, actor, form: InstructedForm) -> InstructedForm:
    """Accept: every unmet prerequisite is reported (details.unmet), else the declared effect runs."""
    current = type(form).objects.get(pk=form.pk)
    unmet = current.unmet_prerequisites() if current.state == FormState.IN_INSTRUCTION else []
    if unmet:
        raise PrerequisiteMissing(unmet[0], details={"unmet": unmet})
    with transaction.atomic():
        form = perform_act(type(form), form.pk, "accept", actor=actor).request
        form.request_type.take_effect(form, actor=actor)
        _mail_decision(form, "accept", "")
    return form


def form_perform(*, actor, form: InstructedForm, act: str, reason: str = "") -> InstructedForm:
    """Any instruction act by its name, as pages and the API post it."""
    if act == "accept":
        return form_accept(actor=actor, form=form)
    return form_act(actor=actor, form=form, act=act, reason=reason)


def _mail_decision(form: InstructedForm, act: str, reason: str) -> None:
    mail_on_commit(
        to=[form.filed_by.email], subject=f"Votre demande {form.form_code} : {DECISIONS[act]}",
        template=form.request_type.decision_mail, context={"form": form, "act": act, "reason": reason},
    )
