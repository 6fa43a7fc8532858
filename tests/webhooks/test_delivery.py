"""Delivery on the timed-step engine to a real receiver on 127.0.0.1: signed as Standard Webhooks
says, after commit, at least once with the same `webhook-id`, retried with growing delays for about
a day, then failed; a subscription that keeps failing is paused and its owner mailed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from contracts import services as contract_services
from esms_portal.models import DeliveryState, ScheduledStep, SubscriptionState, WebhookDelivery
from esms_portal.webhooks import services
from esms_portal.webhooks.delivery import RETRY_DELAYS, STEP_KIND
from esms_portal.webhooks.events import emit
from tests.factories import complete_contract_data
from tests.timed import run_due_steps

from .conftest import deliveries


def _start_contract(alice, alpha):
    return contract_services.contract_start(actor=alice, structure=alpha)


def test_an_act_is_delivered_signed_once_its_transaction_commits(subscribed, receiver, alice, alpha):
    contract = _start_contract(alice, alpha)
    assert receiver.received == []  # the act only wrote rows: the sweep delivers
    assert run_due_steps() == ["done"]
    (message,) = receiver.received
    event = message.verified(subscribed.secret_for_test)
    assert event["type"] == "request.state_changed"
    assert event["data"]["object"] == {"type": "request", "request_type": "contrats", "id": str(contract.pk),
                                       "state": "draft", "previous_state": None}
    assert event["data"]["organisation"] == {"id": str(alpha.pk)}
    assert message.path == "/hooks/portail"
    assert message.headers["Content-Type"] == "application/json"
    (delivery,) = deliveries()
    assert message.headers["webhook-id"] == delivery.message_id
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.DELIVERED, 1, 204)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None


def test_each_state_change_is_one_event(subscribed, receiver, alice, alpha):
    contract = _start_contract(alice, alpha)
    contract_services.contract_update(actor=alice, contract_pk=contract.pk, data=complete_contract_data(),
                                      cgu_accepted=True)
    contract_services.contract_submit(actor=alice, contract_pk=contract.pk)
    run_due_steps()
    states = [(m.json["data"]["object"]["previous_state"], m.json["data"]["object"]["state"], m.json["data"]["act"])
              for m in receiver.received]
    assert states == [(None, "draft", "create"), ("draft", "submitted", "submit")]


def test_a_rolled_back_act_delivers_nothing(subscribed, receiver, alice, alpha):
    with pytest.raises(RuntimeError), transaction.atomic():
        _start_contract(alice, alpha)
        assert WebhookDelivery.objects.count() == 1  # written in the act's own transaction
        raise RuntimeError("the act fails after its event was queued")
    assert not WebhookDelivery.objects.exists()
    assert not ScheduledStep.objects.filter(kind=STEP_KIND).exists()
    assert run_due_steps() == []
    assert receiver.received == []


def test_a_subscription_to_other_events_receives_nothing(alice, alpha, receiver, allow_private):
    services.webhook_subscribe(actor=alice, organisation=alpha, url=receiver.url, event_types=["card.state_changed"])
    _start_contract(alice, alpha)
    assert not WebhookDelivery.objects.exists()


def test_retries_keep_the_same_id_with_growing_delays_then_fail(subscribed, receiver, alice, alpha):
    receiver.default = 500
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        _start_contract(alice, alpha)
        run_due_steps()
    (delivery,) = deliveries()
    gaps = []
    for _ in RETRY_DELAYS:
        delivery.refresh_from_db()
        assert delivery.state == DeliveryState.PENDING
        gaps.append(delivery.next_attempt_at - delivery.last_attempt_at)
        with time_machine.travel(delivery.next_attempt_at - timedelta(seconds=1), tick=False):
            assert run_due_steps() == []  # not due yet
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            assert run_due_steps() == ["done"]
            receiver.received[-1].verified(subscribed.secret_for_test)  # signed anew, at this attempt's time
    assert gaps == list(RETRY_DELAYS) and all(a <= b for a, b in zip(gaps, gaps[1:], strict=False))
    assert gaps[0] < gaps[-1]
    assert timedelta(hours=20) < sum(gaps, timedelta()) < timedelta(hours=30)  # about a day
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status) == (DeliveryState.FAILED, 8, 500)
    assert delivery.next_attempt_at is None
    assert len(delivery.last_response) == 500  # truncated
    assert len(receiver.received) == 8
    assert {m.headers["webhook-id"] for m in receiver.received} == {delivery.message_id}
    timestamps = [int(m.headers["webhook-timestamp"]) for m in receiver.received]
    assert timestamps == sorted(timestamps) and len(set(timestamps)) == 8
    subscribed.refresh_from_db()
    assert (subscribed.consecutive_failures, subscribed.state) == (1, SubscriptionState.ACTIVE)
    with time_machine.travel(t0 + timedelta(days=3), tick=False):
        assert run_due_steps() == []  # nothing planned after the failure


def _fail_for_good(delivery):
    """Every attempt of `delivery`, each at its planned time (the receiver refusing them all)."""
    for _ in range(len(RETRY_DELAYS) + 1):
        delivery.refresh_from_db()
        if delivery.state != DeliveryState.PENDING:
            return
        with time_machine.travel(delivery.next_attempt_at, tick=False):
            run_due_steps()


def test_a_subscription_failing_again_and_again_is_paused_and_its_owner_mailed(
        settings, subscribed, receiver, alice, alpha, django_capture_on_commit_callbacks):
    settings.PORTAL_WEBHOOK_PAUSE_AFTER = 2
    receiver.default = 503
    contract = _start_contract(alice, alpha)
    emit("request.state_changed", contract)
    first, second = deliveries()
    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(first)
    subscribed.refresh_from_db()
    assert subscribed.state == SubscriptionState.ACTIVE and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(second)
    subscribed.refresh_from_db()
    assert (subscribed.state, subscribed.consecutive_failures) == (SubscriptionState.PAUSED, 2)
    (message,) = mail.outbox
    assert message.to == ["alice@alpha.example"]
    assert subscribed.url in message.body and "suspendu" in message.subject
    assert subscribed.secret_for_test not in message.body

    # Paused: an event is kept, not sent; resuming sends it, and a success clears the count.
    receiver.default, sent = 204, len(receiver.received)
    emit("request.state_changed", contract)
    held = deliveries()[-1]
    assert (held.state, held.next_attempt_at) == (DeliveryState.PENDING, None)
    run_due_steps()
    assert len(receiver.received) == sent
    services.webhook_resume(actor=alice, subscription=subscribed)
    run_due_steps()
    held.refresh_from_db()
    assert held.state == DeliveryState.DELIVERED and len(receiver.received) == sent + 1
    subscribed.refresh_from_db()
    assert (subscribed.state, subscribed.consecutive_failures) == (SubscriptionState.ACTIVE, 0)


def test_a_delivery_under_way_when_paused_waits_for_the_resume(subscribed, receiver, alice, alpha):
    _start_contract(alice, alpha)
    services.webhook_pause(actor=alice, subscription=subscribed)
    assert run_due_steps() == ["done"]
    (delivery,) = deliveries()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (DeliveryState.PENDING, 0, None)
    assert receiver.received == []
    services.webhook_resume(actor=alice, subscription=subscribed)
    run_due_steps()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and len(receiver.received) == 1


def test_a_success_clears_the_failure_count(subscribed, receiver, alice, alpha):
    receiver.default = 500
    contract = _start_contract(alice, alpha)
    _fail_for_good(deliveries()[0])
    subscribed.refresh_from_db()
    assert subscribed.consecutive_failures == 1
    receiver.default = 200
    emit("request.state_changed", contract)
    run_due_steps()
    subscribed.refresh_from_db()
    assert subscribed.consecutive_failures == 0


def test_a_step_run_twice_delivers_once(subscribed, receiver, alice, alpha):
    from esms_portal.webhooks.delivery import attempt

    _start_contract(alice, alpha)
    (delivery,) = deliveries()
    assert attempt(delivery.pk, number=0) == DeliveryState.DELIVERED
    assert attempt(delivery.pk, number=0) == "skipped"  # a second run of the same step
    assert len(receiver.received) == 1


def test_a_deleted_subscription_leaves_its_planned_steps_harmless(subscribed, receiver, alice, alpha):
    _start_contract(alice, alpha)
    services.webhook_delete(actor=alice, subscription=subscribed)
    assert run_due_steps() == ["done"]
    assert receiver.received == []


def test_an_unreachable_receiver_is_a_failed_attempt_not_an_error(subscribed, receiver, alice, alpha):
    receiver.stop()
    _start_contract(alice, alpha)
    assert run_due_steps() == ["done"]
    (delivery,) = deliveries()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_status is None and "ConnectionRefusedError" in delivery.last_error
    receiver.stop = lambda: None  # already stopped


def test_a_slow_receiver_times_out_into_a_failed_attempt(settings, subscribed, receiver, alice, alpha):
    settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 2
    _start_contract(alice, alpha)
    assert run_due_steps() == ["done"]
    (delivery,) = deliveries()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert "timed out" in delivery.last_error


def test_the_connection_goes_to_the_checked_address_not_to_a_new_resolution(receiver):
    """DNS rebinding: once checked, the name is not resolved again; the Host header stays the URL's."""
    from esms_portal.webhooks.addresses import Target
    from esms_portal.webhooks.sending import _PinnedHTTPConnection

    port = receiver.server.server_port
    connection = _PinnedHTTPConnection(Target("http", "webhooks.invalid", port, "/hooks", "127.0.0.1"), 2)
    connection.request("POST", "/hooks", body=b"{}", headers={"Content-Type": "application/json"})
    assert connection.getresponse().status == 204
    connection.close()
    (message,) = receiver.received
    assert message.headers["Host"] == f"webhooks.invalid:{port}"


def test_after_a_rotation_both_secrets_sign_for_a_day(subscribed, receiver, alice, alpha):
    from standardwebhooks import WebhookVerificationError

    old = subscribed.secret_for_test
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        _, new = services.webhook_rotate_secret(actor=alice, subscription=subscribed)
        contract = _start_contract(alice, alpha)
        run_due_steps()
    assert new != old and new.startswith("whsec_")
    first = receiver.received[-1]
    assert len(first.headers["webhook-signature"].split(" ")) == 2
    assert first.verified(new) == first.verified(old)
    with time_machine.travel(t0 + timedelta(hours=25), tick=False):
        emit("request.state_changed", contract)
        run_due_steps()
    later = receiver.received[-1]
    assert later.verified(new)["type"] == "request.state_changed"
    with pytest.raises(WebhookVerificationError):
        later.verified(old)
