"""Acts of the cards app (STYLE.md convention 3): one function per act, called by views, API,
admin, timed steps and tests. One module per sub-domain."""

from .cards import (  # noqa: F401
    card_activate,
    card_deliver,
    card_expire,
    card_oppose,
    card_order,
    card_renew,
    card_ship,
    card_start_production,
    card_update_holder,
    card_verify_pin,
    schedule_due_renewals,
)
from .forms import (  # noqa: F401
    f101_file,
    f101_take_effect,
    f301_file,
    f301_take_effect,
    f502_file,
    f502_take_effect,
    form_accept,
    form_act,
    form_reject,
)
from .incidents import card_declare_incident, f414_order  # noqa: F401
