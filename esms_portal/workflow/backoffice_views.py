"""The agents' instruction queue: one tab per instructed request type (esms_portal.workflow.backoffice)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from esms_portal.core import keyset, permissions
from esms_portal.core.regions import region_choices
from esms_portal.core.widgets import ConstantSelect
from esms_portal.workflow.backoffice import get_queue, queue_requests, queues

PAGE_SIZE = 50


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label="État", required=False, widget=ConstantSelect)
    region = forms.ChoiceField(label="Région", required=False, choices=region_choices("Toutes les régions"),
                               widget=ConstantSelect)
    min_days = forms.IntegerField(label="Déposés depuis au moins (jours)", required=False, min_value=0)

    def __init__(self, *args, queue, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(queue.model._meta.get_field("state").choices)
        self.fields["state"].choices = [("", "En attente d'un agent")] + [
            (state, labels[state]) for state in labels
        ]


@login_required
def instruction_queue(request, key=None):
    if not permissions.is_agent(request.user):
        raise PermissionDenied
    all_queues = queues()
    queue = get_queue(key) if key else (all_queues[0] if all_queues else None)
    if queue is None:
        raise Http404
    form = QueueFilterForm(request.GET or None, queue=queue)
    filters = form.cleaned_data if form.is_valid() else {}
    requests = queue_requests(
        queue, state=filters.get("state", ""), region=filters.get("region", ""), min_days=filters.get("min_days")
    )
    context = {
        "queues": all_queues,
        "queue": queue,
        "form": form,
        "page": keyset.html_page(request, requests, PAGE_SIZE),
        "total": keyset.count_label(requests, "dossier", "dossiers"),
        "query": keyset.query_without_cursor(request),
    }
    return render(request, "esms_portal/instruction_queue.html", context)
