"""The RPPS+ cast on top of the shared one: gina, gestionnaire RPPS+ of alpha holding a CPE; alpha's
accepted adhesion contract; the registration data of a professional; the SMS outbox; an empty cache
(the send limits count there)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings

from esms_portal.models import Role, RoleGrant
from rpps_plus.sms import LocmemSmsBackend
from tests.factories import CardFactory, StructureFactory, UserFactory, complete_contract_data


@pytest.fixture(autouse=True)
def sms_outbox():
    LocmemSmsBackend.outbox = []
    with override_settings(PORTAL_SMS_BACKEND="rpps_plus.sms.LocmemSmsBackend"):
        yield LocmemSmsBackend.outbox


def accept_contract(organisation, representative, agent):
    """An adhesion contract filed and accepted through the services."""
    from contracts import services as contract_services

    contract = contract_services.contract_start(actor=representative, structure=organisation)
    contract_services.contract_update(actor=representative, contract_pk=contract.pk, cgu_accepted=True,
                                      data=complete_contract_data(representative_email=representative.email))
    contract_services.contract_submit(actor=representative, contract_pk=contract.pk)
    contract_services.contract_start_instruction(actor=agent, contract_pk=contract.pk)
    return contract_services.contract_accept(actor=agent, contract_pk=contract.pk)


@pytest.fixture(autouse=True)
def contracts_accepted(request):
    """Alpha's and beta's adhesion contracts are accepted: no RPPS+ act without one (R-RPP-16).
    Tests of its absence use gamma, which has none."""
    if "alpha" in request.fixturenames:
        request.getfixturevalue("accepted")
    if "beta" in request.fixturenames:
        accept_contract(request.getfixturevalue("beta"), request.getfixturevalue("charlie"),
                        request.getfixturevalue("ana"))


@pytest.fixture
def gamma(db):
    """An EJ with one site and its legal representative, holding no adhesion contract."""
    ej = StructureFactory(ej=True, name="Association Gamma")
    ej.sites_for_test = [StructureFactory(legal_entity=ej, name="FAM Gamma")]
    ej.representative = UserFactory(email="gaston@gamma.example", first_name="Gaston", last_name="Roux")
    RoleGrant.objects.create(user=ej.representative, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
    return ej


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(alpha):
    return alpha.sites_for_test[0]


@pytest.fixture
def other_site(alpha):
    return alpha.sites_for_test[1]


@pytest.fixture
def gina(alpha, alice):
    """Gina, staff of alpha with an active CPE, gestionnaire RPPS+ on all its sites (centralised)."""
    user = UserFactory(email="gina@alpha.example", first_name="Gina", last_name="Gestion")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)
    return user


def person(**overrides) -> dict:
    data = {
        "civility": "MME", "last_name": "Lefèvre", "first_names": "Julie Anne", "birth_date": date(1985, 3, 12),
        "birth_commune_code": "69123", "birth_country_code": "", "email": "julie.lefevre@example.org",
        "mobile": "06 12 34 56 78", "practice_last_name": "Lefèvre", "practice_first_name": "Julie",
        "profession_code": "326", "profession_other": "", "role_code": "GENR10",
        "start_date": date.today() - timedelta(days=10),
    }
    data.update(overrides)
    return data


@pytest.fixture
def registered(gina, site):
    """Julie, registered at alpha's first site by gina, through the service."""
    from rpps_plus import services

    return services.professional_register(actor=gina, data=person(), site=site)


def run_due_steps() -> list[str]:
    """What beat's sweeper and the worker do, in process: claim the due steps, run each."""
    from esms_portal.models import ScheduledStep
    from esms_portal.steps.services import run_step, sweep

    claimed: list[int] = []
    sweep(claimed.extend)
    for step_id in claimed:
        run_step(step_id)
    return list(ScheduledStep.objects.filter(pk__in=claimed).values_list("kind", flat=True))


def last_code(text: str) -> str:
    import re

    return re.search(r"\b(\d{6})\b", text).group(1)


CLIENT = "192.0.2.10"  # the address the anonymous service calls come from (send limits)


def ecps_login_start(identifier: str):
    """Start an e-CPS login, its SMS sent: (login, the code received)."""
    from django.test import TestCase

    from rpps_plus import services

    with TestCase.captureOnCommitCallbacks(execute=True):
        login = services.ecps_login_start(identifier=identifier, client=CLIENT)
    return login, last_code(LocmemSmsBackend.outbox[-1][1])


def ecps_log_in(identifier: str, pin: str):
    """A whole e-CPS login: the SMS code, then the PIN; answers the e-CPS."""
    from rpps_plus import services

    login, code = ecps_login_start(identifier)
    return services.ecps_login_verify(login_id=login.pk, code=code, pin=pin)
