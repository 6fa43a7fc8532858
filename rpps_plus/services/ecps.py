"""e-CPS activation from correspondence data and e-CPS login (R-ECP-1, R-ECP-2, R-ECP-4, R-RPP-12,
R-CRD-13, R-CRD-18).

Activation: the professional enters "8" + RPPS (once 48 h have passed since his registration and he
is in the Annuaire Santé), or a CPx card holder the national identifier printed on the first line of
his active card (his e-CPE for a CPE); he receives one code by email and one by SMS, enters both and
chooses a PIN: his e-CPS is active for 3 years. Codes expire and allow a few attempts.

Login: possession first, then knowledge. The identifier is public (the Annuaire Santé publishes the
RPPS number), so a login first sends a one-time code to the owner's mobile; only once that code is
proven is the PIN tried, and only then do wrong PINs count towards the lock. A stranger's guesses
spend his own code attempts, never the owner's PIN tries. A new activation unlocks a locked e-CPS.
Every anonymous send is limited (rpps_plus.send_limits).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import formats, timezone

from cards.models import Card, CardState
from cards.services.cards import validate_pin
from esms_portal.core.errors import ActNotAllowed, InvalidInput, WrongPin
from esms_portal.core.notify import mail_on_commit
from esms_portal.models import User
from esms_portal.workflow import audit

from .. import send_limits
from ..errors import (
    ECPS_WRONG_PIN,
    CardNotUsable,
    CodesExpired,
    CodesInvalid,
    ECpsLocked,
    ECpsNotOpen,
    ECpsUnusable,
    HolderMobileMissing,
    LoginCodeInvalid,
    UnknownIdentifier,
)
from ..models import CardHolderMobile, ECps, ECpsChallenge, ECpsLogin, ECpsState, Professional, SituationState
from ..sms import sms_on_commit
from .registration import normalise_mobile
from .timeline import ecps_opening_at

ECPS_VALIDITY_YEARS = 3  # R-CRD-8: a CPx card and an e-CPS are valid 3 years


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def issue_codes(challenge_model, **fields):
    """A new code challenge (rpps_plus.models.ecps.CodeChallenge) and its two codes in clear, for
    the email and the SMS: (challenge, email_code, sms_code)."""
    email_code, sms_code = new_code(), new_code()
    challenge = challenge_model.objects.create(
        email_code_hash=make_password(email_code), sms_code_hash=make_password(sms_code),
        expires_at=timezone.now() + timedelta(seconds=settings.PORTAL_RPPS_CODE_SECONDS), **fields,
    )
    return challenge, email_code, sms_code


# Who an identifier names.
@dataclass(frozen=True)
class Owner:
    """The owner of an e-CPS identifier and his correspondence data: a professional registered
    through RPPS+ ("8" + RPPS), or the holder of a usable CPx card (its national identifier)."""

    identifier: str
    name: str
    email: str
    mobile: str
    professional: Professional | None = None
    card: Card | None = None

    @property
    def lookup(self) -> dict:
        """The owner's fields on ECps and ECpsChallenge rows."""
        return {"professional": self.professional} if self.professional else {"holder": self.card.holder}


def normalise_identifier(identifier: str) -> str:
    return "".join((identifier or "").split()).upper()


def _card_problem(card: Card) -> str:
    if card.state == CardState.OPPOSED:
        return "Cette carte est opposée : elle ne permet plus d'activer une e-CPS."
    if card.state in (CardState.EXPIRED, CardState.REPLACED) or (card.expires_at and card.expires_at <= timezone.now()):
        return "Cette carte a expiré : activez votre e-CPS avec l'identifiant de votre carte en cours de validité."
    if card.state == CardState.ACTIVE:
        return "Les codes de cette carte sont bloqués : débloquez-la avant d'activer votre e-CPS."
    return "Cette carte n'est pas encore activée : activez-la d'abord, puis votre e-CPS."


