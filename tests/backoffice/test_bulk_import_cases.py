"""Requests written in bulk without acts reach the queue too: an RPPS+ import's unlisted professions."""

import pytest

from esms_portal.models import Case, Stage
from rpps_plus import services
from tests.rpps_plus.conftest import gina, site  # noqa: F401 (fixtures)
from tests.rpps_plus.test_bulk_import import csv_bytes, preview, row

pytestmark = pytest.mark.django_db


def test_an_imported_unlisted_profession_waits_in_the_queue(accepted, gina, alpha, site):  # noqa: F811
    content = csv_bytes([row(site), row(site, last="Durand", **{"Profession": "Jardinier"})])
    services.bulk_import_confirm(actor=gina, import_pk=preview(gina, alpha, content).pk)
    case = Case.objects.get(type_key="rpps")
    assert (case.stage, case.people) == (Stage.WAITING, "Paul Durand")
