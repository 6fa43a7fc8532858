"""The one audit writer: every act that changes something or hands out a secret writes its row here
(STYLE.md convention 6). Rows are append-only (esms_portal.models.audit)."""

from django.contrib.contenttypes.models import ContentType

from esms_portal.models import AuditEntry


def _row(instance, *, actor, act: str, from_state: str, to_state: str, reason: str, snapshot: dict | None):
    return AuditEntry(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        act=act,
        actor=actor if getattr(actor, "pk", None) else None,  # the portal itself (SYSTEM) leaves none
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        snapshot=snapshot if snapshot is not None else _snapshot(instance),
    )


def _snapshot(instance) -> dict:
    take = getattr(instance, "audit_snapshot", None)
    return take() if take is not None else {}


def record(instance, *, actor, act: str, from_state: str = "", to_state: str | None = None, reason: str = "",
           snapshot: dict | None = None) -> AuditEntry:
    """Write one row for `act` on `instance`; `to_state` defaults to its current state."""
    to_state = getattr(instance, "state", "") if to_state is None else to_state
    row = _row(instance, actor=actor, act=act, from_state=from_state, to_state=to_state, reason=reason,
               snapshot=snapshot)
    row.save()
    return row


def record_many(instances, *, actor, act: str, reason: str = "") -> list[AuditEntry]:
    """One row per instance in one INSERT (bulk imports), each from no state to its current one."""
    rows = [_row(i, actor=actor, act=act, from_state="", to_state=i.state, reason=reason, snapshot=None)
            for i in instances]
    return AuditEntry.objects.bulk_create(rows)
