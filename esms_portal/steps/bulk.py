"""Planning many steps of one kind at once: the periodic sweeps (card renewals) of large fleets.

Same rows and dedup keys as `schedule_step`, written with one INSERT per chunk; a step already
planned for the same target is left as it is (ON CONFLICT DO NOTHING), so a sweep run twice plans
nothing twice.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from esms_portal.models import ScheduledStep
from esms_portal.steps.services import _dedup_key


def schedule_steps_bulk(kind: str, model, targets: list[tuple[object, datetime]], *, occurrence: str = "",
                        count: bool = True) -> int | None:
    """Plan `kind` for each (pk, due_at) of `model`; returns how many rows were new, or None with
    `count=False` (one statement instead of three: for targets just created, that had none)."""
    content_type = ContentType.objects.get_for_model(model)
    rows = [
        ScheduledStep(
            kind=kind, content_type=content_type, object_id=str(pk), due_at=due_at, payload={},
            dedup_key=_dedup_key(kind, content_type, str(pk), occurrence),
        )
        for pk, due_at in targets
    ]
    if not count:
        ScheduledStep.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        return None
    keys = [row.dedup_key for row in rows]
    before = ScheduledStep.objects.filter(dedup_key__in=keys).count()
    ScheduledStep.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return ScheduledStep.objects.filter(dedup_key__in=keys).count() - before
