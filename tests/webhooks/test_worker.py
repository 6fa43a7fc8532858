"""The real path: a committed act, beat's sweep and a `celery worker` process deliver the signed
event to the receiver, and retry it with the same `webhook-id` after a refusal."""

import os
import shutil

import pytest

from contracts import services as contract_services
from esms_portal.models import DeliveryState, WebhookDelivery
from tests.kernel.faults_support import RedisServer, Worker, wait_for

pytestmark = [
    pytest.mark.faults,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        if os.environ.get("PORTAL_REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server introuvable (apt-get install redis-server)", pytrace=False)
        pytest.skip("redis-server introuvable : ce test démarre son propre Redis")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(redis_server, tmp_path):
    process = Worker(redis_server.url, tmp_path / "worker.log", engine={"PORTAL_WEBHOOKS_ALLOW_PRIVATE": "true"})
    process.start()
    yield process
    process.kill()


def test_the_worker_delivers_and_retries_with_the_same_id(subscribed, receiver, alice, alpha, worker):
    receiver.statuses = [500]  # the first attempt is refused, the retry 5 s later accepted
    contract = contract_services.contract_start(actor=alice, structure=alpha)
    try:
        wait_for(lambda: len(receiver.received) >= 2, timeout=60, every=0.2, what="the delivery and its retry")
    except AssertionError:
        raise AssertionError(worker.log_tail()) from None
    first, second = receiver.received[:2]
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    event = second.verified(subscribed.secret_for_test)
    assert event["type"] == "request.state_changed" and event["data"]["object"]["id"] == str(contract.pk)
    wait_for(lambda: WebhookDelivery.objects.get().state == DeliveryState.DELIVERED, timeout=10, what="the log")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status, delivery.message_id) == (2, 204, first.headers["webhook-id"])
