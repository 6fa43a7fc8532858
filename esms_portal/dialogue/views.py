"""The pages of the dialogue: a request's conversation (for a request without a page of its own, as
F999; every request's page includes it), posting a message or a completion answer, an attachment,
the notification centre and its preferences on the person's space."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from esms_portal.core import permissions
from esms_portal.core.forms import attempt
from esms_portal.dialogue import notifications, preferences, selectors, services
from esms_portal.dialogue.cases import case_get_for_user, case_title, case_url
from esms_portal.dialogue.files import attachment_response
from esms_portal.models import Notification


@login_required
@require_GET
def conversation(request, key, pk):
    obj = case_get_for_user(request.user, key, pk)
    context = {"case": obj, "title": case_title(obj), "case_url": _page(request.user, obj),
               "conversation": selectors.open_conversation(request.user, obj)}
    return render(request, "dialogue/conversation.html", context)


def _page(user, obj) -> str:
    """The request's page for `user`'s side (agents or organisation)."""
    return case_url(obj, organisation=not permissions.is_agent(user))


def _back(user, obj) -> str:
    return _page(user, obj) + "#conversation"


def _write(request, key, pk, act, sent: str):
    """A text and its files posted to the request's conversation by `act`; a refusal is shown there."""
    obj = case_get_for_user(request.user, key, pk)
    if attempt(request, act, actor=request.user, obj=obj, body=request.POST.get("body", ""),
               files=request.FILES.getlist("files")) is not None:
        messages.success(request, sent)
    return redirect(_back(request.user, obj))


@login_required
@require_POST
def message_post(request, key, pk):
    return _write(request, key, pk, services.message_post, "Message envoyé.")


@login_required
@require_POST
def completion_answer(request, key, pk):
    return _write(request, key, pk, services.completion_answer,
                  "Votre réponse est envoyée : la demande retourne en instruction.")


@login_required
@require_GET
def attachment(request, key, pk, message_pk, attachment_pk):
    return attachment_response(case_get_for_user(request.user, key, pk), message_pk, attachment_pk,
                               download=request.GET.get("telecharger") == "1")


@login_required
@require_GET
def notification_centre(request):
    context = {"to_do": list(selectors.to_do_of(request.user)),
               "notifications": list(selectors.notifications_of(request.user))}
    return render(request, "dialogue/notifications.html", context)


@login_required
@require_GET
def notification_open(request, pk):
    try:
        notification = Notification.objects.get(pk=pk, user=request.user)
    except Notification.DoesNotExist:
        raise Http404 from None
    notifications.mark_read(request.user, [notification.pk])
    return redirect(notification.url)


@login_required
@require_POST
def notifications_read(request):
    notifications.mark_read(request.user)
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("dialogue:notifications")


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in preferences.KINDS:
            self.fields[kind] = forms.ChoiceField(label=label, choices=preferences.DELIVERIES,
                                                  widget=forms.RadioSelect)


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request):
    form = PreferencesForm(request.POST or None, initial=preferences.of(request.user))
    if request.method == "POST" and form.is_valid():
        preferences.save(request.user, form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("dialogue:preferences")
    return render(request, "dialogue/preferences.html", {"form": form})
