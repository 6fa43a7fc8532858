"""Acts of the timed-step engine: schedule, cancel, claim, run, fail, retry.

Scheduling writes the row in the caller's transaction (STYLE.md convention 5): the sweeper sees it
only once that transaction commits, and never if it rolls back. That is the "on commit" of the
issue, without the hole of an `on_commit` callback lost when the process dies right after COMMIT.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from esms_portal.core.errors import StateConflict
from esms_portal.core.permissions import require
from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps.delays import delay as named_delay
from esms_portal.steps.registry import handler_for
from esms_portal.workflow import audit

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
KEY_LENGTH = ScheduledStep._meta.get_field("dedup_key").max_length
LEASE_LOST_ERROR = "Délai de traitement dépassé : le worker a probablement été interrompu."


def _dedup_key(kind: str, content_type: ContentType, object_id: str, occurrence: str) -> str:
    key = f"{kind}:{content_type.app_label}.{content_type.model}:{object_id}"
    key = f"{key}:{occurrence}" if occurrence else key
    if len(key) > KEY_LENGTH:  # still unique: a digest of the whole key ends it
        key = f"{key[:KEY_LENGTH - 41]}#{hashlib.sha256(key.encode()).hexdigest()[:40]}"
    return key


def schedule_step(
    kind: str,
    target,
    *,
    delay: str | None = None,
    due_at: datetime | None = None,
    deadline: datetime | None = None,
    occurrence: str = "",
    payload: dict | None = None,
) -> ScheduledStep:
    """Plan `kind` on `target`, after the named `delay` or at `due_at`, in the current transaction.

    Scheduling the same (kind, target, occurrence) again returns the existing row; a cancelled one
    is planned again. `occurrence` tells apart steps that do recur (e.g. each card's renewal).
    """
    if (delay is None) == (due_at is None):
        raise ValueError("give exactly one of delay= and due_at=")
    if delay is not None:
        now, planned = timezone.now(), named_delay(delay)
        due_at = now + planned.due
        if deadline is None and planned.deadline is not None:
            deadline = now + planned.deadline
    content_type = ContentType.objects.get_for_model(target)
    values = {"due_at": due_at, "deadline": deadline, "payload": payload or {}}
    with transaction.atomic():
        step, created = ScheduledStep.objects.get_or_create(
            dedup_key=_dedup_key(kind, content_type, str(target.pk), occurrence),
            defaults={"kind": kind, "content_type": content_type, "object_id": str(target.pk), **values},
        )
        if not created and step.state == StepState.CANCELLED:
            revived = ScheduledStep.objects.filter(pk=step.pk, state=StepState.CANCELLED).update(
                state=StepState.PENDING, attempts=0, last_error="", done_at=None, **values
            )
            if revived:
                step.refresh_from_db()
    return step


def cancel_steps(target, *, kinds: Iterable[str] | None = None) -> int:
    """Cancel the pending (and failed) steps of `target`; a running one finishes: its handler
    checks the target's state. Returns how many were cancelled."""
    steps = ScheduledStep.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        state__in=[StepState.PENDING, StepState.FAILED],
    )
    if kinds is not None:
        steps = steps.filter(kind__in=list(kinds))
    return steps.update(state=StepState.CANCELLED, claim_token="")


def step_retry(*, step_id: int, actor) -> ScheduledStep:
    """An ANS agent puts a failed step back in the queue, due now, with all its attempts."""
    require(actor, "steps.supervise")
    with transaction.atomic():
        step = ScheduledStep.objects.select_for_update().get(pk=step_id)
        if step.state != StepState.FAILED:
            raise StateConflict("Cette étape n'est plus en échec : rechargez la page.")
        step.state, step.attempts, step.due_at = StepState.PENDING, 0, timezone.now()
        step.claim_token = ""
        step.save(update_fields=["state", "attempts", "due_at", "claim_token"])
        audit.record(step, actor=actor, act="retry", from_state=StepState.FAILED, to_state=StepState.PENDING,
                     snapshot={"kind": step.kind, "last_error": step.last_error})
    return step


# The sweeper's side.


@dataclass(frozen=True)
class SweepReport:
    released: int
    claimed: int
    saturated: bool  # the in-flight budget was used up while due steps remained


def release_expired_leases(now: datetime, *, limit: int = 500) -> int:
    """Running steps whose lease expired (their worker died, or their message was lost) go back
    to pending, or to failed once their attempts are spent. A step whose handler is running right
    now holds its row lock and is skipped."""
    expired = now - timedelta(seconds=settings.PORTAL_STEP_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            ScheduledStep.objects.filter(state=StepState.RUNNING, claimed_at__lt=expired)
            .select_for_update(skip_locked=True)
            .values_list("pk", "attempts")[:limit]
        )
        exhausted = [pk for pk, attempts in rows if attempts >= settings.PORTAL_STEP_MAX_ATTEMPTS]
        again = [pk for pk, attempts in rows if attempts < settings.PORTAL_STEP_MAX_ATTEMPTS]
        still_expired = {"state": StepState.RUNNING, "claimed_at__lt": expired}
        released = ScheduledStep.objects.filter(pk__in=again, **still_expired).update(
            state=StepState.PENDING, claim_token="", last_error=LEASE_LOST_ERROR
        )
        released += ScheduledStep.objects.filter(pk__in=exhausted, **still_expired).update(
            state=StepState.FAILED, claim_token="", last_error=LEASE_LOST_ERROR
        )
    if released:
        logger.warning("timed steps: %d expired lease(s) released", released)
    return released


