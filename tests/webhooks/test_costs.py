"""What webhooks add to an act: nothing for an act that raises no event, one query for an event
nobody subscribed to, the same few whatever the number of subscribers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import services as contract_services
from esms_portal.models import AuditEntry, WebhookDelivery
from esms_portal.webhooks import events, services


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_an_act_that_changes_no_state_costs_nothing(alice, alpha, subscribed):
    contract = contract_services.contract_start(actor=alice, structure=alpha)
    entry = AuditEntry(act="update", from_state="draft", to_state="draft")
    assert _queries(lambda: events._act_performed(type(contract), contract, "update", entry)) == 0


def test_an_event_nobody_subscribed_to_costs_one_query(alice, alpha):
    contract = contract_services.contract_start(actor=alice, structure=alpha)
    assert _queries(lambda: events.emit("request.state_changed", contract)) == 1


def test_subscribers_cost_the_same_few_queries_whatever_their_number(alice, alpha, receiver, allow_private):
    contract = contract_services.contract_start(actor=alice, structure=alpha)
    services.webhook_subscribe(actor=alice, organisation=alpha, url=receiver.url)
    one = _queries(lambda: events.emit("request.state_changed", contract))
    for _ in range(3):
        services.webhook_subscribe(actor=alice, organisation=alpha, url=receiver.url)
    four = _queries(lambda: events.emit("request.state_changed", contract))
    # The subscriptions, a savepoint, the deliveries, the steps (and their two counts), the release.
    assert one == four == 7
    assert WebhookDelivery.objects.count() == 5

