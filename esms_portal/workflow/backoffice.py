"""The agents' instruction queue, shared by every instructed request (contract, forms, orders).

Apps register their instructed models in `AppConfig.ready()`; the back office lists each with
the same filters (state, region, age) and the same delay reading (esms_portal.workflow.instruction).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Queue:
    key: str  # URL slug, e.g. "contrats"
    label: str  # French tab label
    model: type
    detail_url: str  # URL name taking the request pk
    waiting_states: tuple[str, ...]  # states in which the agent has something to do


_QUEUES: dict[str, Queue] = {}


def register_queue(queue: Queue) -> None:
    _QUEUES[queue.key] = queue


def queues() -> list[Queue]:
    return list(_QUEUES.values())


def get_queue(key: str) -> Queue | None:
    return _QUEUES.get(key)


def queue_requests(queue: Queue, *, state: str = "", region: str = "", min_days: int | None = None):
    """The queue's requests, oldest submission first, filtered as the agent asked."""
    organisation = queue.model.tenant_field
    requests = queue.model._default_manager.select_related(organisation).filter(submitted_at__isnull=False)
    requests = requests.filter(state=state) if state else requests.filter(state__in=queue.waiting_states)
    if region:
        requests = requests.filter(**{f"{organisation}__region": region})
    if min_days is not None:
        requests = requests.filter(submitted_at__lte=timezone.now() - timedelta(days=min_days))
    return requests.order_by("submitted_at", "pk")