def claim_due_steps(now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due steps for this sweeper; returns their ids.

    PostgreSQL: SKIP LOCKED lets concurrent sweepers take disjoint rows. SQLite has no row locks
    but runs this transaction IMMEDIATE (one writer at a time). Either way the claim itself is a
    conditional UPDATE (STYLE.md convention 7): a row another sweeper took is not updated, and the
    token tells which rows are ours if that ever happens.
    """
    with transaction.atomic():
        ids = list(
            ScheduledStep.objects.filter(state=StepState.PENDING, due_at__lte=now)
            .order_by("due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        token = uuid.uuid4().hex
        claimed = ScheduledStep.objects.filter(pk__in=ids, state=StepState.PENDING).update(
            state=StepState.RUNNING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
        )
        if claimed == len(ids):
            return ids
        return list(ScheduledStep.objects.filter(pk__in=ids, claim_token=token).values_list("pk", flat=True))


def in_flight() -> int:
    return ScheduledStep.objects.filter(state=StepState.RUNNING).count()


def sweep(
    dispatch: Callable[[list[int]], None],
    *,
    again: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> SweepReport:
    """Release expired leases, then claim due steps batch by batch and `dispatch` their ids (after
    each claim commits): at most PORTAL_STEP_SWEEP_LIMIT, and while fewer than
    PORTAL_STEP_MAX_IN_FLIGHT are running. A dispatch that fails (broker down) leaves its steps
    running: their lease brings them back.

    When the limit is reached with steps still due, `again()` runs before the last batch is
    dispatched: the next sweep then queues ahead of that batch, so workers never run dry.
    """
    now = now or timezone.now()
    released = release_expired_leases(now)
    limit = settings.PORTAL_STEP_MAX_IN_FLIGHT - in_flight()
    budget, claimed = min(settings.PORTAL_STEP_SWEEP_LIMIT, limit), 0
    while claimed < budget:
        ids = claim_due_steps(now, min(settings.PORTAL_STEP_BATCH, budget - claimed))
        if not ids:
            break
        claimed += len(ids)
        if claimed >= budget and again is not None:
            again()
        dispatch(ids)
    return SweepReport(released=released, claimed=claimed, saturated=claimed > 0 and claimed >= budget)


# The worker's side.


def run_step(step_id: int) -> str:
    """Run the handler of a claimed step and mark it done, in one transaction with the row locked.

    Idempotent: a step that is not running (done, cancelled, released) is skipped, and a second
    delivery of the same message waits for the lock, then finds it done.
    """
    try:
        with transaction.atomic():
            step = _complete(step_id)
            if step is None:
                return "skipped"
            # The row is already `done` and locked by this transaction: if the handler raises or
            # the worker dies, both its effects and the `done` roll back together.
            handler_for(step.kind).run(step)
        return "done"
    except Exception as exc:
        logger.exception("timed step %s failed", step_id)
        return record_failure(step_id, exc)


def _complete(step_id: int) -> ScheduledStep | None:
    # The engine's hot path: lock, check and mark done in one statement (one round trip per
    # step). UPDATE ... RETURNING runs on PostgreSQL and SQLite >= 3.35. A plain cursor, not
    # `objects.raw()`: the raw queryset's per-query set-up cost more CPU than the statement.
    fields = ScheduledStep._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    done_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ScheduledStep._meta.db_table} SET state = %s, done_at = %s, claim_token = '' "  # noqa: S608
            f"WHERE id = %s AND state = %s RETURNING {columns}",
            [StepState.DONE, done_at, step_id, StepState.RUNNING],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = [_from_db(field, value) for field, value in zip(fields, row, strict=True)]
    return ScheduledStep.from_db(connection.alias, [field.attname for field in fields], values)


def _from_db(field, value):
    # What the ORM does to a fetched value: the backend's converters (SQLite dates), then the
    # field's own (JSON).
    column = field.get_col(ScheduledStep._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def backoff(attempts: int) -> timedelta:
    first = timedelta(seconds=settings.PORTAL_STEP_RETRY_SECONDS)
    return min(first * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def record_failure(step_id: int, exc: BaseException) -> str:
    """The handler raised (its effects rolled back): retry later, or fail once attempts are spent."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        step = ScheduledStep.objects.select_for_update().filter(pk=step_id, state=StepState.RUNNING).first()
        if step is None:
            return "skipped"
        step.last_error, step.claim_token = error, ""
        if step.attempts >= settings.PORTAL_STEP_MAX_ATTEMPTS:
            step.state = StepState.FAILED
        else:
            step.state, step.due_at = StepState.PENDING, timezone.now() + backoff(step.attempts)
        step.save(update_fields=["state", "due_at", "last_error", "claim_token"])
    return step.state
