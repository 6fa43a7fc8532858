"""A registration driven through RPPS number, Annuaire Santé and e-CPS on a controlled clock."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from esms_portal.core.identifiers import rpps_is_valid
from rpps_plus import selectors, services
from rpps_plus.errors import ECpsNotOpen
from rpps_plus.models import ECpsState, Professional

from .conftest import CLIENT, ecps_log_in, last_code, person, run_due_steps

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.mark.rule("R-RPP-10", "R-RPP-11", "R-RPP-12", "R-CRD-13", "R-ECP-1", "R-ECP-2", "R-RPP-13")
def test_registration_number_directory_and_ecps_on_a_controlled_clock(gina, site, django_capture_on_commit_callbacks,
                                                                      sms_outbox):
    t0 = timezone.now()
    with time_machine.travel(t0, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            situation = services.professional_register(actor=gina, data=person(), site=site)
        assert run_due_steps() == []
    professional = Professional.objects.get()

    # R-RPP-10: the number by email within 30 minutes, drawn from the ANS test range.
    with time_machine.travel(t0 + timedelta(minutes=29), tick=False):
        assert run_due_steps() == []
        assert Professional.objects.get().rpps is None
    with time_machine.travel(t0 + timedelta(minutes=30, seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_due_steps() == ["rpps_plus.rpps_number"]
    professional.refresh_from_db()
    assert rpps_is_valid(professional.rpps) and professional.rpps.startswith("99700")
    assert [m.to for m in mail.outbox] == [["julie.lefevre@example.org"]]
    assert professional.rpps in mail.outbox[0].body
    assert "vous a enregistré" not in mail.outbox[0].body  # Julie is a woman: a gender-neutral phrasing

    # R-RPP-11: in the Annuaire Santé after 24 h (deadline 48 h), not before.
    with time_machine.travel(t0 + timedelta(hours=23, minutes=59), tick=False):
        run_due_steps()
        assert selectors.directory_search(name="lef").rows == []
    with time_machine.travel(t0 + timedelta(hours=24, seconds=1), tick=False):
        assert run_due_steps() == ["rpps_plus.publish"]
        found = selectors.directory_search(name="lef")
        assert [s.pk for s in found.rows] == [situation.pk] and found.next is None
        from esms_portal.models import ScheduledStep

        step = ScheduledStep.objects.get(kind="rpps_plus.publish")
        assert step.deadline - step.due_at == timedelta(hours=24)

    # R-RPP-12, R-CRD-13: the e-CPS activation opens at 48 h, never before.
    identifier = "8" + professional.rpps
    with time_machine.travel(t0 + timedelta(hours=47, minutes=59), tick=False):
        with pytest.raises(ECpsNotOpen):
            services.ecps_request_codes(identifier=identifier, client=CLIENT)
    with time_machine.travel(t0 + timedelta(hours=48, seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert run_due_steps() == ["rpps_plus.ecps_opening"]
            challenge = services.ecps_request_codes(identifier=identifier, client=CLIENT)
        assert "Activez votre e-CPS" in mail.outbox[1].subject
        email_code, sms_code = last_code(mail.outbox[2].body), last_code(sms_outbox[-1][1])
        assert sms_outbox[-1][0] == "+33612345678"
        ecps = services.ecps_activate(challenge_id=challenge.pk, identifier=identifier, email_code=email_code,
                                      sms_code=sms_code, pin="4826", pin_confirmation="4826")
    # R-ECP-2 and R-CRD-8: a PIN confirms each authentication; 3 years of validity; e-CPS only (R-RPP-13).
    assert ecps.state == ECpsState.ACTIVE and ecps.identifier == identifier
    assert (ecps.expires_at - ecps.activated_at).days in (1095, 1096)
    assert ecps_log_in(identifier, "4826").professional == professional
    from cards.models import Card

    assert not Card.objects.filter(holder__email__contains=professional.rpps).exists()