def _card_owner(identifier: str) -> Owner:
    """The holder of the usable card printed with `identifier` (a renewed card keeps it)."""
    card = Card.objects.usable().select_related("holder").filter(national_id=identifier).first()
    if card is None:
        latest = Card.objects.filter(national_id=identifier).order_by("-created_at").first()
        if latest is None:
            raise UnknownIdentifier()
        raise CardNotUsable(_card_problem(latest), details={"rule": "R-ECP-4"})
    mobile = CardHolderMobile.objects.filter(user=card.holder).values_list("mobile", flat=True).first()
    return Owner(identifier=identifier, name=card.holder_name, email=card.holder.email, mobile=mobile or "",
                 card=card)


def ecps_owner(identifier: str) -> Owner:
    """"8" + RPPS names a professional (R-RPP-12); any other identifier, the holder of the card it
    is printed on (R-ECP-4, R-CRD-18)."""
    identifier = normalise_identifier(identifier)
    if len(identifier) == 12 and identifier.startswith("8") and identifier.isdigit():
        professional = Professional.objects.filter(rpps=identifier[1:]).first()
        if professional is not None:
            return Owner(identifier=identifier, name=f"{professional.first_names} {professional.last_name}",
                         email=professional.email, mobile=professional.mobile, professional=professional)
    if not identifier or len(identifier) > 40:
        raise UnknownIdentifier()
    return _card_owner(identifier)


def ecps_open_problem(professional: Professional) -> str | None:
    """Why the activation is not open yet (French), or None."""
    opens_at = ecps_opening_at(professional)
    if opens_at is None:
        return "Aucun enregistrement RPPS+ actif pour cet identifiant."
    if timezone.now() < opens_at:
        when = formats.date_format(timezone.localtime(opens_at), "j F Y à H:i")
        return f"L'activation de l'e-CPS ouvre 48 h après l'enregistrement RPPS+ : à partir du {when}."
    if not professional.situations.filter(state=SituationState.ACTIVE, published_at__isnull=False).exists():
        return "Votre fiche n'est pas encore publiée dans l'Annuaire Santé : réessayez dans quelques heures."
    return None


def _require_open(owner: Owner) -> None:
    if owner.professional is not None:
        problem = ecps_open_problem(owner.professional)
        if problem:
            raise ECpsNotOpen(problem, details={"rule": "R-RPP-12"})
    elif not owner.mobile:
        raise HolderMobileMissing(details={"rule": "R-ECP-4"})


def _lock_owner(owner: Owner) -> None:
    """Serialise the owner's activations: one open challenge, one e-CPS row."""
    if owner.professional is not None:
        Professional.objects.select_for_update().get(pk=owner.professional.pk)
    else:
        User.objects.select_for_update().get(pk=owner.card.holder_id)


# Activation.
def ecps_request_codes(*, identifier: str, client: str) -> ECpsChallenge:
    """Send one code by email and one by SMS to the owner's correspondence data (R-ECP-1, R-ECP-4);
    `client` is the requester's address (send limits)."""
    owner = ecps_owner(identifier)
    _require_open(owner)
    send_limits.allow_send("ecps_activation", address=client, mobile=owner.mobile, email=owner.email,
                           identifier=owner.identifier)
    with transaction.atomic():
        _lock_owner(owner)
        ECpsChallenge.objects.filter(used_at__isnull=True, **owner.lookup).update(used_at=timezone.now())
        challenge, email_code, sms_code = issue_codes(ECpsChallenge, identifier=owner.identifier, **owner.lookup)
        minutes = settings.PORTAL_RPPS_CODE_SECONDS // 60
        mail_on_commit(to=[owner.email], subject="Activation de votre e-CPS : code de vérification",
                       template="rpps_plus/mail/ecps_code.txt",
                       context={"code": email_code, "minutes": minutes, "name": owner.name})
        sms_on_commit(to=owner.mobile,
                      text=f"e-CPS : votre code de vérification est {sms_code} (valable {minutes} min).")
    return challenge


