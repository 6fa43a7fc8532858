"""The digests, sent by a periodic task (tasks.py, settings.PORTAL_PERIODIC_TASKS) that may run as
often as it likes: each person's daily digest of the notifications he chose to receive that way,
and the agents' weekday digest of new cases, organisations' replies and cases near their limit.
One digest per person and day (`DigestSent`), notifications claimed under a lock: never twice."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from esms_portal.dialogue.cases import case_label, case_path
from esms_portal.dialogue.notifications import KIND_LABELS, absolute, logger
from esms_portal.models import DigestSent, Message, Notification, NotificationKind, User
from esms_portal.workflow.declarations import request_type, request_types
from esms_portal.workflow.instruction import window

NEAR_LIMIT_DAYS = 3  # a case this close to the upper bound of its window (or past it) is listed


def _time_for_digest(now) -> bool:
    return timezone.localtime(now).hour >= settings.PORTAL_DIGEST_HOUR


def send_daily_digests(now=None) -> int:
    """Each person's digest of the day, once the digest hour has come; returns how many were sent."""
    now = now or timezone.now()
    if not _time_for_digest(now):
        return 0
    waiting = (Notification.objects.filter(digest=True, mailed_at__isnull=True).order_by()
               .values_list("user_id", flat=True).distinct())
    return sum(_send_daily_digest(user_id, timezone.localdate(now)) for user_id in list(waiting))


def _send_daily_digest(user_id: int, day) -> int:
    with transaction.atomic():
        if not _first_today(user_id, "daily", day):
            return 0
        items = list(Notification.objects.select_for_update(skip_locked=True)
                     .filter(user_id=user_id, digest=True, mailed_at__isnull=True).order_by("created_at", "pk"))
        if not items:
            transaction.set_rollback(True)
            return 0
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(mailed_at=timezone.now())
        grouped = defaultdict(list)
        for item in items:
            grouped[item.kind].append(item)
        groups = [{"label": KIND_LABELS[kind], "items": grouped[kind]} for kind in NotificationKind.values
                  if kind in grouped]
        body = render_to_string("dialogue/mail/digest.txt", {"day": day, "groups": groups,
                                                            "portal_url": settings.PORTAL_BASE_URL})
        email = User.objects.values_list("email", flat=True).get(pk=user_id)
        transaction.on_commit(lambda: _send(f"Votre récapitulatif du {day:%d/%m/%Y} sur le portail ESMS", body,
                                            [email]))
    return 1


def _first_today(user_id: int, kind: str, day) -> bool:
    try:
        with transaction.atomic():
            DigestSent.objects.create(user_id=user_id, kind=kind, day=day)
    except IntegrityError:
        return False
    return True


def _send(subject: str, body: str, recipients: list[str]) -> None:
    try:
        send_mail(subject, body, None, [address for address in recipients if address])
    except Exception:  # SMTP down: logged; the digest is not sent twice
        logger.exception("digest %r to %s failed", subject, recipients)


def agents_digest(now=None) -> dict:
    """What the agents' digest lists, over every declared request type: cases submitted since the
    previous weekday, cases with the organisation's unread messages, cases near their limit."""
    now = now or timezone.now()
    since = now - timedelta(days=3 if timezone.localtime(now).weekday() == 0 else 1)
    new, near, limit = [], [], 0
    for declaration in request_types():
        waiting = declaration.model._default_manager.filter(state__in=declaration.waiting_states)
        for pk in waiting.filter(submitted_at__gte=since).order_by("submitted_at", "pk").values_list("pk", flat=True):
            new.append(_case(declaration, pk))
        high = window(declaration.window)[1].days
        limit = max(limit, high)
        close = waiting.filter(submitted_at__lte=now - timedelta(days=high - NEAR_LIMIT_DAYS)).order_by("submitted_at")
        for case in close:
            days = case.instruction_days(now)
            if days >= high - NEAR_LIMIT_DAYS:
                near.append({**_case(declaration, case.pk), "days": days})
    replies = []
    unread = (Message.objects.filter(from_agent=False, read_at__isnull=True).order_by()
              .values("request_type", "request_pk").annotate(unread=Count("pk")).order_by("request_type", "request_pk"))
    for row in unread:
        declaration = request_type(row["request_type"])
        if declaration is not None:
            replies.append({**_case(declaration, row["request_pk"]), "unread": row["unread"]})
    return {"new": new, "replies": replies, "near": near, "limit": limit}


def _case(declaration, pk) -> dict:
    label = case_label(declaration, pk)
    return {"label": label[:1].upper() + label[1:], "link": absolute(case_path(declaration, pk))}


def send_agents_digest(now=None) -> int:
    """The weekday digest to every active agent, once a day after the digest hour (none on weekends)."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if day.weekday() >= 5 or not _time_for_digest(now):
        return 0
    content = agents_digest(now)
    if not (content["new"] or content["replies"] or content["near"]):
        return 0
    body = render_to_string("dialogue/mail/agents_digest.txt", {**content, "day": day})
    sent = 0
    for agent_id, email in User.objects.filter(is_staff=True, is_active=True).values_list("pk", "email"):
        with transaction.atomic():
            if _first_today(agent_id, "agents", day):
                transaction.on_commit(lambda email=email: _send(
                    f"Back-office ESMS : les dossiers du {day:%d/%m/%Y}", body, [email]))
                sent += 1
    return sent
