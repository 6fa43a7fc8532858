from .card import CARD_FAMILY_FOR_HOLDER, USABLE_CARD_STATES, Card, CardFamily, CardState  # noqa: F401
from .forms import (  # noqa: F401
    CardIncident,
    DirectorCardOrder,
    FormState,
    IncidentKind,
    MandateAction,
    MandateRequest,
    StaffCardOrder,
    StaffCardOrderLine,
    TestCardOrder,
)