def check_codes(challenge_model, pk, *, email_code: str, sms_code: str, **lookup):
    """Lock a code challenge and check both codes; a wrong attempt is counted even though the act
    fails (it commits before the error is raised)."""
    with transaction.atomic():
        challenge = challenge_model.objects.select_for_update().filter(pk=pk, **lookup).first()
        if challenge is None or getattr(challenge, "used_at", None) or challenge.expires_at <= timezone.now():
            raise CodesExpired()
        if challenge.attempts >= settings.PORTAL_RPPS_CODE_ATTEMPTS:
            raise CodesExpired()
        email_ok = check_password("".join(email_code.split()), challenge.email_code_hash)
        sms_ok = check_password("".join(sms_code.split()), challenge.sms_code_hash)
        if not (email_ok and sms_ok):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            left = settings.PORTAL_RPPS_CODE_ATTEMPTS - challenge.attempts
            error = CodesInvalid(left) if left > 0 else CodesExpired()
        else:
            return challenge
    raise error


def _validity_end(start):
    try:
        return start.replace(year=start.year + ECPS_VALIDITY_YEARS)
    except ValueError:  # 29 February
        return start.replace(year=start.year + ECPS_VALIDITY_YEARS, day=28)


def _portal_account(professional: Professional) -> User:
    """The portal account an e-CPS login opens: its own, with no password and no role grant, so
    that it sees only the professional's pages (never his employers' dossiers)."""
    if professional.user_id:
        return professional.user
    user = User.objects.create_user(
        email=f"{professional.ecps_identifier}@ecps.rpps.invalid", password=None,
        first_name=professional.first_names.split(" ")[0], last_name=professional.last_name,
    )
    professional.user = user
    professional.save(update_fields=["user", "updated_at"])
    return user


def ecps_activate(*, challenge_id, identifier: str, email_code: str, sms_code: str, pin: str,
                  pin_confirmation: str) -> ECps:
    """Both codes right and a PIN chosen: the e-CPS is active for 3 years (a locked one is reset)."""
    owner = ecps_owner(identifier)
    validate_pin(pin)
    if pin != pin_confirmation:
        raise InvalidInput("Les deux codes PIN saisis diffèrent.", code="pin_mismatch")
    _require_open(owner)
    challenge = check_codes(ECpsChallenge, challenge_id, email_code=email_code, sms_code=sms_code, **owner.lookup)
    with transaction.atomic():
        now = timezone.now()
        ECpsChallenge.objects.filter(pk=challenge.pk).update(used_at=now)
        _lock_owner(owner)
        ecps, _ = ECps.objects.update_or_create(identifier=owner.identifier, defaults={
            **owner.lookup, "state": ECpsState.ACTIVE, "pin_hash": make_password(pin),
            "pin_failures": 0, "activated_at": now, "expires_at": _validity_end(now), "locked_at": None,
        })
        if owner.professional is not None:
            _portal_account(owner.professional)
        audit.record(ecps, actor=None, act="activate", from_state=ECpsState.ACTIVE, snapshot={})
        mail_on_commit(to=[owner.email], subject="Votre e-CPS est active",
                       template="rpps_plus/mail/ecps_active.txt", context={"ecps": ecps})
    return ecps


# Login.
def _require_holder_card(ecps: ECps) -> None:
    """An e-CPE lives as long as its card: an opposed or expired card stops it."""
    if ecps.holder_id and not Card.objects.usable().filter(national_id=ecps.identifier,
                                                           holder_id=ecps.holder_id).exists():
        raise CardNotUsable("Votre carte n'est plus valide (opposée ou expirée) : son e-CPS non plus.")


def _login_mobile(ecps: ECps) -> str:
    if ecps.professional_id:
        return ecps.professional.mobile
    return CardHolderMobile.objects.filter(user_id=ecps.holder_id).values_list("mobile", flat=True).first() or ""


