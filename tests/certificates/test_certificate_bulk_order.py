"""A bulk order (services.certificate_order_bulk): every line checked as one order, all issued in one
transaction with their orders, audit rows and reminders, or none (R-CER-4, R-CER-5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.models import CertificateOrder
from esms_portal import pki as igc
from esms_portal.core.errors import ActNotAllowed
from esms_portal.models import AuditEntry, IssuedCertificate, ScheduledStep
from tests.kernel.pki_support import make_csr, openssl, rsa_key

SSL = igc.Profile.SSL_SERVEUR


def lines(count: int, **values) -> list[services.OrderLine]:
    return [services.OrderLine(csr=make_csr(rsa_key(2048, i % 2), cn=f"Logiciel {i}"), software_name=f"Logiciel {i}",
                               **values) for i in range(count)]


def order(dave, alpha, order_lines, **values):
    return services.certificate_order_bulk(actor=dave, organisation=alpha, lines=order_lines,
                                           **{"profile": igc.Profile.ORG_AUTH_CLI, **values})


def nothing_issued() -> bool:
    return not CertificateOrder.objects.exists() and not IssuedCertificate.objects.exists()


@pytest.mark.rule("R-CER-4", "R-CER-5")
def test_every_line_is_issued_with_its_order_audit_row_and_reminder(f413_accepted, dave, alpha):
    orders = order(dave, alpha, lines(3))
    assert [o.software_name for o in orders] == ["Logiciel 0", "Logiciel 1", "Logiciel 2"]
    assert [o.common_name for o in orders] == ["Logiciel 0", "Logiciel 1", "Logiciel 2"]  # the CSRs' CN
    assert CertificateOrder.objects.filter(ordered_by=dave, method="csr").count() == 3
    assert AuditEntry.objects.filter(act="order", object_id__in=[str(o.pk) for o in orders]).count() == 3
    reminders = ScheduledStep.objects.filter(kind=services.REMINDER_STEP)
    assert sorted(reminders.values_list("object_id", flat=True)) == sorted(str(o.pk) for o in orders)
    assert len({o.certificate.serial for o in orders}) == 3


def test_the_certificates_chain_to_the_test_root_for_openssl(f413_accepted, dave, alpha, pki, tmp_path):
    for issued in order(dave, alpha, lines(2)):
        leaf = tmp_path / f"{issued.pk}.pem"
        leaf.write_text(issued.certificate.pem)
        result = openssl("verify", "-CAfile", str(pki / "ca-bundle.pem"), str(leaf))
        assert result.returncode == 0, result.stderr


def test_lines_take_their_own_profile_and_the_orders_software(f413_accepted, dave, alpha):
    mixed = [services.OrderLine(csr=make_csr(cn="DUI Alpha")),
             services.OrderLine(csr=make_csr(cn="DUI Alpha"), profile=igc.Profile.ORG_SIGN),
             services.OrderLine(csr=make_csr(cn="x"), profile=igc.Profile.ORG_AUTH_CLI_INSI, common_name="INSI-AUTO")]
    orders = order(dave, alpha, mixed, software_name="DUI Alpha")
    assert [(o.profile, o.common_name) for o in orders] == [
        (igc.Profile.ORG_AUTH_CLI, "DUI Alpha"), (igc.Profile.ORG_SIGN, "DUI Alpha"),
        (igc.Profile.ORG_AUTH_CLI_INSI, "INSI-AUTO")]
    assert {o.software_name for o in orders} == {"DUI Alpha"}


def test_one_bad_csr_refuses_the_whole_order_and_names_its_line(f413_accepted, dave, alpha):
    batch = lines(4)
    batch[2] = services.OrderLine(csr=make_csr(rsa_key(1024), cn="Faible"), software_name="Faible")
    with pytest.raises(services.OrderLinesRefused) as refused:
        order(dave, alpha, batch)
    assert refused.value.code == "order_lines_refused" and refused.value.status == 400
    assert [(line["line"], line["code"]) for line in refused.value.details["lines"]] == [(3, "weak_key")]
    assert refused.value.message.startswith("Aucun certificat n'est émis : 1 ligne sur 4 est refusée. Ligne 3 :")
    assert nothing_issued() and not AuditEntry.objects.filter(act="order").exists()


def test_every_refused_line_is_named_with_the_code_one_order_would_answer(f413_accepted, org_auth, dave, alpha):
    batch = [
        services.OrderLine(csr=make_csr(cn="DUI Alpha"), software_name="dui alpha"),  # org_auth serves it
        services.OrderLine(csr=make_csr(cn="Autre", ou="1999999999"), software_name="Autre"),
        services.OrderLine(csr=make_csr(cn="Bon"), software_name="Bon"),
        services.OrderLine(csr=make_csr(cn="Bon bis"), software_name="Bon"),  # twice in the order
        services.OrderLine(csr=b"", software_name="Vide"),
        services.OrderLine(csr=make_csr(cn="Sans logiciel")),
        services.OrderLine(csr=make_csr(cn="Hors F413"), profile="ORG_CONF", software_name="Conf"),
    ]
    with pytest.raises(services.OrderLinesRefused) as refused:
        order(dave, alpha, batch)
    assert [(line["line"], line["code"]) for line in refused.value.details["lines"]] == [
        (1, "certificate_exists_for_software"), (2, "csr_name_out_of_scope"), (4, "software_twice_in_order"),
        (5, "csr_malformed"), (6, "software_required"), (7, "profile_not_in_scope")]
    assert "6 lignes sur 7 sont refusées" in refused.value.message
    assert CertificateOrder.objects.count() == 1  # org_auth alone


def test_every_line_a_conflict_answers_409(org_auth, dave, alpha):
    with pytest.raises(services.OrderLinesRefused) as refused:
        order(dave, alpha, [services.OrderLine(csr=make_csr(), software_name="DUI Alpha")])
    assert refused.value.status == 409


def test_an_empty_or_too_large_order_is_refused(f413_accepted, dave, alpha):
    with pytest.raises(services.InvalidInput) as empty:
        order(dave, alpha, [])
    assert empty.value.code == "csr_required"
    too_many = [services.OrderLine(csr=b"x")] * (services.MAX_BULK_ORDER + 1)
    with pytest.raises(services.InvalidInput) as large:
        order(dave, alpha, too_many)
    assert large.value.code == "too_many_csrs" and large.value.details["max"] == 100
    assert nothing_issued()


@pytest.mark.rule("R-CER-4")
def test_only_a_technical_administrator_orders(f413_accepted, alice, alpha):
    with pytest.raises(ActNotAllowed):
        order(alice, alpha, lines(2))
    assert nothing_issued()


def test_server_certificates_are_named_by_their_csrs(f413_accepted, dave, alpha):
    batch = [services.OrderLine(csr=make_csr(cn="dui.alpha.fr", dns=["dui.alpha.fr"]))] * 2
    orders = order(dave, alpha, batch, profile=SSL, software_name="DUI Alpha")
    assert [o.certificate.dns_names for o in orders] == [["dui.alpha.fr"], ["dui.alpha.fr"]]


def test_the_queries_do_not_grow_with_the_number_of_lines(f413_accepted, dave, alpha):
    counts = []
    for size, offset in ((1, 200), (2, 0), (12, 100)):  # the first one fills the content types' cache
        batch = [services.OrderLine(csr=make_csr(cn=f"L{offset + i}"), software_name=f"L{offset + i}")
                 for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            order(dave, alpha, batch)
        counts.append(len(queries.captured_queries))
    assert counts[1] == counts[2]
    assert CertificateOrder.objects.count() == 15


def test_one_order_plans_its_reminder_in_one_insert(f413_accepted, dave, alpha):
    with CaptureQueriesContext(connection) as queries:
        single = services.certificate_order(actor=dave, organisation=alpha, profile=igc.Profile.ORG_AUTH_CLI,
                                            software_name="DUI Alpha", csr=make_csr(cn="DUI Alpha"))
    steps = [q["sql"] for q in queries.captured_queries if "scheduledstep" in q["sql"]]
    assert len(steps) == 1 and steps[0].startswith("INSERT") and "ON CONFLICT DO NOTHING" in steps[0]
    assert ScheduledStep.objects.get(kind=services.REMINDER_STEP).object_id == str(single.pk)
