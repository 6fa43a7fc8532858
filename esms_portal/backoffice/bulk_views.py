"""Pages of the bulk acts: the choice of the act over the cases the queue posted, its confirmation,
and the report (done, skipped and why) with its progress bar, refreshed by htmx while a worker runs it."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from esms_portal.backoffice import bulk
from esms_portal.core import permissions
from esms_portal.core.errors import PortalError
from esms_portal.core.live import fragment
from esms_portal.models import Label


class BulkForm(forms.Form):
    act = forms.ChoiceField(label="Acte à appliquer", choices=[("", "— Choisir un acte —"), *(
        (name, act.label) for name, act in bulk.ACTS.items())])
    message = forms.CharField(label="Message à l'organisation (demande de compléments)", required=False,
                              max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    label = forms.ModelChoiceField(label="Étiquette", required=False, queryset=Label.objects.order_by("name"),
                                   empty_label="— Choisir une étiquette —")
    assignee = forms.ModelChoiceField(label="Agent", required=False, queryset=None,
                                      empty_label="— Choisir un agent —")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_staff=True, is_active=True).order_by(
            "last_name", "first_name", "pk")


def _require_agent(user) -> None:
    # Outsiders learn nothing about the back office: 404, like every cross-tenant access.
    if not permissions.may(user, "backoffice.bulk"):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def bulk_start(request):
    """The queue posts its checked cases (`case`) here: the agent chooses or confirms the act."""
    _require_agent(request.user)
    if request.method == "GET":
        return redirect("backoffice:queue")
    refs = request.POST.getlist("case")
    form = BulkForm(request.POST if request.POST.get("confirmed") == "1" else None,
                    initial={"act": request.POST.get("act", ""), "idempotency_key": uuid.uuid4().hex})
    error = None
    try:
        refs = bulk.clean_refs(refs)
    except PortalError as refusal:
        error = refusal.message
    if error is None and form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            job = bulk.bulk_submit(agent=request.user, act=data["act"], refs=refs, message=data["message"],
                                   label=data["label"] and data["label"].pk,
                                   assignee=data["assignee"] and data["assignee"].pk,
                                   idempotency_key=data["idempotency_key"] or uuid.uuid4().hex)
            return redirect("backoffice:bulk_job", pk=job.pk)
        except PortalError as refusal:
            error = refusal.message
    context = {"form": form, "refs": refs, "error": error, "max": bulk.MAX_CASES,
               "background_over": bulk.BACKGROUND_OVER}
    return render(request, "backoffice/bulk_start.html", context, status=400 if error else 200)


@login_required
@require_GET
def bulk_job(request, pk):
    """The report; an htmx request gets the progress fragment only, 286 once the job is done."""
    job = bulk.job_get_for_agent(request.user, pk)
    context = {"report": bulk.report(job)}
    if request.htmx:
        return fragment(request, "backoffice/includes/bulk_report.html", context, final=context["report"].finished)
    return render(request, "backoffice/bulk_job.html", context)
