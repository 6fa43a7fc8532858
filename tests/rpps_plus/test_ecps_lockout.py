"""Nobody who knows only a public identifier can lock an e-CPS: PIN tries count only once the
one-time code sent to the owner's mobile is proven; a stranger spends his own code attempts and his
sends are throttled, and the owner still logs in (issue 16, R-ECP-2)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from esms_portal.core.errors import WrongPin
from rpps_plus import services
from rpps_plus.errors import CodesExpired, LoginCodeInvalid, TooManyMessages
from rpps_plus.models import ECpsState

from .conftest import ecps_log_in, ecps_login_start, last_code
from .test_ecps import active, after_48h, codes, identifier  # noqa: F401

pytestmark = pytest.mark.django_db


def guess(login, pin="0000"):
    for _ in range(3):
        with pytest.raises((LoginCodeInvalid, CodesExpired)):
            services.ecps_login_verify(login_id=login.pk, code="000000", pin=pin)


@pytest.mark.rule("R-ECP-2")
def test_wrong_codes_never_count_as_pin_tries(identifier, active):  # noqa: F811
    login, _ = ecps_login_start(identifier)
    with pytest.raises(LoginCodeInvalid) as error:
        services.ecps_login_verify(login_id=login.pk, code="000000", pin="0000")
    assert error.value.details == {"attempts_left": 2}
    active.refresh_from_db()
    assert active.pin_failures == 0 and active.state == ECpsState.ACTIVE


@pytest.mark.rule("R-ECP-2")
def test_a_stranger_with_the_public_identifier_cannot_lock_the_ecps(identifier, active, sms_outbox):  # noqa: F811
    tries = 0
    with pytest.raises(TooManyMessages):
        while tries < 50:
            login, _ = ecps_login_start(identifier)
            guess(login)
            tries += 1
    assert tries < 50  # throttled
    with pytest.raises(CodesExpired):  # the last login is spent: even its right code no longer opens it
        services.ecps_login_verify(login_id=login.pk, code=last_code(sms_outbox[-1][1]), pin="4826")
    active.refresh_from_db()
    assert active.state == ECpsState.ACTIVE and active.pin_failures == 0
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1), tick=False):
        assert ecps_log_in(identifier, "4826") == active  # the owner, his code and his PIN


@pytest.mark.rule("R-ECP-2")
def test_wrong_pins_count_only_after_the_code_is_proven(identifier, active):  # noqa: F811
    login, code = ecps_login_start(identifier)
    with pytest.raises(WrongPin):
        services.ecps_login_verify(login_id=login.pk, code=code, pin="0000")
    active.refresh_from_db()
    assert active.pin_failures == 1


def test_three_anonymous_pin_guesses_on_the_page_no_longer_lock_it(client, identifier, active,  # noqa: F811
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rpps_plus:ecps_login"), {"identifier": identifier, "pin": "0000"})
    pages = [client.post(response.url, {"code": "000000", "pin": "0000"}).content.decode() for _ in range(3)]
    assert "Code erroné : il reste 2 essais" in pages[0] and "Trop de codes erronés" in pages[2]
    active.refresh_from_db()
    assert active.state == ECpsState.ACTIVE and active.pin_failures == 0


def test_another_browser_cannot_finish_a_login(client, identifier, active):  # noqa: F811
    login, code = ecps_login_start(identifier)
    response = client.post(reverse("rpps_plus:ecps_login_verify", args=[login.pk]), {"code": code, "pin": "4826"})
    assert response.url == reverse("rpps_plus:ecps_login")
    login.refresh_from_db()
    assert login.attempts == 0 and login.used_at is None