def ecps_login_start(*, identifier: str, client: str) -> ECpsLogin:
    """Send a one-time login code by SMS to the e-CPS owner's mobile (the possession factor)."""
    identifier = normalise_identifier(identifier)
    ecps = ECps.objects.select_related("professional", "holder").filter(identifier=identifier).first()
    if ecps is None:
        raise ECpsUnusable()
    if ecps.state == ECpsState.LOCKED:
        raise ECpsLocked()
    if not ecps.is_usable:
        raise ECpsUnusable()
    _require_holder_card(ecps)
    mobile = _login_mobile(ecps)
    if not mobile:
        raise HolderMobileMissing()
    send_limits.allow_send("ecps_login", address=client, mobile=mobile, identifier=identifier)
    code = new_code()
    minutes = settings.PORTAL_RPPS_CODE_SECONDS // 60
    with transaction.atomic():
        ECpsLogin.objects.filter(ecps=ecps, used_at__isnull=True).update(used_at=timezone.now())
        login = ECpsLogin.objects.create(ecps=ecps, code_hash=make_password(code),
                                         expires_at=timezone.now() + timedelta(minutes=minutes))
        sms_on_commit(to=mobile, text=f"e-CPS : votre code de connexion est {code} (valable {minutes} min). "
                                      "Ne le communiquez à personne.")
    return login


def _check_login_code(login_id, code: str) -> ECpsLogin:
    """Lock the login and check its code; a wrong code is counted (committed before the error) and
    spends the login's attempts only, never the e-CPS's PIN tries."""
    with transaction.atomic():
        login = ECpsLogin.objects.select_for_update().filter(pk=login_id).first()
        if login is None or login.used_at or login.expires_at <= timezone.now() \
                or login.attempts >= settings.PORTAL_RPPS_CODE_ATTEMPTS:
            raise CodesExpired("Ce code n'est plus valable (expiré ou trop d'essais) : recommencez la connexion.")
        if check_password("".join((code or "").split()), login.code_hash):
            return login
        login.attempts += 1
        login.save(update_fields=["attempts"])
        left = settings.PORTAL_RPPS_CODE_ATTEMPTS - login.attempts
        error = LoginCodeInvalid(left) if left > 0 else CodesExpired(
            "Trop de codes erronés : recommencez la connexion pour en recevoir un nouveau.")
    raise error


def ecps_login_verify(*, login_id, code: str, pin: str) -> ECps:
    """The SMS code proven, the PIN (R-ECP-2): wrong PINs are counted, then the e-CPS locks."""
    login = _check_login_code(login_id, code)
    with transaction.atomic():
        ecps = (ECps.objects.select_for_update(of=("self",)).select_related("professional", "holder")
                .get(pk=login.ecps_id))
        if ecps.state == ECpsState.LOCKED:
            raise ECpsLocked()
        if not ecps.is_usable:
            raise ECpsUnusable()
        _require_holder_card(ecps)
        if check_password(pin, ecps.pin_hash):
            ECpsLogin.objects.filter(pk=login.pk).update(used_at=timezone.now())
            if ecps.pin_failures:
                ecps.pin_failures = 0
                ecps.save(update_fields=["pin_failures"])
            return ecps
        ecps.pin_failures += 1
        left = settings.PORTAL_ECPS_PIN_ATTEMPTS - ecps.pin_failures
        if left <= 0:
            ecps.state, ecps.locked_at = ECpsState.LOCKED, timezone.now()
            ECpsLogin.objects.filter(pk=login.pk).update(used_at=timezone.now())
            audit.record(ecps, actor=None, act="lock", from_state=ECpsState.LOCKED, snapshot={})
        ecps.save(update_fields=["pin_failures", "state", "locked_at"])
    raise WrongPin(left, template=ECPS_WRONG_PIN) if left > 0 else ECpsLocked()


def holder_mobile_set(*, actor, mobile: str) -> CardHolderMobile:
    """A card holder, logged in to the portal, records the mobile his e-CPS codes go to (R-ECP-4)."""
    if not getattr(actor, "pk", None) or not Card.objects.usable().filter(holder_id=actor.pk).exists():
        raise ActNotAllowed("Seul le porteur d'une carte CPx active renseigne un mobile pour son e-CPS.")
    normalised = normalise_mobile(mobile)
    if normalised is None:
        raise InvalidInput("Téléphone mobile invalide (06 ou 07, 10 chiffres).",
                           details={"mobile": ["Téléphone mobile invalide (06 ou 07, 10 chiffres)."]})
    with transaction.atomic():
        record, _ = CardHolderMobile.objects.update_or_create(user=actor, defaults={"mobile": normalised})
        audit.record(record, actor=actor, act="update_contact", snapshot={"changed": ["mobile"]})
    return record
