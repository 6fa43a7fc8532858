"""The cast of every test (STYLE.md convention 10), and the service gates.

Two organisations: alpha (EJ with two sites; alice its legal representative, bob its mandataire)
and beta (charlie its legal representative: the outsider). ana is an ANS agent. gamma, a structure
without patients known by its SIRET, and diane its legal representative, when a test asks.

Tests marked `postgres` or `redis` need those services; they are skipped with the reason when
unreachable, and fail instead when PORTAL_REQUIRE_SERVICES=1 (CI).
"""

import os

import pytest
from django.conf import settings

from esms_portal.models import Role, RoleGrant

from .factories import StructureFactory, UserFactory, complete_contract_data

REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"
GAMMA_SIRET = "73282932000074"


def _service_missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"service required (PORTAL_REQUIRE_SERVICES=1): {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str | None:
    url = settings.CELERY_BROKER_URL
    return url if url.startswith("redis://") else None


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.fixture(autouse=True)
def _service_gates(request):
    if request.node.get_closest_marker("postgres"):
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            _service_missing("PostgreSQL non configuré : définissez DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis"):
        url = redis_url()
        if url is None:
            _service_missing("Redis non configuré : définissez CELERY_BROKER_URL=redis://...")
        elif not redis_reachable(url):
            _service_missing(f"Redis injoignable à {url}")
    if request.node.get_closest_marker("pcsc"):
        from cards.pcsc_stack import missing_component

        reason = missing_component()
        if reason:
            _service_missing(f"pile PC/SC indisponible : {reason}")
    if request.node.get_closest_marker("browser"):
        reason = browser_missing()
        if reason:
            _service_missing(f"navigateur indisponible : {reason}")


CHROMIUM = "/usr/bin/chromium"


def browser_missing() -> str | None:
    """Why the Playwright tests cannot drive Debian's chromium here (None when they can)."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        return "paquet Python playwright absent"
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} absent (apt-get install chromium)"
    return None


@pytest.fixture
def alpha(db):
    ej = StructureFactory(ej=True, name="Association Alpha")
    ej.sites_for_test = [
        StructureFactory(legal_entity=ej, name="EHPAD Les Tilleuls"),
        StructureFactory(legal_entity=ej, name="SSIAD Alpha"),
    ]
    return ej


@pytest.fixture
def beta(db):
    ej = StructureFactory(ej=True, name="Fondation Beta")
    ej.sites_for_test = [StructureFactory(legal_entity=ej, name="IME Beta")]
    return ej


@pytest.fixture
def gamma(db):
    """A structure without patients or users, known only by its SIRET (a software editor, R-FIN-3)."""
    return StructureFactory(ej=True, name="Éditeur Gamma", finess=None, siret=GAMMA_SIRET, gives_care=False,
                            category_code="", category_label="")


def _member(email, organisation, role, **names):
    user = UserFactory(email=email, **names)
    RoleGrant.objects.create(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def alice(alpha):
    return _member("alice@alpha.example", alpha, Role.LEGAL_REPRESENTATIVE, first_name="Alice", last_name="Martin")


@pytest.fixture
def bob(alpha):
    return _member("bob@alpha.example", alpha, Role.MANDATAIRE, first_name="Bob", last_name="Durand")


@pytest.fixture
def charlie(beta):
    return _member("charlie@beta.example", beta, Role.LEGAL_REPRESENTATIVE, first_name="Charlie", last_name="Petit")


@pytest.fixture
def diane(gamma):
    return _member("diane@gamma.example", gamma, Role.LEGAL_REPRESENTATIVE, first_name="Diane", last_name="Roux")


@pytest.fixture
def ana(db):
    return UserFactory(email="ana@esante.example", is_staff=True, first_name="Ana", last_name="Agent")


# The adhesion contract of alpha, at each stage, reached through the real services.
@pytest.fixture
def draft(alpha, alice):
    from contracts import services as contract_services

    return contract_services.contract_start(actor=alice, structure=alpha)


@pytest.fixture
def submitted(draft, alice):
    from contracts import services as contract_services

    contract_services.contract_update(
        actor=alice, contract_pk=draft.pk, data=complete_contract_data(), cgu_accepted=True
    )
    return contract_services.contract_submit(actor=alice, contract_pk=draft.pk)


@pytest.fixture
def in_instruction(submitted, ana):
    from contracts import services as contract_services

    return contract_services.contract_start_instruction(actor=ana, contract_pk=submitted.pk)


@pytest.fixture
def accepted(in_instruction, ana):
    from contracts import services as contract_services

    return contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)


@pytest.fixture
def alice_card(alpha, alice):
    """Alice's active CDE: alpha's legal representative holds a valid card (R-CRD-2)."""
    from tests.factories import CardFactory

    return CardFactory(active=True, holder=alice, organisation=alpha, family="CDE", ordered_through="F101")


# The IGC Santé test authority, created once per session (RSA 2048 CAs: speed) in a temporary
# directory; tests that issue or verify certificates ask for `pki`.
@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    from django.test import override_settings

    from esms_portal.pki import authorities

    directory = tmp_path_factory.mktemp("pki")
    with override_settings(PORTAL_PKI_DIR=directory, PORTAL_PKI_PASSPHRASE="test-only-pki-passphrase-0123"):
        authorities.init_authorities(key_size=2048)
        ca_file = directory / "ca-bundle.pem"
        ca_file.write_bytes(b"".join(
            (directory / f"{name}.crt.pem").read_bytes()
            for name in (authorities.ROOT, authorities.PERSONS, authorities.ORGANISATIONS)
        ))
        yield directory


@pytest.fixture
def api():
    """`api(user)`: a REST client that authenticates as `user` with his token, as a program would."""
    from rest_framework.test import APIClient

    from esms_portal.auth.tokens import api_token_create

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
        return client

    return client_for
