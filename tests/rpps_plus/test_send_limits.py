"""The anonymous RPPS+ pages cannot be used to flood a phone or a mailbox: codes sent per mobile, per
email and per client address are limited per hour and per day; a refused send answers 429
`too_many_messages` (a French message on the page), sends nothing and stores nothing (issue 16)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rpps_plus import send_limits, services
from rpps_plus.errors import TooManyMessages
from rpps_plus.models import ECpsChallenge, SignUp

from .conftest import CLIENT, person
from .test_ecps import after_48h, identifier  # noqa: F401

pytestmark = pytest.mark.django_db


def signup(site, client=CLIENT, **overrides):
    return services.signup_start(data={**person(**overrides), "site_finess": site.finess}, client=client)


def test_eight_pre_registrations_to_one_mobile_send_five_codes(site, sms_outbox, django_capture_on_commit_callbacks):
    refused = []
    for n in range(8):
        try:
            with django_capture_on_commit_callbacks(execute=True):
                signup(site, client=f"198.51.100.{n}")  # even from eight addresses
        except TooManyMessages as error:
            refused.append(error)
    allowed = send_limits.PER_RECIPIENT_PER_HOUR
    assert len(sms_outbox) == len(mail.outbox) == SignUp.objects.count() == allowed
    assert len(refused) == 8 - allowed
    assert (refused[0].status, refused[0].code) == (429, "too_many_messages")
    assert "réessayez dans une heure" in refused[0].message


def test_the_limit_is_per_email_too(site):
    for n in range(send_limits.PER_RECIPIENT_PER_HOUR):
        signup(site, client=f"198.51.100.{n}", mobile=f"06123456{n:02d}")
    with pytest.raises(TooManyMessages) as error:
        signup(site, client="198.51.100.99", mobile="0699999999")
    assert "adresse électronique" in error.value.message


def test_the_limit_is_per_client_address(site):
    for n in range(send_limits.PER_ADDRESS_PER_HOUR):
        signup(site, mobile=f"06123456{n:02d}", email=f"p{n}@example.org")
    with pytest.raises(TooManyMessages) as error:
        signup(site, mobile="0699999999", email="other@example.org")
    assert "depuis votre connexion" in error.value.message
    assert SignUp.objects.count() == send_limits.PER_ADDRESS_PER_HOUR


def test_the_daily_limit_holds_across_hours(site):
    sent, start = 0, timezone.now()
    for hour in range(6):
        with time_machine.travel(start + timedelta(hours=hour, minutes=1), tick=False):
            for _ in range(send_limits.PER_RECIPIENT_PER_HOUR):
                try:
                    signup(site, client=f"198.51.100.{sent}")
                    sent += 1
                except TooManyMessages:
                    break
    assert sent == send_limits.PER_RECIPIENT_PER_DAY


def test_the_page_says_it_in_french_and_stores_nothing(client, site):
    data = {key: str(value) for key, value in {**person(), "site_finess": site.finess}.items()}
    for _ in range(send_limits.PER_RECIPIENT_PER_HOUR):
        assert client.post(reverse("rpps_plus:signup"), data).status_code == 302
    response = client.post(reverse("rpps_plus:signup"), data)
    assert response.status_code == 200 and "Trop de codes ont été envoyés à ce numéro" in response.content.decode()
    assert SignUp.objects.count() == send_limits.PER_RECIPIENT_PER_HOUR


def test_ecps_activation_codes_are_limited(identifier, after_48h):  # noqa: F811
    for _ in range(send_limits.PER_RECIPIENT_PER_HOUR):
        services.ecps_request_codes(identifier=identifier, client=CLIENT)
    with pytest.raises(TooManyMessages):
        services.ecps_request_codes(identifier=identifier, client="203.0.113.7")
    assert ECpsChallenge.objects.count() == send_limits.PER_RECIPIENT_PER_HOUR


def test_the_page_reads_the_address_through_the_trusted_proxies_only(client, site, settings):
    settings.PORTAL_NUM_PROXIES = 0  # a forged X-Forwarded-For changes nothing
    data = {key: str(value) for key, value in {**person(), "site_finess": site.finess}.items()}
    for n in range(send_limits.PER_ADDRESS_PER_HOUR):
        data.update(mobile=f"06123456{n:02d}", email=f"p{n}@example.org")
        client.post(reverse("rpps_plus:signup"), data, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    data.update(mobile="0699999999", email="other@example.org")
    response = client.post(reverse("rpps_plus:signup"), data, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert "depuis votre connexion" in response.content.decode()
