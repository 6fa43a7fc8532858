"""A bulk order's certificates (`pki.issue_from_csrs`): each checked and signed as one, all written by
one INSERT in one transaction; a refusal or a database refusal issues none."""

import pytest
from cryptography import x509
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from esms_portal import pki
from esms_portal.models import IssuedCertificate

from .pki_support import FINESS_ID, make_csr, rsa_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pki")]
ORDER = {"profile": pki.Profile.ORG_AUTH_CLI, "organisation_name": "ASSOCIATION ALPHA",
         "organisation_id": FINESS_ID, "departement": "69"}


def csrs(count: int) -> list[bytes]:
    return [make_csr(rsa_key(2048, index % 2), cn=f"Logiciel DUI {index}") for index in range(count)]


def test_a_batch_is_issued_by_one_insert_with_the_rows_of_single_issuance():
    with CaptureQueriesContext(connection) as queries:
        issued = pki.issue_from_csrs(csrs(5), **ORDER)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and len(queries.captured_queries) <= 3  # savepoint, INSERT, release
    assert [c.common_name for c in issued] == [f"Logiciel DUI {i}" for i in range(5)]
    assert all(c.pk for c in issued) and len({c.serial for c in issued}) == 5
    single = pki.issue_from_csr(make_csr(cn="Logiciel DUI 0"), **ORDER)
    stored = IssuedCertificate.objects.get(pk=issued[0].pk)
    assert stored.subject == single.subject and stored.certificate.subject == single.certificate.subject
    assert [e.oid for e in stored.certificate.extensions] == [e.oid for e in single.certificate.extensions]
    assert stored.fingerprint_sha256 == issued[0].fingerprint_sha256


def test_a_refused_csr_issues_none_and_says_which():
    batch = csrs(3)
    batch[2] = make_csr(cn="Logiciel DUI", ou="1999999999")  # names a structure outside the order
    with pytest.raises(pki.CsrRejected) as refused:
        pki.issue_from_csrs(batch, **ORDER)
    assert refused.value.code == "csr_name_out_of_scope" and refused.value.details["index"] == 2
    assert not IssuedCertificate.objects.exists()


def test_a_serial_already_used_issues_none(monkeypatch):
    taken = pki.issue_from_csr(make_csr(), **ORDER)
    serials = iter([123, int(taken.serial), 456])
    monkeypatch.setattr(x509, "random_serial_number", lambda: next(serials))
    with pytest.raises(IntegrityError):
        pki.issue_from_csrs(csrs(3), **ORDER)
    assert list(IssuedCertificate.objects.values_list("pk", flat=True)) == [taken.pk]


def test_lines_carry_their_own_profile_and_names():
    issued = pki.issue_from_csrs([make_csr(cn="x"), make_csr(cn="Logiciel DUI")], lines=[
        {"profile": pki.Profile.ORG_AUTH_CLI_INSI, "common_name": "INSI-AUTO"}, {"profile": pki.Profile.ORG_SIGN}],
        **ORDER)
    assert [(c.profile, c.common_name) for c in issued] == [
        (pki.Profile.ORG_AUTH_CLI_INSI, "INSI-AUTO"), (pki.Profile.ORG_SIGN, "Logiciel DUI")]


def test_every_refused_csr_is_listed_and_check_csrs_signs_nothing(monkeypatch):
    batch = csrs(4)
    batch[1] = make_csr(rsa_key(1024))
    batch[3] = b"not a csr"
    for check in (pki.check_csrs, pki.issue_from_csrs):
        with pytest.raises(pki.CsrRejected) as refused:
            check(batch, **ORDER)
        assert refused.value.details["index"] == 1
        assert [(r["index"], r["code"]) for r in refused.value.details["refusals"]] == [
            (1, "weak_key"), (3, "csr_malformed")]
    monkeypatch.setattr(x509.CertificateBuilder, "sign", lambda *a, **k: pytest.fail("signed"))
    assert pki.check_csrs(csrs(2), **ORDER) is None
    assert not IssuedCertificate.objects.exists()
