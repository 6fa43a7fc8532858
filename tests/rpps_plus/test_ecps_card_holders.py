"""An e-CPS from the identifier printed on the first line of any active nominative CPx card: the
gestionnaire's e-CPE (R-ECP-4, R-ECP-1, R-CRD-18); an opposed, expired or unknown card is refused in
plain French."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from esms_portal.core.errors import ActNotAllowed
from rpps_plus import services
from rpps_plus.errors import CardNotUsable, HolderMobileMissing, UnknownIdentifier
from rpps_plus.models import ECps, ECpsChallenge, ECpsState
from tests.factories import CardFactory

from .conftest import CLIENT, ecps_log_in, last_code, person

pytestmark = pytest.mark.django_db

CARD_ID = "30B7280221/CPET00001"


@pytest.fixture
def card(gina):
    """Gina's CPE, printed with CARD_ID on its first line; she recorded her mobile."""
    card = gina.cards.get()
    card.national_id = CARD_ID
    card.save(update_fields=["national_id"])
    services.holder_mobile_set(actor=gina, mobile="07 98 76 54 32")
    return card


def request_and_activate(identifier, sms_outbox, capture, pin="4826"):
    with capture(execute=True):
        challenge = services.ecps_request_codes(identifier=identifier, client=CLIENT)
    return services.ecps_activate(challenge_id=challenge.pk, identifier=identifier,
                                  email_code=last_code(mail.outbox[-1].body), sms_code=last_code(sms_outbox[-1][1]),
                                  pin=pin, pin_confirmation=pin)


@pytest.mark.rule("R-ECP-4", "R-ECP-1", "R-CRD-18")
def test_a_card_holder_activates_his_ecpe_with_the_identifier_on_his_card(card, gina, sms_outbox,
                                                                          django_capture_on_commit_callbacks):
    ecps = request_and_activate(f" {CARD_ID.lower()} ", sms_outbox, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == [gina.email] and sms_outbox[-1][0] == "+33798765432"
    assert (ecps.identifier, ecps.holder, ecps.professional, ecps.state) == (CARD_ID, gina, None, ECpsState.ACTIVE)
    assert ecps_log_in(CARD_ID, "4826") == ecps


@pytest.mark.rule("R-ECP-4")
@pytest.mark.parametrize("state, words", [
    ("opposed", "opposée"), ("expired", "expiré"), ("delivered", "pas encore activée"),
])
def test_a_card_that_is_not_active_is_refused_in_french(gina, state, words):
    card = CardFactory(holder=gina, organisation=gina.cards.get().organisation, national_id=CARD_ID, state=state)
    if state == "expired":
        card.expires_at = timezone.now() - timedelta(days=1)
        card.save(update_fields=["expires_at"])
    services.holder_mobile_set(actor=gina, mobile="0798765432")
    with pytest.raises(CardNotUsable) as error:
        services.ecps_request_codes(identifier=CARD_ID, client=CLIENT)
    assert words in error.value.message and error.value.code == "card_not_usable"
    assert not ECpsChallenge.objects.exists()


@pytest.mark.rule("R-ECP-4")
def test_an_unknown_identifier_says_what_to_type(gina):
    with pytest.raises(UnknownIdentifier) as error:
        services.ecps_request_codes(identifier="30B7280221/CPET99999", client=CLIENT)
    assert "1re ligne de votre carte CPx" in error.value.message


@pytest.mark.rule("R-ECP-4")
def test_without_a_mobile_the_holder_is_told_where_to_record_it(gina):
    gina.cards.update(national_id=CARD_ID)
    with pytest.raises(HolderMobileMissing) as error:
        services.ecps_request_codes(identifier=CARD_ID, client=CLIENT)
    assert "Mon mobile e-CPS" in error.value.message and not ECpsChallenge.objects.exists()


def test_only_a_card_holder_records_an_ecps_mobile(alice):
    with pytest.raises(ActNotAllowed):
        services.holder_mobile_set(actor=alice, mobile="0798765432")


@pytest.mark.rule("R-ECP-4")
def test_an_opposed_card_stops_its_ecpe(card, gina, alice, sms_outbox, django_capture_on_commit_callbacks):
    from cards.services import card_oppose

    request_and_activate(CARD_ID, sms_outbox, django_capture_on_commit_callbacks)
    card_oppose(actor=alice, card=card, reason="Départ")
    with pytest.raises(CardNotUsable):
        ecps_log_in(CARD_ID, "4826")


@pytest.mark.rule("R-ECP-4", "R-RPP-6")
def test_the_gestionnaire_registers_after_an_ecpe_login_through_the_pages(
        client, card, gina, site, sms_outbox, settings, django_capture_on_commit_callbacks):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rpps_plus:ecps_start"), {"identifier": CARD_ID})
    assert response.status_code == 302
    client.post(response.url, {"email_code": last_code(mail.outbox[-1].body), "sms_code": last_code(sms_outbox[-1][1]),
                               "pin": "4826", "pin_confirmation": "4826"})
    assert ECps.objects.get().holder == gina
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rpps_plus:ecps_login"), {"identifier": CARD_ID})
    response = client.post(response.url, {"code": last_code(sms_outbox[-1][1]), "pin": "4826"})
    assert response.status_code == 302
    data = {key: str(value) for key, value in {**person(), "site": site.pk}.items()}
    response = client.post(reverse("rpps_plus:register"), data)
    assert response.status_code == 302 and "/rpps/situations/" in response.url


def test_the_mobile_page_records_the_holders_mobile(client, gina):
    client.force_login(gina)
    response = client.post(reverse("rpps_plus:holder_mobile"), {"mobile": "07 98 76 54 32"})
    assert response.url == reverse("rpps_plus:ecps_start")
    assert "+33798765432" in client.get(reverse("rpps_plus:holder_mobile")).content.decode()


@pytest.mark.rule("R-ECP-4")
def test_the_activation_page_refuses_an_opposed_card_in_french(client, gina):
    CardFactory(holder=gina, organisation=gina.cards.get().organisation, national_id=CARD_ID, opposed=True)
    response = client.post(reverse("rpps_plus:ecps_start"), {"identifier": CARD_ID})
    assert response.status_code == 200 and "Cette carte est opposée" in response.content.decode()
