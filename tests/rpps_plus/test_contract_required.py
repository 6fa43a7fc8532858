"""No adhesion contract, no RPPS+ (R-RPP-16, R-CON-3): registering, validating a pre-registration,
granting the right and importing the collection template are refused, and nothing is written."""

import pytest
from django.core import mail
from django.urls import reverse

from contracts import services as contract_services
from esms_portal.models import RoleGrant
from rpps_plus import services
from rpps_plus.errors import ContractRequired
from rpps_plus.models import BulkImport, Professional, Situation, SituationState
from tests.factories import CardFactory, UserFactory

from .conftest import CLIENT, last_code, person
from .test_bulk_import import csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def gamma_site(gamma):
    return gamma.sites_for_test[0]


def nothing_written():
    return not Professional.objects.exists() and not Situation.objects.exists()


@pytest.mark.rule("R-RPP-16", "R-CON-3")
def test_registering_without_a_contract_is_refused(gamma, gamma_site):
    with pytest.raises(ContractRequired) as error:
        services.professional_register(actor=gamma.representative, data=person(), site=gamma_site)
    assert error.value.code == "contract_required" and error.value.status == 409
    assert nothing_written()


@pytest.mark.rule("R-RPP-16")
def test_the_registration_page_says_why_in_french(client, gamma, gamma_site):
    client.force_login(gamma.representative)
    data = {key: str(value) for key, value in {**person(), "site": gamma_site.pk}.items()}
    response = client.post(reverse("rpps_plus:register"), data, follow=True)
    assert "contrat d&#x27;adhésion de l&#x27;organisation doit être accepté" in response.content.decode()
    assert nothing_written()


@pytest.mark.rule("R-RPP-16")
def test_validating_a_pre_registration_without_a_contract_is_refused(gamma, gamma_site, sms_outbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.signup_start(data={**person(), "site_finess": gamma_site.finess}, client=CLIENT)
    pending = services.signup_verify(signup_id=signup.pk, email_code=last_code(mail.outbox[-1].body),
                                     sms_code=last_code(sms_outbox[-1][1]))
    with pytest.raises(ContractRequired):
        services.situation_validate(actor=gamma.representative, situation_pk=pending.pk)
    pending.refresh_from_db()
    assert pending.state == SituationState.PRE_REGISTERED and pending.registered_at is None


@pytest.mark.rule("R-RPP-16", "R-RPP-4")
def test_granting_the_right_without_a_contract_is_refused(gamma):
    staff = UserFactory(email="sam@gamma.example")
    CardFactory(active=True, holder=staff, organisation=gamma, family="CPE")
    with pytest.raises(ContractRequired):
        services.rpps_right_grant(actor=gamma.representative, organisation=gamma, user=staff)
    assert not RoleGrant.objects.filter(user=staff).exists()


@pytest.mark.rule("R-RPP-16")
def test_importing_the_template_without_a_contract_is_refused(gamma, gamma_site):
    with pytest.raises(ContractRequired):
        services.bulk_import_preview(actor=gamma.representative, organisation=gamma, file_name="trame.csv",
                                     content=csv_bytes([row(gamma_site)]))
    assert not BulkImport.objects.exists()


@pytest.mark.rule("R-RPP-16")
def test_a_contract_terminated_after_the_preview_stops_the_confirmation(gina, alpha, site, accepted, ana):
    bulk = services.bulk_import_preview(actor=gina, organisation=alpha, file_name="trame.csv",
                                        content=csv_bytes([row(site)]))
    contract_services.contract_terminate(actor=ana, contract_pk=accepted.pk, reason="Cessation d'activité")
    with pytest.raises(ContractRequired):
        services.bulk_import_confirm(actor=gina, import_pk=bulk.pk)
    assert nothing_written()
