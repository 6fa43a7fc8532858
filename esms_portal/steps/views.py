"""Back-office board of timed steps, for ANS agents only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from esms_portal.core.forms import attempt
from esms_portal.core.live import asks_for, fragment
from esms_portal.core.permissions import may
from esms_portal.steps import selectors, services


def _require_agent(user) -> None:
    # Outsiders learn nothing about the back office: 404, like every cross-tenant access.
    if not may(user, "steps.supervise"):
        raise Http404


@login_required
def steps_board(request):
    _require_agent(request.user)
    context = {"sections": selectors.steps_board()}
    if asks_for(request, "steps-board"):  # the board never ends: it is asked again as long as it is open
        return fragment(request, "esms_portal/includes/steps_board_sections.html", context, final=False)
    return render(request, "esms_portal/steps_board.html", context)


@login_required
@require_POST
def step_retry(request, pk: int):
    _require_agent(request.user)
    step = selectors.step_get(pk)
    if attempt(request, services.step_retry, step_id=step.pk, actor=request.user):
        messages.success(request, f"L'étape « {step.kind} » est relancée.")
    return redirect("backoffice:steps_board")
