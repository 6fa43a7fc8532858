"""The state of any declared request, polled by its page (esms_portal.core.live): the organisation
sees the agent's decision, and the agent another agent's, without reloading."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from esms_portal.core import permissions
from esms_portal.core.live import fragment
from esms_portal.core.queries import get_or_404
from esms_portal.workflow.declarations import request_type


def request_get_for_user(user, key: str, pk):
    """One request of a declared type that `user` may read; 404 across organisations."""
    declared = request_type(key)
    if declared is None:
        raise Http404
    requests = declared.model._default_manager.all()
    requests = permissions.scope_for_act(requests, user, declared.view_act) if declared.view_act else (
        requests if permissions.is_agent(user) else requests.none())
    return get_or_404(requests, pk=pk)


@login_required
@require_GET
def request_state(request, key: str, pk: str):
    """The state badge alone for the page's poll (286 once no agent has anything left to do); the
    request's page itself otherwise."""
    item = request_get_for_user(request.user, key, pk)
    if not request.htmx:
        return redirect(item.request_type.detail_url, item.pk)
    context = {"item": item, "shown": request.GET.get("shown", "")[:40]}
    return fragment(request, "includes/request_state.html", context,
                    final=item.state not in item.request_type.waiting_states)
