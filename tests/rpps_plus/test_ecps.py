from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from esms_portal.core.errors import InvalidInput, WrongPin
from rpps_plus import services
from rpps_plus.errors import CodesInvalid, ECpsLocked, ECpsNotOpen, UnknownIdentifier
from rpps_plus.models import ECpsState
from rpps_plus.services.timeline import rpps_number_send, situation_publish

from .conftest import CLIENT, ecps_log_in, ecps_login_start, last_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def identifier(registered):
    rpps_number_send(registered.professional_id)
    situation_publish(registered.pk)
    registered.professional.refresh_from_db()
    return "8" + registered.professional.rpps


@pytest.fixture
def after_48h():
    with time_machine.travel(timezone.now() + timedelta(hours=48, minutes=1), tick=False):
        yield


@pytest.fixture
def codes(identifier, after_48h, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.ecps_request_codes(identifier=identifier, client=CLIENT)
    return challenge, last_code(mail.outbox[-1].body), last_code(sms_outbox[-1][1])


@pytest.fixture
def active(identifier, codes):
    challenge, email_code, sms_code = codes
    return services.ecps_activate(challenge_id=challenge.pk, identifier=identifier, email_code=email_code,
                                  sms_code=sms_code, pin="4826", pin_confirmation="4826")


@pytest.mark.rule("R-RPP-12", "R-CRD-13")
def test_activation_is_closed_before_48_hours(identifier):
    with pytest.raises(ECpsNotOpen) as error:
        services.ecps_request_codes(identifier=identifier, client=CLIENT)
    assert "48 h" in error.value.message


@pytest.mark.rule("R-RPP-12")
def test_the_identifier_is_8_and_the_rpps(identifier, after_48h):
    with pytest.raises(UnknownIdentifier):
        services.ecps_request_codes(identifier=identifier[1:], client=CLIENT)


@pytest.mark.rule("R-ECP-1")
def test_both_codes_are_needed(identifier, codes):
    challenge, email_code, _ = codes
    with pytest.raises(CodesInvalid):
        services.ecps_activate(challenge_id=challenge.pk, identifier=identifier, email_code=email_code,
                               sms_code="000000", pin="4826", pin_confirmation="4826")


def test_codes_expire(identifier, codes):
    challenge, email_code, sms_code = codes
    from rpps_plus.errors import CodesExpired

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False), pytest.raises(CodesExpired):
        services.ecps_activate(challenge_id=challenge.pk, identifier=identifier, email_code=email_code,
                               sms_code=sms_code, pin="4826", pin_confirmation="4826")


def test_a_weak_pin_is_refused(identifier, codes):
    challenge, email_code, sms_code = codes
    with pytest.raises(InvalidInput):
        services.ecps_activate(challenge_id=challenge.pk, identifier=identifier, email_code=email_code,
                               sms_code=sms_code, pin="1111", pin_confirmation="1111")


@pytest.mark.rule("R-ECP-2")
def test_wrong_pins_lock_the_ecps_and_the_message_says_how_to_unlock(identifier, active):
    login, code = ecps_login_start(identifier)
    for left in (2, 1):
        with pytest.raises(WrongPin) as error:
            services.ecps_login_verify(login_id=login.pk, code=code, pin="0000")
        assert error.value.details == {"tries_left": left}
    with pytest.raises(ECpsLocked) as error:
        services.ecps_login_verify(login_id=login.pk, code=code, pin="0000")
    assert "refaites son activation" in error.value.message
    with pytest.raises(ECpsLocked):
        ecps_log_in(identifier, "4826")
    active.refresh_from_db()
    assert active.state == ECpsState.LOCKED


@pytest.mark.rule("R-ECP-2")
def test_a_new_activation_unlocks_it(identifier, active, sms_outbox, django_capture_on_commit_callbacks):
    login, code = ecps_login_start(identifier)
    for _ in range(3):
        with pytest.raises((WrongPin, ECpsLocked)):
            services.ecps_login_verify(login_id=login.pk, code=code, pin="0000")
    with django_capture_on_commit_callbacks(execute=True):
        challenge = services.ecps_request_codes(identifier=identifier, client=CLIENT)
    services.ecps_activate(challenge_id=challenge.pk, identifier=identifier,
                           email_code=last_code(mail.outbox[-1].body), sms_code=last_code(sms_outbox[-1][1]),
                           pin="5937", pin_confirmation="5937")
    assert ecps_log_in(identifier, "5937").professional.rpps == identifier[1:]


@pytest.mark.rule("R-RPP-15")
def test_the_professional_updates_his_contact_data(identifier, active):
    professional = ecps_log_in(identifier, "4826").professional
    updated = services.professional_update_contact(actor=professional.user, professional=professional,
                                                   email="julie@new.example", mobile="07 11 22 33 44")
    assert (updated.email, updated.mobile) == ("julie@new.example", "+33711223344")


@pytest.mark.rule("R-RPP-15")
def test_nobody_else_updates_his_contact_data(identifier, active, gina):
    from esms_portal.core.errors import ActNotAllowed

    professional = active.professional
    with pytest.raises(ActNotAllowed):
        services.professional_update_contact(actor=gina, professional=professional, email="x@y.example",
                                             mobile="0611223344")
