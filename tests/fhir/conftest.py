"""The FHIR directory's cast: alpha (an EJ, two sites) and beta; three published professionals (Julie
Lefèvre at both alpha sites, Marc Durand at alpha's second site, Inès Petit at beta's site); and
Julie's double, unpublished (same names, a pending situation at alpha's first site, another one ended):
nothing of hers may ever show. Every answer is parsed by the `fhir.resources` R4B models."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole

from rpps_plus.models import Professional, Situation

MODELS = {model.__name__: model for model in (Bundle, CapabilityStatement, OperationOutcome, Organization,
                                                Practitioner, PractitionerRole)}
FHIR_JSON = "application/fhir+json"
HIDDEN_RPPS = "10000000666"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _no_empty(value) -> None:
    """FHIR JSON has no empty arrays, objects or strings (and no nulls)."""
    assert value not in ([], {}, "", None)
    if isinstance(value, dict):
        for item in value.values():
            _no_empty(item)
    elif isinstance(value, list):
        for item in value:
            _no_empty(item)


def validated(body: dict) -> dict:
    """`body` parsed by the fhir.resources model of its type, and each Bundle entry by its own."""
    _no_empty(body)
    MODELS[body["resourceType"]].model_validate(body)
    for entry in body.get("entry", []):
        MODELS[entry["resource"]["resourceType"]].model_validate(entry["resource"])
    return body


def fhir(client, path: str, status: int = 200, **params) -> dict:
    response = client.get(f"/fhir/{path}", params, HTTP_ACCEPT=FHIR_JSON)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    return validated(response.json())


def ids(bundle: dict, resource_type: str, mode: str = "match") -> list[str]:
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])
            if entry["resource"]["resourceType"] == resource_type and entry["search"]["mode"] == mode]


def next_url(bundle: dict) -> str | None:
    return next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)


def _professional(last: str, first: str, rpps: str | None, n: int) -> Professional:
    return Professional.objects.create(
        civility="MME", last_name=last, first_names=first, birth_date=date(1980, 1, 1) + timedelta(days=n),
        birth_commune_code="69123", email=f"{first.lower()}{n}@example.org", mobile="0612345678", rpps=rpps)


def situation(professional, site, *, first: str | None = None, published: bool = True, state: str = "active",
              profession: str = "326", role: str = "GENR10", last: str | None = None) -> Situation:
    now = timezone.now()
    return Situation.objects.create(
        professional=professional, site=site, practice_last_name=last or professional.last_name,
        practice_first_name=first or professional.first_names, profession_code=profession, role_code=role,
        start_date=date(2024, 1, 1), state=state, registered_at=now, published_at=now if published else None)


@pytest.fixture
def people(alpha, beta):
    """The published three and the hidden double: a dict of professionals and their situations."""
    site, second, beta_site = alpha.sites_for_test[0], alpha.sites_for_test[1], beta.sites_for_test[0]
    julie = _professional("Lefèvre", "Julie", "10000000001", 1)
    marc = _professional("Durand", "Marc", "10000000002", 2)
    ines = _professional("Petit", "Inès", "10000000003", 3)
    double = _professional("Lefèvre", "Julie", HIDDEN_RPPS, 4)
    return {
        "julie": julie, "marc": marc, "ines": ines, "double": double,
        "julie_site": situation(julie, site), "julie_second": situation(julie, second, role="GENR08"),
        "marc_second": situation(marc, second, profession="313", role="GENR11"),
        "ines_beta": situation(ines, beta_site, profession="328"),
        "double_pending": situation(double, site, state="pre_registered", published=False),
        "double_ended": situation(double, second, state="ended"),
        "double_unpublished": situation(double, beta_site, published=False),
    }
