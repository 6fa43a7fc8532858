"""Pages of the cards app: the fleet and the card (card_views), the forms F101 F301 F502 F414 and
their instruction (form_views). Thin views: a scoped read, a form, one service call."""

from .card_views import card_activate, card_detail, card_incident, card_oppose, card_update_holder, fleet  # noqa: F401
from .form_views import (  # noqa: F401
    f301_new,
    f414_new,
    form_act,
    form_detail,
    form_new,
    forms_list,
)
