import pytest
from django.core import mail

from esms_portal.core.errors import ActNotAllowed
from rpps_plus import services
from rpps_plus.errors import CodesExpired, CodesInvalid, NoRegistrationNeeded
from rpps_plus.models import Origin, SituationState

from .conftest import CLIENT, last_code, person

pytestmark = pytest.mark.django_db


def signup_data(site, **overrides):
    data = {**person(), "site_finess": site.finess, **overrides}
    data.pop("site", None)
    return data


@pytest.fixture
def verified(site, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_start(data=signup_data(site), client=CLIENT)
    return services.signup_verify(signup_id=signup.pk, email_code=last_code(mail.outbox[-1].body),
                                  sms_code=last_code(sms_outbox[-1][1]))


@pytest.mark.rule("R-RPP-3")
def test_a_verified_pre_registration_waits_for_the_employer(verified, site):
    assert verified.state == SituationState.PRE_REGISTERED and verified.origin == Origin.SELF
    assert verified.site == site and verified.registered_by is None
    assert verified.professional.registered_at is None


@pytest.mark.rule("R-RPP-3")
def test_a_gestionnaire_of_the_site_validates_it(verified, gina):
    situation = services.situation_validate(actor=gina, situation_pk=verified.pk)
    assert situation.state == SituationState.ACTIVE and situation.registered_by == gina
    assert situation.professional.registered_at is not None


@pytest.mark.rule("R-RPP-3")
def test_a_gestionnaire_refuses_it_with_a_reason(verified, gina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        situation = services.situation_refuse(actor=gina, situation_pk=verified.pk, reason="Inconnu chez nous")
    assert situation.state == SituationState.REFUSED
    assert "Inconnu chez nous" in mail.outbox[-1].body


@pytest.mark.rule("R-RPP-3")
def test_an_outsider_cannot_validate_it(verified, charlie):
    with pytest.raises(ActNotAllowed):
        services.situation_validate(actor=charlie, situation_pk=verified.pk)


def test_wrong_codes_are_counted_then_the_codes_expire(site, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_start(data=signup_data(site), client=CLIENT)
    with pytest.raises(CodesInvalid) as error:
        services.signup_verify(signup_id=signup.pk, email_code="000000", sms_code="000000")
    assert error.value.details == {"attempts_left": 2}
    services_calls = [lambda: services.signup_verify(signup_id=signup.pk, email_code="1", sms_code="1")] * 2
    with pytest.raises(CodesInvalid):
        services_calls[0]()
    with pytest.raises(CodesExpired):
        services_calls[1]()
    with pytest.raises(CodesExpired):  # even the right codes, now
        services.signup_verify(signup_id=signup.pk, email_code=last_code(mail.outbox[-1].body),
                               sms_code=last_code(sms_outbox[-1][1]))


@pytest.mark.rule("R-RPP-14")
def test_a_professional_with_an_adeli_number_is_told_he_needs_nothing(site):
    with pytest.raises(NoRegistrationNeeded):
        services.signup_start(data=signup_data(site, existing_number="281234567"), client=CLIENT)
