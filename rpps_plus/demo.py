"""Demo data of RPPS+ (loaded by `manage.py load_demo` after the cards app's, idempotent): a
gestionnaire RPPS+ of the demo organisation, holding an active CPE produced by the card factory,
granted the right on every site. The demo registers nobody: the gestionnaire does, then watches
the professional appear in the Annuaire Santé on the compressed clock."""

from cards import services as card_services
from cards.demo import ADDRESS, DEMO_PIN, MAIN_ORGANISATION, REPRESENTATIVE, deliver_now
from cards.models import Card, CardFamily
from contracts.management.commands.load_demo import PASSWORD
from contracts.models import Structure
from esms_portal.models import Role, RoleGrant, User
from esms_portal.steps import delay

from .models import CardHolderMobile

GESTIONNAIRE = "gestionnaire@demo.esms.example"
GESTIONNAIRE_MOBILE = "+33600000001"  # her e-CPE codes (R-ECP-4) go to the demo's SMS log


def load_demo_data(stdout) -> None:
    organisation = Structure.objects.get(finess=MAIN_ORGANISATION)
    representative = User.objects.get(email=REPRESENTATIVE)
    user = _gestionnaire_account()
    card = _gestionnaire_card(organisation, user, representative)
    CardHolderMobile.objects.get_or_create(user=user, defaults={"mobile": GESTIONNAIRE_MOBILE})
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=organisation,
                                               defaults={"granted_by": representative})
    minutes = {name: _duration(delay(name).due.total_seconds())
               for name in ("rpps_number_email", "annuaire_publication", "ecps_activation")}
    stdout.write(f"  {GESTIONNAIRE:36} {user.get_full_name()}, gestionnaire RPPS+ de {MAIN_ORGANISATION} "
                 f"(CPE {card.national_id}, code porteur {DEMO_PIN} ; e-CPE activable sur /rpps/e-cps/ avec "
                 f"cet identifiant)")
    stdout.write(f"RPPS+ : enregistrez un professionnel sur /rpps/ ; numéro RPPS en "
                 f"{minutes['rpps_number_email']}, "
                 f"Annuaire Santé (/rpps/annuaire/) en {minutes['annuaire_publication']}, e-CPS en "
                 f"{minutes['ecps_activation']} (horloge compressée). Codes SMS : var/log/web.log.")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def _gestionnaire_account() -> User:
    user, created = User.objects.get_or_create(email=GESTIONNAIRE,
                                               defaults={"first_name": "Gaëlle", "last_name": "Morel"})
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _gestionnaire_card(organisation, user, representative) -> Card:
    """Her CPE, ordered and made by the card factory like any staff card (R-RPP-4)."""
    card = Card.objects.filter(holder=user, organisation=organisation, family=CardFamily.CPE).first()
    if card is None:
        card = card_services.card_order(
            actor=representative, organisation=organisation, holder=user, family=CardFamily.CPE,
            last_name=user.last_name, first_names=user.first_name, ordered_through="F301",
            title="Gestionnaire RPPS+", delivery_address=ADDRESS,
        )
    return deliver_now(card, pin=DEMO_PIN)
