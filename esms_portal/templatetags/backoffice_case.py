"""`{% case_panel request %}`: the agents' own panel on a request's page (instructor, followers,
labels, private notes). Empty for anyone but an ANS agent: an organisation never sees it."""

from django import template

from esms_portal.backoffice import services
from esms_portal.core import permissions
from esms_portal.models import Case, Label

register = template.Library()


@register.inclusion_tag("backoffice/_case_panel.html", takes_context=True)
def case_panel(context, request_obj):
    user = context["request"].user
    declared = getattr(type(request_obj), "request_type", None)
    if declared is None or not permissions.may(user, "backoffice.queue"):
        return {"case": None}
    case = (Case.objects.filter(type_key=declared.key, object_id=str(request_obj.pk)).select_related("assignee")
            .prefetch_related("labels", "followers").first())
    if case is None:
        return {"case": None}
    on_case = {label.pk for label in case.labels.all()}
    return {
        "case": case, "user": user, "request": context["request"], "csrf_token": context.get("csrf_token"),
        "following": any(follower.pk == user.pk for follower in case.followers.all()),
        "notes": case.notes.select_related("author"), "agents": services.agents(),
        "other_labels": [label for label in Label.objects.all() if label.pk not in on_case],
    }
