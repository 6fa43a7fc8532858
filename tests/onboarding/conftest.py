"""The tracker's cast on top of the shared one: lucie (alpha's staff, a nurse), dave (the software
editor's technician, technical administrator once the F413 is accepted), julie (a professional à
rôle registered through RPPS+), alpha's declaration, and certificates ordered through the services."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from esms_portal.models import ServiceDeclaration
from tests.factories import CardFactory, UserFactory

ALL_TYPES = ["ORG_AUTH_CLI", "ORG_SIGN", "ORG_AUTH_CLI_INSI", "SSL_SERVEUR"]


@pytest.fixture
def lucie(alpha):
    return UserFactory(email="lucie@alpha.example", first_name="Lucie", last_name="Bernard")


@pytest.fixture
def dave(db):
    user = UserFactory(email="dave@editeur.example", first_name="Dave", last_name="Editeur")
    CardFactory(active=True, holder=user, family="CPA")
    return user


@pytest.fixture
def declare(alpha, alice):
    """Alpha's declaration with the given fields (identity_qualifiers: a list of users)."""

    def make(**fields):
        qualifiers = fields.pop("identity_qualifiers", [])
        declaration, _ = ServiceDeclaration.objects.update_or_create(
            organisation=alpha, defaults={"updated_by": alice, **fields}
        )
        declaration.identity_qualifiers.set(qualifiers)
        return declaration

    return make


@pytest.fixture
def f413_accepted(pki, accepted, alice, alice_card, alpha, dave, ana):
    from certificates import services

    form = services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=ALL_TYPES, administrator_emails=[dave.email], server_names=["mss.alpha.fr"],
        software_names=["DUI Alpha"],
    )
    services.form_act(actor=ana, form=form, act="start_instruction")
    return services.form_accept(actor=ana, form=form)


@pytest.fixture
def order_certificate(f413_accepted, dave, alpha):
    from certificates import services
    from tests.kernel.pki_support import make_csr

    def order(profile):
        names = {"SSL_SERVEUR": "mss.alpha.fr", "ORG_AUTH_CLI_INSI": "INSI-AUTO"}
        csr = make_csr(cn=names.get(profile, "DUI Alpha"))
        return services.certificate_order(actor=dave, organisation=alpha, profile=profile, software_name="DUI Alpha",
                                          csr=csr)

    return order


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
def julie(alpha, alice, alice_card, accepted):
    """Julie, educator, registered at alpha's first site by alice, through the service."""
    from rpps_plus import services

    return services.professional_register(actor=alice, data=person(), site=alpha.sites_for_test[0])


@pytest.fixture
def julie_ecps(julie):
    """Julie's e-CPS, active (its activation path is the RPPS+ tests' business)."""
    from rpps_plus.models import ECps
    from rpps_plus.services.timeline import ensure_rpps

    professional = ensure_rpps(julie.professional)
    now = timezone.now()
    return ECps.objects.create(professional=professional, identifier=professional.ecps_identifier, pin_hash="x",
                               activated_at=now, expires_at=now + timedelta(days=3 * 365))
