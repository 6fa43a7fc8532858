"""The acts of an instructed request on its page, for every one of them (contract, F101, F301, F502,
F413, F503, the RPPS+ analysis): one small form per act with only its own fields, a confirmation step
before a decision, and what happened said in plain French (« La demande F301 n° 6DB33D79 est
acceptée. »). Pages list their acts with `act_forms` and post them to `perform_posted_act`."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from esms_portal.core.forms import attempt, flash_error
from esms_portal.workflow.form_services import form_perform


@dataclass(frozen=True)
class Subject:
    """What an act is about, as a sentence starts with it, and its gender for the agreement."""

    name: str  # « La demande F301 n° 6DB33D79 », « Le contrat d'adhésion n° 12 »
    feminine: bool = True


def reference_of(obj) -> str:
    """A request's number as people quote it: its id, or the first group of its UUID."""
    return str(obj.pk).split("-")[0].upper()


def form_subject(form) -> Subject:
    """An ANS form (esms_portal.workflow.instruction.InstructedForm): « La demande F301 n° … »."""
    return Subject(f"La demande {form.request_type.number} n° {reference_of(form)}")


class ReasonForm(forms.Form):
    """The one field of the acts that take a reason or a message."""

    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Un motif est obligatoire pour cet acte."})

    def __init__(self, *args, label: str, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required


@dataclass(frozen=True)
class Act:
    """One act as a page offers it: its button, its fields, whether it is confirmed first, and what
    is said once done (the participle after the subject, masculine and feminine)."""

    label: str
    done: tuple[str, str]
    reason: str = ""  # the label of its reason field; none when empty
    reason_required: bool = False
    confirm: bool = False  # a decision: asked again before it is performed
    style: str = ""
    fields: type[forms.Form] | None = None  # its own fields instead of a reason (RPPS+ analysis)

    def form(self, data=None, *, name: str):
        kwargs = {"auto_id": f"{name}-%s"}
        if self.fields is not None:
            return self.fields(data, **kwargs)
        if self.reason:
            return ReasonForm(data, label=self.reason, required=self.reason_required, **kwargs)
        return None

    def said(self, subject: Subject) -> str:
        return f"{subject.name} {self.done[subject.feminine]}."


# The acts every instructed request shares, in the order of its page; a page may reword some.
ACTS: dict[str, Act] = {
    "start_instruction": Act("Prendre en charge", ("est pris en charge", "est prise en charge")),
    "ask_completion": Act("Demander des compléments", ("attend les compléments demandés",) * 2,
                          reason="Compléments demandés à l'organisation (obligatoire)", reason_required=True,
                          style="fr-btn--secondary"),
    "complete": Act("Renvoyer la demande complétée", ("est renvoyé complété à l'agent instructeur",
                                                      "est renvoyée complétée à l'agent instructeur"),
                    reason="Votre réponse à l'agent (facultatif)"),
    "accept": Act("Accepter la demande", ("est accepté", "est acceptée"), confirm=True),
    "reject": Act("Refuser la demande", ("est refusé", "est refusée"), reason="Motif du refus (obligatoire)",
                  reason_required=True, confirm=True, style="fr-btn--secondary"),
    "withdraw": Act("Abandonner la demande", ("est abandonné", "est abandonnée"), style="fr-btn--tertiary"),
}


def reworded(acts: dict[str, Act] = ACTS, **changes: dict) -> dict[str, Act]:
    """`acts` with some of their wording changed: `reworded(accept={"label": "Accepter le contrat"})`."""
    return {name: replace(act, **changes.get(name, {})) for name, act in acts.items()}


@dataclass
class ActForm:
    """What the acts include renders for one act (templates/includes/act_forms.html)."""

    name: str
    act: Act
    url: str
    form: forms.Form | None = None


def act_forms(names, *, url: Callable[[str], str], acts: dict[str, Act] = ACTS) -> list[ActForm]:
    """The forms of the acts `names` (those the machine allows now, available_acts), in the table's order."""
    offered = set(names)
    return [ActForm(name, act, url(name), act.form(name=name)) for name, act in acts.items() if name in offered]


def form_performer(user, form, act: str) -> Callable:
    """`perform` of an ANS form's act, for `perform_posted_act`."""
    return lambda reason="": form_perform(actor=user, form=form, act=act, reason=reason)


def _shown(form) -> list[tuple[str, str]]:
    """The fields as the confirmation repeats them, a choice by its label."""
    if form is None:
        return []
    rows = []
    for name, field in form.fields.items():
        if value := form.cleaned_data.get(name):
            rows.append((field.label, dict(getattr(field, "choices", ())).get(value, value)))
    return rows


def perform_posted_act(request, name: str, perform: Callable, *, subject: Subject, back: str,
                       acts: dict[str, Act] = ACTS, on_error=flash_error):
    """The POST of one act's form: its fields checked, a decision confirmed first (a page that posts
    again with `confirmed`), then `perform(**fields)`; the outcome is said on the page `back`."""
    act = acts[name]
    form = act.form(request.POST, name=name)
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    if act.confirm and request.POST.get("confirmed") != "1":
        context = {"act": act, "name": name, "form": form, "subject": subject, "back": back,
                   "url": request.get_full_path(), "shown": _shown(form)}
        return render(request, "includes/act_confirm.html", context)
    if attempt(request, perform, on_error=on_error, **(form.cleaned_data if form is not None else {})) is not None:
        messages.success(request, act.said(subject))
    return redirect(back)
