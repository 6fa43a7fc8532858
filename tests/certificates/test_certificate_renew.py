"""Renewing a certificate: once, even when two renewals run at the same instant (R-CER-4)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from certificates import services
from certificates.models import CertificateOrder
from esms_portal.core.errors import StateConflict
from tests.kernel.pki_support import make_csr


def test_a_renewed_certificate_cannot_be_renewed_again(org_auth, dave):
    services.certificate_renew(actor=dave, order=org_auth, csr=make_csr(cn="DUI Alpha"))
    with pytest.raises(StateConflict) as error:
        services.certificate_renew(actor=dave, order=org_auth, csr=make_csr(cn="DUI Alpha"))
    assert error.value.code == "already_renewed"


def test_the_database_refuses_a_second_renewal_of_one_certificate(org_auth, dave, alpha):
    services.certificate_renew(actor=dave, order=org_auth, csr=make_csr(cn="DUI Alpha"))
    other = services.certificate_order(actor=dave, organisation=alpha, profile=org_auth.profile,
                                       software_name="Logiciel de soins", csr=make_csr(cn="Soins"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateOrder.objects.filter(pk=other.pk).update(renews=org_auth)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_renewals_issue_one_certificate(org_auth, dave):
    outcomes, barrier = [], threading.Barrier(2)

    def renew():
        try:
            barrier.wait()
            services.certificate_renew(actor=dave, order=org_auth, csr=make_csr(cn="DUI Alpha"))
            outcomes.append("renewed")
        except StateConflict as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=renew) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_renewed", "renewed"]
    assert CertificateOrder.objects.filter(renews=org_auth).count() == 1
    assert CertificateOrder.objects.count() == 2
