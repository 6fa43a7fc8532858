"""e-CPS activation from correspondence data and e-CPS login (R-ECP-1, R-ECP-2, R-RPP-12, R-CRD-13).

Activation: the professional enters "8" + RPPS; once 48 h have passed since his registration and he
is in the Annuaire Santé, he receives one code by email and one by SMS, enters both and chooses a
PIN: his e-CPS is active for 3 years. Codes expire and allow a few attempts; wrong PINs lock the
e-CPS, and a new activation (new codes, new PIN) unlocks it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import formats, timezone

from cards.services.cards import validate_pin
from esms_portal.core.errors import InvalidInput, WrongPin
from esms_portal.core.notify import mail_on_commit
from esms_portal.models import User
from esms_portal.workflow import audit

from ..errors import (
    ECPS_WRONG_PIN,
    CodesExpired,
    CodesInvalid,
    ECpsLocked,
    ECpsNotOpen,
    ECpsUnusable,
    TooManyCodeRequests,
    UnknownIdentifier,
)
from ..models import ECps, ECpsChallenge, ECpsState, Professional, SituationState
from ..sms import sms_on_commit
from .timeline import ecps_opening_at

ECPS_VALIDITY_YEARS = 3  # R-CRD-8: a CPx card and an e-CPS are valid 3 years
MAX_CODE_REQUESTS_PER_HOUR = 5


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


def professional_by_identifier(identifier: str) -> Professional:
    identifier = "".join(identifier.split())
    if len(identifier) != 12 or not identifier.startswith("8") or not identifier.isdigit():
        raise UnknownIdentifier()
    professional = Professional.objects.filter(rpps=identifier[1:]).first()
    if professional is None:
        raise UnknownIdentifier()
    return professional


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


def ecps_request_codes(*, identifier: str) -> ECpsChallenge:
    """Send one code by email and one by SMS to the professional's correspondence data (R-ECP-1)."""
    professional = professional_by_identifier(identifier)
    problem = ecps_open_problem(professional)
    if problem:
        raise ECpsNotOpen(problem, details={"rule": "R-RPP-12"})
    with transaction.atomic():
        professional = Professional.objects.select_for_update().get(pk=professional.pk)
        hour_ago = timezone.now() - timedelta(hours=1)
        if professional.ecps_challenges.filter(created_at__gte=hour_ago).count() >= MAX_CODE_REQUESTS_PER_HOUR:
            raise TooManyCodeRequests()
        professional.ecps_challenges.filter(used_at__isnull=True).update(used_at=timezone.now())
        challenge, email_code, sms_code = issue_codes(ECpsChallenge, professional=professional)
        minutes = settings.PORTAL_RPPS_CODE_SECONDS // 60
        mail_on_commit(to=[professional.email], subject="Activation de votre e-CPS : code de vérification",
                       template="rpps_plus/mail/ecps_code.txt",
                       context={"code": email_code, "minutes": minutes, "professional": professional})
        sms_on_commit(to=professional.mobile,
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
    professional = professional_by_identifier(identifier)
    validate_pin(pin)
    if pin != pin_confirmation:
        raise InvalidInput("Les deux codes PIN saisis diffèrent.", code="pin_mismatch")
    problem = ecps_open_problem(professional)
    if problem:
        raise ECpsNotOpen(problem, details={"rule": "R-RPP-12"})
    challenge = check_codes(ECpsChallenge, challenge_id, email_code=email_code, sms_code=sms_code,
                            professional=professional)
    with transaction.atomic():
        now = timezone.now()
        ECpsChallenge.objects.filter(pk=challenge.pk).update(used_at=now)
        professional = Professional.objects.select_for_update().get(pk=professional.pk)
        ecps, _ = ECps.objects.update_or_create(professional=professional, defaults={
            "identifier": professional.ecps_identifier, "state": ECpsState.ACTIVE, "pin_hash": make_password(pin),
            "pin_failures": 0, "activated_at": now, "expires_at": _validity_end(now), "locked_at": None,
        })
        _portal_account(professional)
        audit.record(ecps, actor=None, act="activate", from_state=ECpsState.ACTIVE, snapshot={})
        mail_on_commit(to=[professional.email], subject="Votre e-CPS est active",
                       template="rpps_plus/mail/ecps_active.txt", context={"ecps": ecps})
    return ecps


def ecps_authenticate(*, identifier: str, pin: str) -> Professional:
    """An e-CPS login: identifier and PIN (R-ECP-2). Wrong PINs are counted, then the e-CPS locks."""
    professional = professional_by_identifier(identifier)
    with transaction.atomic():
        ecps = ECps.objects.select_for_update().filter(professional=professional).first()
        if ecps is None:
            raise ECpsUnusable()
        if ecps.state == ECpsState.LOCKED:
            raise ECpsLocked()
        if not ecps.is_usable:
            raise ECpsUnusable()
        if check_password(pin, ecps.pin_hash):
            if ecps.pin_failures:
                ecps.pin_failures = 0
                ecps.save(update_fields=["pin_failures"])
            return professional
        ecps.pin_failures += 1
        left = settings.PORTAL_ECPS_PIN_ATTEMPTS - ecps.pin_failures
        if left <= 0:
            ecps.state, ecps.locked_at = ECpsState.LOCKED, timezone.now()
            audit.record(ecps, actor=None, act="lock", from_state=ECpsState.LOCKED, snapshot={})
        ecps.save(update_fields=["pin_failures", "state", "locked_at"])
    raise WrongPin(left, template=ECPS_WRONG_PIN) if left > 0 else ECpsLocked()
