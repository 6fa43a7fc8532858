"""Fuzzing the REST API from its own OpenAPI schema (schemathesis, marker `fuzz`, run by `make test`).

Every operation of /api/schema/ is called with generated requests, valid and invalid, on the demo data
(`load_demo`: FINESS structures, contracts, cards, the RPPS+ gestionnaire), as the demo's legal
representative (schemathesis's coverage phase: boundary and invalid values of every parameter and
field, then random cases) and as its ANS agent (random cases). A case fails on any 5xx and on any
answer the schema does not describe: an undocumented status, content type or body.

Bounded to fit CI: PORTAL_FUZZ_EXAMPLES random cases per operation and identity, derandomized (the
same cases each run: CI is not flaky; raise it locally to search further). The figures of the run
(cases, 5xx, time) are printed at its end.
"""

import copy
import io
import os
import time
from collections import Counter

import pytest
import schemathesis
import werkzeug.test
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from esms_portal.auth.tokens import api_token_create
from esms_portal.models import User

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "10"))
REPRESENTATIVE, AGENT = "representant@demo.esms.example", "agent@demo.ans.example"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HYPOTHESIS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))


# The schema as a client reads it, from /api/schema/ (Django's app, in process: no server); read once
# for both identities (drf-spectacular builds it anew for each request).
SCHEMA = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()


def _schema(phases: dict):
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(SCHEMA),
                                            config=schemathesis.Config.from_dict({"phases": phases}))
    loaded.app = WSGIHandler()
    return loaded


covered = _schema({"coverage": {"enabled": True}, "fuzzing": {"enabled": True}})
fuzzed = _schema({"coverage": {"enabled": False}, "fuzzing": {"enabled": True}})
FIGURES, STATUSES = Counter(), Counter()


@pytest.fixture(scope="module", autouse=True)
def figures(request):
    start = time.monotonic()
    yield
    if FIGURES["cases"]:
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            statuses = ", ".join(f"{status}: {n}" for status, n in sorted(STATUSES.items()))
            print(f"\nfuzz: {FIGURES['cases']} cases, {FIGURES['5xx']} 5xx, {time.monotonic() - start:.0f} s "
                  f"({statuses})")


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, pki):
    """The demo's data once for the module, rolled back after it; each test's writes roll back with it
    (pytest-django's savepoint inside this transaction). As Django's test client does, requests keep
    the test's connection: closing it at their end would end the transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("load_demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


KNOWN_IDS: dict[tuple[str, str], object] = {}


def known_id(path: str, authorization: str):
    """An id the caller sees in the list its path starts with (/api/v1/contracts/{id}/submit/: the
    first of /api/v1/contracts/), None without one: random ids alone would mostly meet 404s."""
    prefix = path.split("{id}")[0]
    if (prefix, authorization) not in KNOWN_IDS:
        # Werkzeug's client, as schemathesis calls the app: Django's would reconnect close_old_connections.
        response = werkzeug.test.Client(WSGIHandler()).get(prefix, headers={"Authorization": authorization})
        body = response.json if response.status_code == 200 else []
        rows = body.get("results", []) if isinstance(body, dict) else body
        KNOWN_IDS[prefix, authorization] = rows[0].get("id") if rows and isinstance(rows[0], dict) else None
    return KNOWN_IDS[prefix, authorization]


def call_as(case, email: str) -> None:
    cache.clear()  # throttles count in the cache: each case starts with fresh counters
    _token, key = api_token_create(user=User.objects.get(email=email), label="fuzz")
    authorization = f"Token {key}"
    if "id" in (case.path_parameters or {}) and FIGURES["cases"] % 2:  # every other case, on a real object
        case.path_parameters["id"] = known_id(case.path, authorization) or case.path_parameters["id"]
    response = case.call(headers={"Authorization": authorization})
    FIGURES["cases"] += 1
    STATUSES[response.status_code] += 1
    FIGURES["5xx"] += response.status_code >= 500
    case.validate_response(response, checks=CHECKS)


@covered.parametrize()
@HYPOTHESIS
def test_the_api_answers_the_legal_representative_as_its_schema_says(case, demo_data, db):
    call_as(case, REPRESENTATIVE)


@fuzzed.parametrize()
@HYPOTHESIS
def test_the_api_answers_the_ans_agent_as_its_schema_says(case, demo_data, db):
    call_as(case, AGENT)
