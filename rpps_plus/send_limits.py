"""How many codes the anonymous RPPS+ pages may send: the pre-registration, the e-CPS activation and
the e-CPS login each send an SMS (and a mail) to whatever a stranger types or names. Sends are
limited per mobile number, per email address, per e-CPS identifier (from one address) and per client
address, per hour and per day; a refused send stores nothing and sends nothing (the caller checks before writing).

Counted by django-ratelimit in the Django cache (Redis in production and CI, shared by every
worker); the client's address is `esms_portal.core.client.client_address`, read by the views.
"""

from django_ratelimit.core import is_ratelimited

from .errors import TooManyMessages

# One person's codes: a few retries in an hour (a code lost, a typo), not a flood.
PER_RECIPIENT_PER_HOUR = 5
PER_RECIPIENT_PER_DAY = 20
# One address: an office or a family shares it, so more; still far from a flood.
PER_ADDRESS_PER_HOUR = 10
PER_ADDRESS_PER_DAY = 30

RECIPIENT_RATES = (f"{PER_RECIPIENT_PER_HOUR}/h", f"{PER_RECIPIENT_PER_DAY}/d")
ADDRESS_RATES = (f"{PER_ADDRESS_PER_HOUR}/h", f"{PER_ADDRESS_PER_DAY}/d")

MESSAGE_BY_KIND = {
    "address": "Trop de codes ont été demandés depuis votre connexion : réessayez dans une heure.",
    "mobile": "Trop de codes ont été envoyés à ce numéro de mobile : réessayez dans une heure.",
    "email": "Trop de codes ont été envoyés à cette adresse électronique : réessayez dans une heure.",
    "identifier": "Trop de codes ont été demandés pour cet identifiant : réessayez dans une heure.",
}


def _over(purpose: str, kind: str, value: str, rate: str) -> bool:
    """Count one send for `value` in its window and say whether it goes over `rate`."""
    return is_ratelimited(None, group=f"rpps_plus.send.{purpose}.{kind}", key=lambda _group, _request: value,
                          rate=rate, increment=True)


def allow_send(purpose: str, *, address: str, mobile: str = "", email: str = "", identifier: str = "") -> None:
    """Count a send of `purpose` (signup, ecps_activation, ecps_login) against every limit it falls
    under, or raise TooManyMessages (HTTP 429) naming the first one reached. Every limit is counted
    even when an earlier one refuses, so that spreading tries across keys gains nothing."""
    # An identifier is public (the Annuaire Santé): it is counted per address, so that a stranger's
    # tries never use up the owner's own; his mobile's limit still caps what reaches his phone.
    keys = [("address", address, ADDRESS_RATES), ("mobile", mobile, RECIPIENT_RATES),
            ("email", (email or "").lower(), RECIPIENT_RATES),
            ("identifier", identifier and f"{identifier}@{address}", RECIPIENT_RATES)]
    reached = [kind for kind, value, rates in keys if value
               for rate in rates if _over(purpose, kind, value, rate)]
    if reached:
        raise TooManyMessages(MESSAGE_BY_KIND[reached[0]], details={"limit": reached[0]})
