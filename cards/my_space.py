"""The cards part of a person's own space (esms_portal.views.my_space): the cards he holds, each with
what he does next (activate it once delivered) and the mandate it brings."""

from esms_portal.core.extensions import HomePanel

from .models import Card, CardState


def my_cards_panel(user) -> HomePanel | None:
    cards = list(
        Card.objects.filter(holder=user).exclude(state=CardState.REPLACED)
        .select_related("organisation").order_by("-created_at")
    )
    if not cards:
        return None
    return HomePanel("cards/includes/my_cards.html", {"cards": cards, "states": CardState})
