"""The demo organisation's home shows its timeline moving as the demo runs: the legal representative
orders a card for a future mandataire (F301), the agent accepts, the card factory's timed steps run
(1440x in the demo: a day becomes a minute), the holder activates his card and the step is done."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cards import services as card_services
from contracts.models import Structure
from esms_portal.models import User
from tests.timed import run_due_steps

pytestmark = pytest.mark.django_db
DEMO_ORGANISATION = "0B1000013"


def _step(client, organisation, key):
    timeline = client.get(reverse("onboarding:timeline", args=[organisation.pk])).context["timeline"]
    return timeline.step(key)


@override_settings(PORTAL_TIME_COMPRESSION=1440)
def test_the_demo_timeline_moves(client, pki):
    call_command("load_demo")
    organisation = Structure.objects.get(finess=DEMO_ORGANISATION)
    representative = User.objects.get(email="representant@demo.esms.example")
    agent = User.objects.get(email="agent@demo.ans.example")
    client.force_login(representative)
    assert client.get(reverse("home")).url == reverse("onboarding:timeline", args=[organisation.pk])
    before = _step(client, organisation, "mandataire")
    assert (before.status, before.may_act) == ("todo", True)

    order = card_services.f301_file(actor=representative, organisation=organisation, lines=[{
        "last_name": "Morel", "first_names": "Hugo", "email": "hugo@demo.esms.example", "title": "Cadre de santé",
        "delivery_address": "12 rue des Tilleuls, 69003 Lyon", "establishments": [], "make_mandataire": True}])
    assert _step(client, organisation, "mandataire").state.waiting_for == "ans"
    card_services.form_act(actor=agent, form=order, act="start_instruction")
    card_services.form_accept(actor=agent, form=order)
    run_due_steps()  # production starts
    moving = _step(client, organisation, "mandataire")
    assert moving.status == "in_progress" and moving.planned_at <= timezone.now() + timedelta(minutes=11)

    start = timezone.now()
    for minutes in (8, 12):  # production 7 days, shipping 3: ten days in ten minutes
        with time_machine.travel(start + timedelta(minutes=minutes)):
            run_due_steps()
    with time_machine.travel(start + timedelta(minutes=12)):
        delivered = _step(client, organisation, "mandataire")
        assert delivered.state.waiting_for == "holder"
        card = order.lines.get().card
        card.refresh_from_db()
        card_services.card_activate(actor=card.holder, card=card, pin="4826", pin_confirmation="4826")
        done = _step(client, organisation, "mandataire")
        assert done.status == "done" and "Hugo Morel" in done.state.summary
