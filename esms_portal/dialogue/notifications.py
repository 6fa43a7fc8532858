"""Notifications: rows written in the act's transaction (a rolled-back act notifies nobody), one
mail after commit to the people who want it at once, the others in their daily digest.

A notification's `dedup_key` names its cause (the act's audit row, the message) and its person: an
act retried notifies once. Its `mailed_at` is claimed under a row lock before the mail leaves: a
sender run twice mails once.
"""

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from esms_portal.core import page_cache
from esms_portal.core.permissions import tenant_of
from esms_portal.dialogue.cases import case_title, case_url
from esms_portal.models import Delivery, Notification, NotificationKind, NotificationPreference

logger = logging.getLogger(__name__)
SESSION_DAY = 24 * 3600  # how long a user's counts version lives without a write (a new one is made after)


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


@dataclass(frozen=True)
class Notice:
    """What to tell: the notification centre's line (`title`, `text`) and the mail."""

    kind: str  # NotificationKind
    title: str
    subject: str
    template: str  # plain-text French mail
    context: dict
    text: str = ""
    to_do: bool = False
    url: str = ""  # the page the notification and the mail link to; the request's page when blank


def digest_users(users: Iterable, kind: str) -> set[int]:
    """The ids of `users` who chose the daily digest for `kind` (one query)."""
    return set(NotificationPreference.objects.filter(
        user__in=[user.pk for user in users], kind=kind, delivery=Delivery.DIGEST).values_list("user_id", flat=True))


def notify(users, obj, notice: Notice, *, cause: str) -> list[Notification]:
    """Tell `users` about `obj`: one row each, and after commit ONE mail to those who want it at once."""
    users = [user for user in {user.pk: user for user in users}.values() if user.is_active]
    if not users:
        return []
    digest = digest_users(users, notice.kind)
    url = notice.url or case_url(obj)
    rows = [Notification(user=user, kind=notice.kind, request_type=obj.request_type.key, request_pk=str(obj.pk),
                         title=notice.title[:200], text=notice.text, url=url, to_do=notice.to_do,
                         digest=user.pk in digest, dedup_key=f"{cause}:{user.pk}")
            for user in users]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    counts_changed([user.pk for user in users])
    page_cache.invalidate(people=[user.pk for user in users])  # their header's counts
    keys = [row.dedup_key for row in rows if not row.digest]
    if keys:
        context = {**notice.context, "request": obj, "case_title": case_title(obj), "link": absolute(url),
                   "portal_url": settings.PORTAL_BASE_URL}
        body = render_to_string(notice.template, context)
        transaction.on_commit(lambda: send_claimed(keys, notice.subject, body))
    return rows


def send_claimed(keys: list[str], subject: str, body: str) -> int:
    """Mail once the notifications `keys` nobody mailed yet: claimed, then ONE mail.

    The claim is one statement: `UPDATE … WHERE mailed_at IS NULL RETURNING`; a concurrent sender
    waits for the row, reads it again, finds it mailed and claims nothing."""
    user = Notification._meta.get_field("user").related_model
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:  # plain SQL that SQLite (the demo) speaks too
        cursor.execute(
            f"UPDATE {Notification._meta.db_table} SET mailed_at = %s "
            f"WHERE dedup_key IN ({marks}) AND mailed_at IS NULL RETURNING user_id",
            [timezone.now(), *keys])
        people = [user_id for (user_id,) in cursor.fetchall()]
    claimed = user.objects.filter(pk__in=people).values_list("email", flat=True) if people else []
    recipients = sorted({email for email in claimed if email})
    if recipients:
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # SMTP down: the act stands; the failure is in the logs
            logger.exception("mail %r to %s failed", subject, recipients)
    return len(recipients)


def _count(user) -> dict:
    return Notification.objects.filter(user=user).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        to_do=Count("pk", filter=Q(to_do=True, done_at__isnull=True)),
    )


def _counts_keys(user_id) -> tuple[str, str]:
    return f"notification-counts:{user_id}", f"notification-counts:{user_id}:version"


def unread_summary(user) -> dict:
    """The header's counts: unread notifications and what waits for the user (one query, or none:
    kept in the shared cache for PORTAL_HEADER_COUNTS_SECONDS under a version of the user's counts
    that every write to them changes after its commit, `counts_changed`; the version is read before
    the query, so counts read before a commit are never kept under the version after it)."""
    if not (user and user.is_authenticated):
        return {"unread": 0, "to_do": 0}
    seconds = settings.PORTAL_HEADER_COUNTS_SECONDS
    if seconds <= 0:
        return _count(user)
    value_key, version_key = _counts_keys(user.pk)
    try:
        found = cache.get_many([value_key, version_key])
    except Exception:  # noqa: BLE001 - the cache is an optimisation
        logger.warning("cache unreachable: notification counts read from the database", exc_info=True)
        return _count(user)
    version, stored = found.get(version_key), found.get(value_key)
    if version is not None and stored is not None and stored[0] == version:
        return stored[1]
    counts = _count(user)
    try:
        if version is None:
            version = uuid.uuid4().hex
            if not cache.add(version_key, version, SESSION_DAY):  # a write bumped it meanwhile: keep nothing
                return counts
        cache.set(value_key, (version, counts), seconds)
    except Exception:  # noqa: BLE001
        logger.warning("cache unreachable: notification counts not kept", exc_info=True)
    return counts


def counts_changed(user_ids) -> None:
    """After the commit: the header counts of `user_ids` are read again at their next page."""
    keys = {_counts_keys(user_id)[1] for user_id in user_ids}
    if not keys or settings.PORTAL_HEADER_COUNTS_SECONDS <= 0:
        return

    def bump():
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, SESSION_DAY)
        except Exception:  # noqa: BLE001 - the act stands; the counts expire on their own
            logger.warning("cache unreachable: notification counts not forgotten", exc_info=True)

    transaction.on_commit(bump)


def mark_read(user, pks=None) -> int:
    """Mark the user's notifications read (all of them, or `pks`)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    page_cache.invalidate(people=[user.pk])
    changed = unread.update(read_at=timezone.now())
    counts_changed([user.pk])  # after the write: without a transaction, on_commit runs at once
    return changed


def close_to_do(obj, *, users=None) -> int:
    """The « À faire » lines on `obj` are done (answered, withdrawn, decided, or read by the agent)."""
    rows = Notification.objects.filter(request_type=obj.request_type.key, request_pk=str(obj.pk), to_do=True,
                                       done_at__isnull=True)
    if users is not None:
        rows = rows.filter(user__in=users)
    # Their header's « À faire »: the people named, else the request's organisation (its members' pages;
    # an agent's header follows within PORTAL_PAGE_CACHE_SECONDS), without a query to find them.
    if users is not None:
        page_cache.invalidate(people=[user.pk for user in users])
    else:
        try:
            page_cache.invalidate(organisations=[tenant_of(obj)])
        except AttributeError:  # no tenant to tell: every page
            page_cache.invalidate(everything=True)
    counted = set(rows.values_list("user_id", flat=True)) if settings.PORTAL_HEADER_COUNTS_SECONDS > 0 else ()
    changed = rows.update(done_at=timezone.now())
    counts_changed(counted)
    return changed


KIND_LABELS = dict(NotificationKind.choices)
