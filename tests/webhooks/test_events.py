"""The events of each app reach the subscribers: a request's state (generic, every instructed type),
a card's state, a certificate issued, revoked or about to expire, a professional published; and no
payload carries a person's name or contact data."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cards import services as card_services
from cards.models import Card
from certificates import services as certificate_services
from esms_portal.models import Role, RoleGrant
from rpps_plus import services as rpps_services
from tests.cards.conftest import staff_line
from tests.factories import CardFactory, UserFactory
from tests.rpps_plus.conftest import person
from tests.timed import run_due_steps

from .conftest import deliveries


def _events(receiver, secret, event_type=None) -> list[dict]:
    found = [message.verified(secret) for message in receiver.received]
    return [event for event in found if event_type is None or event["type"] == event_type]


def _objects(receiver, secret, event_type) -> list[tuple]:
    return [(e["data"]["object"]["id"], e["data"]["object"]["previous_state"], e["data"]["object"]["state"])
            for e in _events(receiver, secret, event_type)]


@pytest.fixture
def gina(alpha, alice):
    """alpha's gestionnaire RPPS+, with an active CPE."""
    user = UserFactory(email="gina@alpha.example", first_name="Gina", last_name="Gestion")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)
    return user


def test_a_card_form_and_the_card_it_orders_follow_their_states(pki, accepted, alice_card, subscribed, receiver, alice,
                                                                alpha, ana):
    order = card_services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    card_services.form_act(actor=ana, form=order, act="start_instruction")
    card_services.form_accept(actor=ana, form=order)
    t0 = timezone.now()
    for days in (1, 5, 12, 20):  # production, shipping, delivery: timed steps of the cards app
        with time_machine.travel(t0 + timedelta(days=days), tick=False):
            run_due_steps()
    secret = subscribed.secret_for_test
    requests = _events(receiver, secret, "request.state_changed")
    assert [(e["data"]["object"]["request_type"], e["data"]["object"]["id"], e["data"]["object"]["previous_state"],
             e["data"]["object"]["state"]) for e in requests] == [
        ("f301", str(order.pk), None, "submitted"), ("f301", str(order.pk), "submitted", "in_instruction"),
        ("f301", str(order.pk), "in_instruction", "accepted")]
    card = Card.objects.get(holder__email="lucie@alpha.example")
    assert _objects(receiver, secret, "card.state_changed") == [
        (str(card.pk), None, "ordered"), (str(card.pk), "ordered", "in_production"),
        (str(card.pk), "in_production", "shipped"), (str(card.pk), "shipped", "delivered")]


def test_an_opposed_card(subscribed, receiver, alice, alpha):
    card = CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))
    card_services.card_oppose(actor=alice, card=card, reason="Départ de l'agent")
    run_due_steps()
    (event,) = _events(receiver, subscribed.secret_for_test)
    assert event["type"] == "card.state_changed" and event["data"]["act"] == "oppose"
    assert event["data"]["object"] == {"type": "card", "id": str(card.pk), "state": "opposed",
                                       "previous_state": "active"}


def test_a_certificate_issued_expiring_and_revoked(pki, subscribed, receiver, org_auth, dave):
    secret = subscribed.secret_for_test
    run_due_steps()
    assert _objects(receiver, secret, "certificate.issued") == [(str(org_auth.pk), None, "issued")]
    # The renewal reminder's timed step, 30 days before expiry, says it is expiring.
    reminder_at = org_auth.certificate.not_after - timedelta(days=30)
    with time_machine.travel(reminder_at + timedelta(minutes=1), tick=False):
        run_due_steps()
        run_due_steps()  # the delivery planned by the reminder
        assert _objects(receiver, secret, "certificate.expiring") == [(str(org_auth.pk), None, "expiring")]
    certificate_services.certificate_revoke(actor=dave, order=org_auth, reason="Clé compromise")
    run_due_steps()
    assert _objects(receiver, secret, "certificate.revoked") == [(str(org_auth.pk), "issued", "revoked")]


def test_a_professional_published_on_the_directorys_timed_step(subscribed, receiver, accepted, gina, alpha,
                                                                sms_outbox):
    site = alpha.sites_for_test[0]
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        situation = rpps_services.professional_register(actor=gina, data=person(), site=site)
        run_due_steps()
    secret = subscribed.secret_for_test
    assert _events(receiver, secret, "professional.published") == []
    with time_machine.travel(t0 + timedelta(hours=25), tick=False):
        run_due_steps()
        run_due_steps()
        (event,) = _events(receiver, secret, "professional.published")
    assert event["data"]["object"] == {"type": "situation", "id": str(situation.pk), "state": "published",
                                       "previous_state": "active"}
    assert event["data"]["organisation"] == {"id": str(alpha.pk)}


def test_no_payload_carries_a_name_or_contact_data(pki, subscribed, receiver, accepted, alice, alice_card, alpha, ana,
                                                   gina, sms_outbox):
    """Names, emails, phones and addresses of every person the acts below touch: none is sent."""
    order = card_services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    card_services.form_act(actor=ana, form=order, act="start_instruction")
    card_services.form_accept(actor=ana, form=order)
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        rpps_services.professional_register(actor=gina, data=person(), site=alpha.sites_for_test[0])
    for hours in (1, 25, 24 * 20):
        with time_machine.travel(t0 + timedelta(hours=hours), tick=False):
            run_due_steps()
            run_due_steps()
    sent = [message.body.decode() for message in receiver.received]
    logged = [json.dumps(delivery.payload, ensure_ascii=False) for delivery in deliveries()]
    assert len(sent) >= 8 and len(logged) == len(sent)
    forbidden = ["@", "Lucie", "Bernard", "Lilas", "Julie", "Lefèvre", "Lef\\u00e8vre", "06 12", "0612", "Alice",
                 "Martin", "Gina", "Ana", "Infirmière", "Paris"]
    for text in sent + logged:
        assert not [word for word in forbidden if word in text], text
    assert {json.loads(text)["type"] for text in sent} >= {"request.state_changed", "card.state_changed",
                                                           "professional.published"}


def test_a_bulk_order_raises_one_event_per_certificate(pki, subscribed, receiver, f413_accepted, dave, alpha):
    from tests.kernel.pki_support import make_csr

    lines = [certificate_services.OrderLine(csr=make_csr(cn=f"L{i}"), software_name=f"L{i}") for i in range(3)]
    orders = certificate_services.certificate_order_bulk(actor=dave, organisation=alpha, lines=lines,
                                                         profile="ORG_AUTH_CLI")
    assert [d.event_type for d in deliveries(subscribed)].count("certificate.issued") == 3
    run_due_steps()
    issued = _objects(receiver, subscribed.secret_for_test, "certificate.issued")
    assert sorted(issued) == sorted((str(o.pk), None, "issued") for o in orders)
