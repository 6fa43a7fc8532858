"""Who a national identifier proven by Pro Santé Connect names on the portal (esms_portal.auth.psc,
declared as `psc_identity` in portal.py).

« 8 » + RPPS names a professional registered through RPPS+: he reaches his own space, as with his
e-CPS (R-RPP-15), on his own account (no role on any organisation). Any other identifier is the one
printed on a CPx card: its holder is logged in card-authenticated, as with the card in the reader
(R-RPP-6: a gestionnaire RPPS+ may then register professionals), while the card is usable.
The exercise situations PSC sends (`SubjectRefPro`) are kept to be shown on the professional's space.
"""

from django.db import transaction
from django.urls import reverse

from cards.models import Card
from esms_portal.core.extensions import ProIdentity

from .models import Professional
from .public_views import ECPS_SESSION_KEY, PSC_SITUATIONS_SESSION_KEY
from .services.ecps import _portal_account, normalise_identifier


def psc_situations(userinfo: dict) -> list[dict]:
    """The exercise situations of PSC's `SubjectRefPro`: profession, FINESS of the site, role."""
    ref = userinfo.get("SubjectRefPro") or {}
    found = []
    for exercise in ref.get("exercices") or () if isinstance(ref, dict) else ():
        for activity in exercise.get("activities") or [{}]:
            found.append({
                "profession": str(exercise.get("codeProfession") or ""),
                "finess": str(activity.get("numeroFinessSite") or ""),
                "role": str(activity.get("codeRole") or ""),
                "site": str(activity.get("raisonSocialeSite") or ""),
            })
    return found[:50]


def _professional(identifier: str, userinfo: dict) -> ProIdentity | None:
    with transaction.atomic():
        professional = Professional.objects.select_for_update().filter(rpps=identifier[1:]).first()
        if professional is None:
            return None
        user = _portal_account(professional)
    if not user.is_active:
        return None
    return ProIdentity(user=user, redirect_to=reverse("rpps_plus:my_space"), national_id=identifier, session={
        ECPS_SESSION_KEY: professional.pk, PSC_SITUATIONS_SESSION_KEY: psc_situations(userinfo),
    })


def psc_identity(national_id: str, userinfo: dict) -> ProIdentity | None:
    identifier = normalise_identifier(national_id)
    if not identifier or len(identifier) > 40:
        return None
    if len(identifier) == 12 and identifier.startswith("8") and identifier.isdigit():
        return _professional(identifier, userinfo)
    card = Card.objects.usable().select_related("holder").filter(national_id=identifier).first()
    if card is None or card.holder is None or not card.holder.is_active:
        return None
    return ProIdentity(user=card.holder, redirect_to=reverse("home"), card_id=str(card.pk), national_id=identifier)
