"""The card fleet of an organisation, one card's page, and the acts on a card: opposition
(R-CRD-11), incidents F501/F504 (R-CRD-12), holder data (R-CRD-5), activation by the holder."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from esms_portal.core import keyset, page_cache, permissions, tenant
from esms_portal.core.errors import StateConflict
from esms_portal.core.forms import show_error, submit_posted
from esms_portal.core.live import asks_for, fragment
from esms_portal.core.pages import may_or_403
from esms_portal.workflow.requests import available_acts

from .. import selectors, services, ui_selectors
from ..forms import ActivationForm, FleetFilterForm, HolderForm, IncidentForm, OpposeForm
from ..models import CardState, IncidentKind

PAGE_SIZE = 20
ENDED_STATES = (CardState.OPPOSED, CardState.EXPIRED, CardState.REPLACED)


def _filing_rights(user, organisation) -> dict:
    """Which forms the fleet offers: the user's roles read once, not once per form."""
    roles = permissions.roles_on(user, organisation.pk)
    return {
        key: bool(roles & permissions.ACTS[f"{key}.file"]) and not permissions.needs_card_login(user, f"{key}.file")
        for key in ("f101", "f301", "f502", "f414")
    }


@login_required
@page_cache.person_page
def fleet(request):
    """An organisation's cards for its managers and agents; a plain holder sees his own cards."""
    user = request.user
    organisation = tenant.organisation_for_request(
        user, request.GET.get("organisation"), roles=permissions.MANAGERS
    )
    filter_form = FleetFilterForm(request.GET or None)
    filters = filter_form.filters()
    context = {"filter_form": filter_form, "organisation": organisation, "query": keyset.query_without_cursor(request)}
    if organisation is None and permissions.is_agent(user):
        organisations = ui_selectors.organisations_with_cards(user)
        context["page"] = keyset.html_page(request, organisations, PAGE_SIZE)
        context["total"] = keyset.count_label(organisations, "organisation équipée", "organisations équipées")
        return render(request, "cards/organisation_picker.html", context)
    if organisation is None:  # his own cards: the holder's scope
        page_cache.depends_on(request)
        cards = ui_selectors.fleet_rows(ui_selectors.card_list(user, own=True, **filters))
        context["test_cards_for"] = ui_selectors.test_card_organisation_for_request(user)  # R-CRD-14
    else:
        page_cache.depends_on(request, organisation.pk)
        cards = ui_selectors.fleet_rows(ui_selectors.card_list(user, organisation_id=organisation.pk, **filters))
        context["rights"] = _filing_rights(user, organisation)
        context["other_organisations"] = (
            [] if permissions.is_agent(user) else list(tenant.organisations_for(user, roles=permissions.MANAGERS))
        )
    context["page"] = keyset.html_page(request, cards, PAGE_SIZE)
    context["total"] = keyset.count_label(cards, "carte", "cartes")
    context["card_url"] = reverse("cards:fleet")  # a card's page is card_url + its pk: no reverse() per row
    return render(request, "cards/fleet.html", context)


@login_required
def card_detail(request, pk):
    card = selectors.card_get_for_user(request.user, pk)
    if asks_for(request, "card-state"):  # production and shipping move on timed steps: the page follows them
        return fragment(request, "cards/includes/live_card_state.html", {"card": card},
                        final=not card.in_making)
    acts = available_acts(card, request.user)
    in_use = card.state not in ENDED_STATES
    context = {
        "card": card,
        "renewal": ui_selectors.renewal_of(card),
        "establishments": ui_selectors.establishments_of(card),
        "trail": card.audit_trail(),
        "incidents": selectors.incidents_of(card),
        "may_oppose": "oppose" in acts,
        "may_activate": "activate" in acts,
        "may_incident": in_use and _may_declare(request.user, card),
        "may_update_holder": in_use and permissions.may(request.user, "card.update_holder", card),
        "renewal_due_at": services.cards.renewal_due_at(card) if card.state == CardState.ACTIVE else None,
    }
    return render(request, "cards/card_detail.html", context)


def _to_card(request, card, message: str, level=messages.SUCCESS):
    """Back to the card's page, which shows `message`."""
    messages.add_message(request, level, message)
    return redirect("cards:card_detail", pk=card.pk)


def _may_declare(user, card) -> bool:
    return card.holder_id == user.pk or permissions.may(user, "card.incident", card)


@login_required
@require_http_methods(["GET", "POST"])
def card_oppose(request, pk):
    card = selectors.card_get_for_user(request.user, pk)
    if "oppose" not in available_acts(card, request.user) and request.method == "GET":
        return _to_card(request, card, "Cette carte ne peut pas être opposée.", messages.INFO)
    form = OpposeForm(request.POST if request.method == "POST" else None)
    if submit_posted(request, form, services.card_oppose, values=_reason, actor=request.user, card=card):
        return _to_card(request, card, "Opposition enregistrée : la carte ne peut plus être utilisée.")
    return render(request, "cards/card_oppose.html", {"card": card, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def card_incident(request, pk):
    card = selectors.card_get_for_user(request.user, pk)
    if not _may_declare(request.user, card):
        raise PermissionDenied
    form = IncidentForm(request.POST if request.method == "POST" else None)
    if incident := submit_posted(request, form, services.card_declare_incident, actor=request.user, card=card):
        return _to_card(request, card, _incident_message(incident))
    return render(request, "cards/card_incident.html", {"card": card, "form": form})


def _reason(form) -> dict:
    return {"reason": form.cleaned_data["reason"]}


def _incident_message(incident) -> str:
    if incident.replacement_id:
        return "Incident enregistré : la carte est opposée et une nouvelle carte est commandée."
    if incident.kind == IncidentKind.PIN_LOST:
        return "Incident enregistré : le porteur choisira de nouveaux codes sur la page d'activation."
    return "Nouvelle adresse de livraison enregistrée."


@login_required
@require_http_methods(["GET", "POST"])
def card_update_holder(request, pk):
    card = selectors.card_get_for_user(request.user, pk)
    may_or_403(request.user, "card.update_holder", card)
    initial = {"last_name": card.holder_last_name, "first_names": card.holder_first_names, "title": card.title}
    form = HolderForm(request.POST if request.method == "POST" else None, initial=initial)
    if submit_posted(request, form, services.card_update_holder, actor=request.user, card=card):
        return _to_card(request, card, "Données du porteur mises à jour.")
    return render(request, "cards/card_holder.html", {"card": card, "form": form})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def card_activate(request, pk):
    """The holder chooses his PIN (the delivery mail links here); only its hash is kept."""
    card = selectors.card_get_for_user(request.user, pk)
    if card.holder_id != request.user.pk:
        raise PermissionDenied
    if card.state != CardState.DELIVERED:
        return _to_card(request, card, "Cette carte n'est pas en attente d'activation.", messages.INFO)
    form = ActivationForm(request.POST if request.method == "POST" else None)
    activated = submit_posted(request, form, services.card_activate, on_error=partial(_activation_refused, form),
                              actor=request.user, card=card)
    if activated:
        return _to_card(request, card, "Votre carte est activée : elle est valable trois ans.")
    if form.is_bound and not form.errors:  # refused for the card's state: its page tells it
        return redirect("cards:card_detail", pk=card.pk)
    return render(request, "cards/card_activate.html", {"card": card, "form": form})


def _activation_refused(form, request, error) -> None:
    # Someone acted on the card meanwhile: its page tells what it is now. A refused PIN stays on the form.
    if isinstance(error, StateConflict):
        messages.error(request, error.message)
    else:
        show_error(form, error)
