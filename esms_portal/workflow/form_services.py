"""The instruction acts of every instructed form, for every app (esms_portal.workflow.instruction): the
plain transitions, and acceptance, which checks the prerequisites again and lets the form take the
effect its declaration names in the same transaction (cards ordered, rights granted). The decision
mail (the declaration's) is sent by the dialogue, which listens to every act (esms_portal.dialogue)."""

from django.db import transaction

from esms_portal.core.errors import PrerequisiteMissing
from esms_portal.workflow.instruction import FormState, InstructedForm
from esms_portal.workflow.requests import perform_act

REASONED = ("ask_completion", "reject")  # decisions whose reason the form keeps and mails


def form_act(*, actor, form: InstructedForm, act: str, reason: str = "") -> InstructedForm:
    """start_instruction, ask_completion, complete, withdraw, reject."""
    kwargs = {"agent": actor} if act == "start_instruction" else {"motive": reason} if act in REASONED else {}
    return perform_act(type(form), form.pk, act, actor=actor, reason=reason, **kwargs).request


def form_accept(*, actor, form: InstructedForm) -> InstructedForm:
    """Accept: every unmet prerequisite is reported (details.unmet), else the declared effect runs."""
    current = type(form).objects.get(pk=form.pk)
    unmet = current.unmet_prerequisites() if current.state == FormState.IN_INSTRUCTION else []
    if unmet:
        raise PrerequisiteMissing(unmet[0], details={"unmet": unmet})
    with transaction.atomic():
        form = perform_act(type(form), form.pk, "accept", actor=actor).request
        form.request_type.take_effect(form, actor=actor)
    return form


def form_perform(*, actor, form: InstructedForm, act: str, reason: str = "") -> InstructedForm:
    """Any instruction act by its name, as pages and the API post it."""
    if act == "accept":
        return form_accept(actor=actor, form=form)
    return form_act(actor=actor, form=form, act=act, reason=reason)
