"""The agents' instruction queue, shared by every instructed request (contract, forms, analyses).

Each declared request type (esms_portal.workflow.declarations) is a queue: the back office lists
each with the same filters (state, region, age) and the same delay reading (workflow.instruction).
"""

from datetime import timedelta

from django.utils import timezone

from esms_portal.workflow.declarations import RequestType, request_type, request_types


def queues() -> list[RequestType]:
    return list(request_types())


def get_queue(key: str) -> RequestType | None:
    return request_type(key)


def queue_requests(queue: RequestType, *, state: str = "", region: str = "", min_days: int | None = None):
    """The queue's requests, oldest submission first, filtered as the agent asked."""
    organisation = queue.model.tenant_field
    requests = queue.model._default_manager.select_related(organisation).filter(submitted_at__isnull=False)
    requests = requests.filter(state=state) if state else requests.filter(state__in=queue.waiting_states)
    if region:
        requests = requests.filter(**{f"{organisation}__region": region})
    if min_days is not None:
        requests = requests.filter(submitted_at__lte=timezone.now() - timedelta(days=min_days))
    return requests.order_by("submitted_at", "pk")
