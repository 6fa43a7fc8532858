"""The organisation's onboarding pages: the timeline (its home), the drawing, the calendar and the
declaration of its services socles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from esms_portal.core import page_cache, permissions
from esms_portal.core.forms import attempt
from esms_portal.onboarding import calendar, selectors, services, svg
from esms_portal.onboarding.forms import DeclarationForm
from esms_portal.onboarding.timeline import build_timeline


def _timeline(request, pk):
    organisation = selectors.onboarding_organisation_get(request.user, pk)
    page_cache.depends_on(request, organisation.pk)
    roles = permissions.roles_on(request.user, organisation.pk)
    return organisation, build_timeline(organisation, roles=roles), roles


@login_required
@require_GET
@page_cache.person_page
def timeline(request, pk):
    organisation, found, roles = _timeline(request, pk)
    context = {
        "organisation": organisation,
        "timeline": found,
        "drawing": svg.layout(found),
        "events": calendar.events(found),
        "may_declare": bool(roles & permissions.ACTS["onboarding.declare"]),
        "may_manage_webhooks": bool(roles & permissions.ACTS["webhook.manage"]),
    }
    return render(request, "onboarding/timeline.html", context)


@login_required
@require_GET
def timeline_svg(request, pk):
    organisation, found, _ = _timeline(request, pk)
    response = render(request, "onboarding/timeline.svg", {"drawing": svg.layout(found), "standalone": True},
                      content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="frise-{organisation.identifier}.svg"'
    return response


@login_required
@require_GET
def timeline_ics(request, pk):
    organisation, found, _ = _timeline(request, pk)
    response = HttpResponse(calendar.ics(found, host=request.get_host().split(":")[0]),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="embarquement-{organisation.identifier}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def declaration_edit(request, pk):
    organisation, found, roles = _timeline(request, pk)
    if not roles & permissions.ACTS["onboarding.declare"]:
        raise PermissionDenied
    candidates = selectors.qualifier_candidates(organisation, found)
    form = DeclarationForm(request.POST or None, candidates=candidates,
                           initial=DeclarationForm.initial_from(found.declaration))
    if request.method == "POST" and form.is_valid() and attempt(
        request, services.declaration_update, actor=request.user, organisation=organisation,
        data=form.declaration_data(), identity_qualifiers=form.cleaned_data["identity_qualifiers"],
    ):
        messages.success(request, "Vos services socles sont enregistrés : la préparation est recalculée.")
        return redirect("onboarding:timeline", pk=organisation.pk)
    return render(request, "onboarding/declaration_form.html", {"organisation": organisation, "form": form})
