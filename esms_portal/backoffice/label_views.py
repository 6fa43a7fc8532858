"""The « Étiquettes » page: the agents list, create, rename and delete the labels they put on cases,
through the same services as the API (services.label_*). Anyone but an agent gets a 404."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal.backoffice import services
from esms_portal.core import permissions
from esms_portal.core.forms import submit_posted
from esms_portal.models import Label, LabelColour


def agents_only(view):
    """The page does not exist for anyone else (an organisation's user learns nothing of it)."""
    @login_required
    @wraps(view)
    def check(request, *args, **kwargs):
        if not permissions.may(request.user, "case.label"):
            raise Http404
        return view(request, *args, **kwargs)

    return check


class LabelForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=40, error_messages={
        "required": "Donnez un nom à l'étiquette.",
        "max_length": "Le nom d'une étiquette fait au plus 40 caractères."})
    colour = forms.ChoiceField(label="Couleur", choices=LabelColour.choices, initial=LabelColour.BLUE_ECUME,
                               error_messages={"invalid_choice": "Choisissez une couleur de la liste."})


def _labels():
    return Label.objects.annotate(case_count=Count("cases"))


def _page(request, form, *, editing=None, edit_form=None, status=200):
    rows = [{"label": label, "form": edit_form if editing == label.pk else
             LabelForm(initial={"name": label.name, "colour": label.colour}, prefix=f"l{label.pk}")}
            for label in _labels()]
    return render(request, "backoffice/labels.html", {"form": form, "rows": rows}, status=status)


@require_http_methods(["GET", "POST"])
@agents_only
def labels(request):
    form = LabelForm(request.POST if request.method == "POST" else None)
    label = submit_posted(request, form, services.label_create, actor=request.user)
    if label is not None:
        messages.success(request, f"Étiquette « {label.name} » créée.")
        return redirect("backoffice:labels")
    return _page(request, form, status=400 if form.errors else 200)


@require_POST
@agents_only
def label_change(request, pk):
    if not Label.objects.filter(pk=pk).exists():
        raise Http404
    form = LabelForm(request.POST, prefix=f"l{pk}")
    label = submit_posted(request, form, services.label_change, actor=request.user, pk=pk)
    if label is not None:
        messages.success(request, f"Étiquette « {label.name} » enregistrée.")
        return redirect("backoffice:labels")
    return _page(request, LabelForm(), editing=pk, edit_form=form, status=400)


@require_http_methods(["GET", "POST"])
@agents_only
def label_delete(request, pk):
    label = _labels().filter(pk=pk).first()
    if label is None:
        raise Http404
    if request.method == "POST":
        try:
            detached = services.label_delete(actor=request.user, pk=pk)
        except services.LabelNotFound:
            raise Http404 from None
        shown = f" et retirée de {detached} dossier{'s' if detached > 1 else ''}" if detached else ""
        messages.success(request, f"Étiquette « {label.name} » supprimée{shown}.")
        return redirect("backoffice:labels")
    return render(request, "backoffice/label_delete.html", {"label": label})
