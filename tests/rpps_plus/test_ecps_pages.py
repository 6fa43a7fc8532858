from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rpps_plus.checks import rpps_range_problem
from rpps_plus.services.timeline import rpps_number_send, situation_publish

from .conftest import last_code

pytestmark = pytest.mark.django_db


@pytest.mark.rule("R-RPP-12", "R-ECP-1", "R-ECP-2", "R-RPP-15")
def test_activate_then_log_in_with_the_ecps_and_see_his_situations(client, registered, sms_outbox,
                                                                    django_capture_on_commit_callbacks):
    rpps_number_send(registered.professional_id)
    situation_publish(registered.pk)
    identifier = "8" + registered.professional.__class__.objects.get().rpps
    with time_machine.travel(timezone.now() + timedelta(hours=49), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("rpps_plus:ecps_start"), {"identifier": identifier})
        assert response.status_code == 302
        client.post(response.url, {"email_code": last_code(mail.outbox[-1].body),
                                   "sms_code": last_code(sms_outbox[-1][1]), "pin": "4826",
                                   "pin_confirmation": "4826"})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("rpps_plus:ecps_login"), {"identifier": identifier})
        response = client.post(response.url, {"code": last_code(sms_outbox[-1][1]), "pin": "4826"})
        assert response.url == reverse("rpps_plus:my_space")
        page = client.get(response.url).content.decode()
        assert "EHPAD Les Tilleuls" in page and "julie.lefevre@example.org" in page
        client.post(reverse("rpps_plus:my_space"), {"email": "j@new.example", "mobile": "0711223344"})
    registered.professional.refresh_from_db()
    assert registered.professional.email == "j@new.example"


def test_the_professional_space_needs_an_ecps_login(client, alice):
    client.force_login(alice)
    assert client.get(reverse("rpps_plus:my_space")).url == reverse("rpps_plus:ecps_login")


@pytest.mark.rule("R-RPP-10")
def test_the_rpps_range_check_refuses_real_numbers():
    assert rpps_range_problem("9970000000", "9970999999") is None
    assert rpps_range_problem("1000000000", "1000999999")
    assert rpps_range_problem("9970999999", "9970000000")


@pytest.mark.rule("R-RPP-10")
def test_numbers_are_unique_and_never_reused(gina, site, settings):
    from rpps_plus import services
    from rpps_plus.models import Professional

    from .conftest import person

    settings.PORTAL_RPPS_RANGE = ("9970000000", "9970000002")
    numbers = []
    for n in range(3):
        situation = services.professional_register(actor=gina, data=person(last_name=f"N{n}"), site=site)
        rpps_number_send(situation.professional_id)
        numbers.append(Professional.objects.get(pk=situation.professional_id).rpps)
    assert len(set(numbers)) == 3
    Professional.objects.filter(rpps=numbers[-1]).first().situations.all().delete()
    Professional.objects.filter(rpps=numbers[-1]).delete()
    from rpps_plus.errors import RppsRangeExhausted

    situation = services.professional_register(actor=gina, data=person(last_name="N9"), site=site)
    with pytest.raises(RppsRangeExhausted):
        rpps_number_send(situation.professional_id)


@pytest.mark.rule("R-ECP-3", "R-ECP-2")
def test_his_own_space_opens_only_with_strong_authentication(client, registered):
    """Since 1 January 2026 every digital health service needs strong authentication: the
    professional's account has no password, and even a session of his own account is sent back to
    the e-CPS login (identifier, PIN) until it is made with his e-CPS."""
    from rpps_plus.services.ecps import _portal_account

    user = _portal_account(registered.professional)  # the account his e-CPS login opens
    assert not user.has_usable_password()
    client.force_login(user)
    assert client.get(reverse("rpps_plus:my_space")).url == reverse("rpps_plus:ecps_login")
