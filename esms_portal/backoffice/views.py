"""The agents' queue and their acts on cases (pages). Thin: the filters, the services, the rows."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from esms_portal.backoffice import services
from esms_portal.backoffice.hooks import unread_counts
from esms_portal.backoffice.queue import TABS, QueueFilters, counts, queue_cases
from esms_portal.backoffice.rows import rows_of
from esms_portal.core import keyset, permissions
from esms_portal.core.forms import attempt
from esms_portal.models import Label
from esms_portal.workflow.declarations import request_types

PAGE_SIZE = 50


def agents_only(view):
    @login_required
    @wraps(view)
    def check(request, *args, **kwargs):
        if not permissions.may(request.user, "backoffice.queue"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return check


def bulk_url() -> str:
    """The bulk actions' address, when that view is installed (esms_portal.backoffice.bulk)."""
    try:
        return reverse("backoffice:bulk")
    except NoReverseMatch:
        return ""


def bulk_buttons() -> str:
    """The bulk actions' buttons, when their template is installed beside the view."""
    try:
        return get_template("backoffice/bulk_buttons.html").origin.template_name
    except TemplateDoesNotExist:
        return ""


def _filters(request):
    labels = list(Label.objects.all())
    form = QueueFilters(request.GET or None, labels=labels)
    return form, form.values(), labels


def _count_context(request, filters) -> dict:
    found = counts({k: v for k, v in filters.items() if k not in ("type", "tab")}, request.user)
    current_type, current_tab = filters.get("type", ""), filters.get("tab") or "en_cours"
    base = request.GET.copy()
    for name in ("cursor", "type", "tab"):
        base.pop(name, None)

    def link(**values) -> str:
        query = base.copy()
        for name, value in values.items():
            if value:
                query[name] = value
        return f"?{query.urlencode()}"

    selected = found[current_type]
    return {
        "type_tabs": [{"key": "", "label": "Tous les types", "counts": found[""], "url": link(tab=current_tab)}] + [
            {"key": t.key, "label": t.label, "counts": found[t.key], "url": link(type=t.key, tab=current_tab)}
            for t in request_types()],
        "status_tabs": [{"key": t.key, "label": t.label, "count": selected.of_tab(t.key),
                         "url": link(type=current_type, tab=t.key)} for t in TABS],
        "current_type": current_type, "current_tab": current_tab,
        "counts_url": f"{reverse('backoffice:counts')}?{request.GET.urlencode()}",
    }


@agents_only
def queue(request):
    form, filters, labels = _filters(request)
    cases = queue_cases(filters, request.user).select_related("assignee").prefetch_related("labels")
    page = keyset.html_page(request, cases, PAGE_SIZE)
    unread = unread_counts(request.user, [case.ref for case in page.rows])
    return render(request, "backoffice/queue.html", {
        "form": form, "labels": labels, "page": page, "rows": rows_of(page.rows, unread),
        "query": keyset.query_without_cursor(request), "bulk_url": bulk_url(),
        "bulk_buttons": bulk_buttons() if bulk_url() else "",
        "agents": services.agents(), "export_url": f"{reverse('backoffice:export')}?{request.GET.urlencode()}",
        **_count_context(request, filters),
    })


@agents_only
def queue_counts(request):
    """The tabs and their counts alone: htmx refreshes them in place (templates/backoffice/_tabs.html)."""
    _, filters, _ = _filters(request)
    return render(request, "backoffice/_tabs.html", _count_context(request, filters))


def legacy_queue(request, key):
    """The former per-type queue's address (/back-office/instruction/<key>/)."""
    return redirect(f"{reverse('backoffice:queue')}?type={key}")


# Acts on one case, posted from the queue or from a request's page (`next`).
def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(target)
    return redirect("backoffice:queue")


def _done(request, result, message: str):
    if result is not None:
        messages.success(request, message)
    return _back(request)


@require_POST
@agents_only
def case_take(request, ref):
    return _done(request, attempt(request, services.case_take, actor=request.user, ref=ref),
                 "Vous êtes l'instructeur de ce dossier.")


@require_POST
@agents_only
def case_release(request, ref):
    return _done(request, attempt(request, services.case_release, actor=request.user, ref=ref),
                 "Le dossier est rendu à la file d'attente.")


@require_POST
@agents_only
def case_follow(request, ref):
    follow = request.POST.get("follow", "1") == "1"
    return _done(request, attempt(request, services.case_follow, actor=request.user, ref=ref, follow=follow),
                 "Vous suivez ce dossier." if follow else "Vous ne suivez plus ce dossier.")


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label="Confier à", queryset=None, empty_label="Choisissez un agent",
                                error_messages={"required": "Choisissez un agent.",
                                                "invalid_choice": "Choisissez un agent de la liste."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = services.agents()


@require_POST
@agents_only
def case_assign(request, ref):
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["to"][0])
        return _back(request)
    to = form.cleaned_data["to"]
    return _done(request, attempt(request, lambda: services.assign(request.user, [ref], to=to)),
                 f"Dossier confié à {to}.")


@require_POST
@agents_only
def case_labels(request, ref):
    add, remove = request.POST.getlist("add"), request.POST.getlist("remove")
    return _done(request, attempt(request, lambda: services.set_labels(request.user, [ref], add=add, remove=remove)),
                 "Étiquettes mises à jour.")


@require_POST
@agents_only
def case_note(request, ref):
    return _done(request, attempt(request, services.case_annotate, actor=request.user, ref=ref,
                                  body=request.POST.get("body", "")), "Annotation ajoutée.")
