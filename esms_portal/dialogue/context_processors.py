"""The header's notification counts (« À faire », unread notifications): one query, only on the
pages that render the header, whatever the number of notifications."""

from django.utils.functional import SimpleLazyObject

from esms_portal.dialogue.notifications import unread_summary


def notification_counts(request):
    user = getattr(request, "user", None)
    return {"notification_counts": SimpleLazyObject(lambda: unread_summary(user))}
