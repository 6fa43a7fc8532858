"""What follows a registration, on timed steps (R-RPP-10 to R-RPP-12, R-CRD-13): the RPPS number by
email, the Annuaire Santé publication, the opening of the e-CPS activation. Each effect is done by
the portal itself (SYSTEM) and happens once: a second run finds it done."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from esms_portal.core.identifiers import rpps_with_check_digit
from esms_portal.core.notify import mail_on_commit
from esms_portal.core.permissions import SYSTEM
from esms_portal.steps import delay, schedule_step
from esms_portal.workflow import audit
from esms_portal.workflow.events import act_performed

from ..errors import RppsRangeExhausted
from ..models import Professional, RppsAllocator, Situation, SituationState

STEP_NUMBER = "rpps_plus.rpps_number"
STEP_PUBLISH = "rpps_plus.publish"
STEP_ECPS = "rpps_plus.ecps_opening"


def after_registration(situation: Situation) -> None:
    """In the registering transaction: start the identity's clocks once, plan the publication."""
    professional = Professional.objects.select_for_update().get(pk=situation.professional_id)
    if professional.registered_at is None:
        professional.registered_at = situation.registered_at or timezone.now()
        professional.save(update_fields=["registered_at", "updated_at"])
        schedule_step(STEP_NUMBER, professional, delay="rpps_number_email")
        schedule_step(STEP_ECPS, professional, delay="ecps_activation")
    schedule_step(STEP_PUBLISH, situation, delay="annuaire_publication")


def _draw_number() -> str:
    first, last = settings.PORTAL_RPPS_RANGE
    allocator, _ = RppsAllocator.objects.select_for_update().get_or_create(
        range_first=first, defaults={"next_value": int(first)}
    )
    while True:
        if allocator.next_value > int(last):
            raise RppsRangeExhausted()
        number = rpps_with_check_digit(f"{allocator.next_value:010d}")
        allocator.next_value += 1
        # Numbers only go up; one already held (imported, another range) is skipped, never shared.
        if not Professional.objects.filter(rpps=number).exists():
            break
    allocator.save(update_fields=["next_value"])
    return number


def ensure_rpps(professional: Professional) -> Professional:
    """Allocate the professional's RPPS number if he has none (called with his row locked)."""
    if professional.rpps:
        return professional
    professional.rpps = _draw_number()
    professional.rpps_allocated_at = timezone.now()
    professional.save(update_fields=["rpps", "rpps_allocated_at", "updated_at"])
    audit.record(professional, actor=SYSTEM, act="allocate_rpps", snapshot={"rpps": professional.rpps})
    return professional


def rpps_number_send(professional_id) -> None:
    """Timed step (R-RPP-10): the number is allocated and emailed within 30 minutes, once."""
    with transaction.atomic():
        professional = Professional.objects.select_for_update().filter(pk=professional_id).first()
        if professional is None or professional.registered_at is None:
            return
        ensure_rpps(professional)
        if professional.rpps_emailed_at:
            return
        professional.rpps_emailed_at = timezone.now()
        professional.save(update_fields=["rpps_emailed_at", "updated_at"])
        mail_on_commit(to=[professional.email], subject="Votre numéro RPPS",
                       template="rpps_plus/mail/rpps_number.txt", context={"professional": professional})


def situation_publish(situation_id) -> None:
    """Timed step (R-RPP-11): the situation appears in the Annuaire Santé 24 h after registration."""
    with transaction.atomic():
        situation = Situation.objects.select_for_update().filter(pk=situation_id).first()
        if situation is None or situation.state != SituationState.ACTIVE or situation.published_at:
            return
        ensure_rpps(Professional.objects.select_for_update().get(pk=situation.professional_id))
        situation.published_at = timezone.now()
        situation.save(update_fields=["published_at", "updated_at", "search_name"])
        entry = audit.record(situation, actor=SYSTEM, act="publish", from_state=situation.state, snapshot={})
        # An act of the portal itself: its listeners (webhooks' professional.published) hear it.
        act_performed.send(sender=Situation, request=situation, act="publish", actor=SYSTEM, entry=entry)


def ecps_opening_at(professional: Professional):
    """When the e-CPS activation opens: 48 h after registration, never before (R-RPP-12, R-CRD-13)."""
    if professional.registered_at is None:
        return None
    return professional.registered_at + delay("ecps_activation").due


def ecps_invite(professional_id) -> None:
    """Timed step: at 48 h, tell the professional his e-CPS can now be activated, once."""
    with transaction.atomic():
        professional = Professional.objects.select_for_update().filter(pk=professional_id).first()
        if professional is None or professional.ecps_invited_at or professional.registered_at is None:
            return
        ensure_rpps(professional)
        professional.ecps_invited_at = timezone.now()
        professional.save(update_fields=["ecps_invited_at", "updated_at"])
        mail_on_commit(to=[professional.email], subject="Activez votre e-CPS",
                       template="rpps_plus/mail/ecps_open.txt", context={"professional": professional})
