"""Demo data of RPPS+ (loaded by `manage.py load_demo` after the cards app's, idempotent): a
gestionnaire RPPS+ of the demo organisation, holding an active CPE produced by the card factory,
granted the right on every site. The demo registers nobody: the gestionnaire does, then watches
the professional appear in the Annuaire Santé on the compressed clock."""

from datetime import date

from cards import services as card_services
from cards.demo import ADDRESS, DEMO_PIN, MAIN_ORGANISATION, REPRESENTATIVE, deliver_now
from cards.models import Card, CardFamily
from contracts.management.commands.load_demo import PASSWORD
from contracts.models import Structure
from esms_portal.models import Role, RoleGrant, User
from esms_portal.steps import delay

from .models import CardHolderMobile, Professional
from .selectors import managed_sites
from .services import professional_register
from .services.timeline import rpps_number_send, situation_publish

GESTIONNAIRE = "gestionnaire@demo.esms.example"
GESTIONNAIRE_MOBILE = "+33600000001"  # her e-CPE codes (R-ECP-4) go to the demo's SMS log
# A professional already registered, with his RPPS number and in the Annuaire: « 8 » + RPPS logs him
# in with Pro Santé Connect (simulé) (bin/demo starts the provider).
PROFESSIONAL = {
    "civility": "M", "last_name": "Bernard", "first_names": "Thomas", "birth_date": "1979-06-02",
    "birth_commune_code": "75056", "birth_country_code": "", "email": "thomas.bernard@demo.esms.example",
    "mobile": "06 00 00 00 02", "practice_last_name": "Bernard", "practice_first_name": "Thomas",
    "profession_code": "326", "profession_other": "", "role_code": "GENR10", "start_date": "2025-01-06",
}


def load_demo_data(stdout) -> None:
    organisation = Structure.objects.get(finess=MAIN_ORGANISATION)
    representative = User.objects.get(email=REPRESENTATIVE)
    user = _gestionnaire_account()
    card = _gestionnaire_card(organisation, user, representative)
    CardHolderMobile.objects.get_or_create(user=user, defaults={"mobile": GESTIONNAIRE_MOBILE})
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=organisation,
                                               defaults={"granted_by": representative})
    professional = _psc_professional(user, card)
    minutes = {name: _duration(delay(name).due.total_seconds())
               for name in ("rpps_number_email", "annuaire_publication", "ecps_activation")}
    stdout.write(f"  {GESTIONNAIRE:36} {user.get_full_name()}, gestionnaire RPPS+ de {MAIN_ORGANISATION} "
                 f"(CPE {card.national_id}, code porteur {DEMO_PIN} ; e-CPE activable sur /rpps/e-cps/ avec "
                 f"cet identifiant)")
    stdout.write(f"RPPS+ : enregistrez un professionnel sur /rpps/ ; numéro RPPS en "
                 f"{minutes['rpps_number_email']}, "
                 f"Annuaire Santé (/rpps/annuaire/) en {minutes['annuaire_publication']}, e-CPS en "
                 f"{minutes['ecps_activation']} (horloge compressée). Codes SMS : var/log/web.log.")
    stdout.write(f"  {professional.email:36} {professional.first_names} {professional.last_name}, professionnel "
                 f"enregistré (RPPS {professional.rpps} : identifiant « 8{professional.rpps} » pour Pro Santé Connect)")


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


def _psc_professional(gestionnaire: User, card: Card) -> Professional:
    """Registered by the gestionnaire as with her card in the reader (R-RPP-6), his number sent and
    his situation published at once (the demo does not wait for those steps)."""
    professional = Professional.objects.filter(email=PROFESSIONAL["email"]).first()
    if professional is None:
        gestionnaire.card_authenticated, gestionnaire.card_id = True, str(card.pk)
        data = {**PROFESSIONAL, "birth_date": date.fromisoformat(PROFESSIONAL["birth_date"]),
                "start_date": date.fromisoformat(PROFESSIONAL["start_date"])}
        situation = professional_register(actor=gestionnaire, data=data, site=managed_sites(gestionnaire).first())
        rpps_number_send(situation.professional_id)
        situation_publish(situation.pk)
        professional = Professional.objects.get(pk=situation.professional_id)
    return professional
