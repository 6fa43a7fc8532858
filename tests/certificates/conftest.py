"""Certificates cast: dave, the software editor's technician (an outsider with his own card), and
alpha's F413 at each stage, reached through the real services."""

import pytest

from certificates import services
from esms_portal import pki as igc
from tests.factories import CardFactory, UserFactory
from tests.kernel.pki_support import make_csr

ALL_TYPES = [igc.Profile.ORG_AUTH_CLI, igc.Profile.ORG_SIGN, igc.Profile.ORG_AUTH_CLI_INSI, igc.Profile.SSL_SERVEUR]


@pytest.fixture(autouse=True)
def _authorities(pki):
    """Every certificates test runs against the session's test authorities."""


@pytest.fixture
def dave(db):
    """A technician of the software editor: an account and an active card of his own company."""
    user = UserFactory(email="dave@editeur.example", first_name="Dave", last_name="Editeur")
    CardFactory(active=True, holder=user, family="CPA")
    return user


@pytest.fixture
def f413(accepted, alice, alice_card, alpha, dave):
    return services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=ALL_TYPES, administrator_emails=[dave.email], server_names=["dui.alpha.fr"],
        software_names=["DUI Alpha"],
    )


@pytest.fixture
def f413_accepted(f413, ana):
    services.form_act(actor=ana, form=f413, act="start_instruction")
    return services.form_accept(actor=ana, form=f413)


@pytest.fixture
def org_auth(f413_accepted, dave, alpha):
    return services.certificate_order(
        actor=dave, organisation=alpha, profile=igc.Profile.ORG_AUTH_CLI, software_name="DUI Alpha",
        csr=make_csr(cn="DUI Alpha"),
    )
