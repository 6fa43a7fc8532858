"""A bulk order over the API: up to 100 CSRs, all issued in one transaction or none, every refused
line named with its code (R-CER-4, R-CER-5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.models import CertificateOrder
from esms_portal.models import IssuedCertificate
from tests.certificates import conftest as cast
from tests.kernel.pki_support import make_csr, rsa_key

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth

URL = "/api/v1/certificates/bulk/"


def body(alpha, count=3, **values):
    lines = [{"csr": make_csr(cn=f"Logiciel {i}").decode(), "software_name": f"Logiciel {i}"} for i in range(count)]
    return {"organisation": str(alpha.pk), "profile": "ORG_AUTH_CLI", "lines": lines, **values}


def nothing_issued() -> bool:
    return not CertificateOrder.objects.exists() and not IssuedCertificate.objects.exists()


@pytest.mark.rule("R-CER-4", "R-CER-5")
def test_the_administrator_orders_several_certificates(api, f413_accepted, dave, alpha):
    response = api(dave).post(URL, body(alpha), format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["count"] == 3 and [r["software_name"] for r in data["results"]] == [f"Logiciel {i}" for i in range(3)]
    ordered = CertificateOrder.objects.values_list("pk", flat=True)
    assert {r["id"] for r in data["results"]} == {str(pk) for pk in ordered}
    assert all(r["profile"] == "ORG_AUTH_CLI" and r["method"] == "csr" for r in data["results"])


def test_one_bad_line_refuses_all_with_its_number_and_code(api, f413_accepted, dave, alpha):
    data = body(alpha, 3)
    data["lines"][1]["csr"] = make_csr(rsa_key(1024), cn="Faible").decode()
    response = api(dave).post(URL, data, format="json")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "order_lines_refused"
    assert [(line["line"], line["code"]) for line in error["details"]["lines"]] == [(2, "weak_key")]
    assert error["details"]["lines"][0]["message"].startswith("Clé RSA de 1024 bits trop faible")
    assert nothing_issued()


def test_more_than_100_lines_are_refused(api, f413_accepted, dave, alpha):
    data = body(alpha, 0)
    data["lines"] = [{"csr": "x", "software_name": f"L{i}"} for i in range(101)]
    response = api(dave).post(URL, data, format="json")
    assert response.status_code == 400 and response.json()["code"] == "too_many_csrs"
    assert nothing_issued()


@pytest.mark.rule("R-CER-4")
def test_the_legal_representative_is_not_an_administrator(api, f413_accepted, alice, alpha):
    response = api(alice).post(URL, body(alpha), format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden_act"
    assert nothing_issued()


def test_an_outsider_gets_404_for_the_organisation(api, f413_accepted, charlie, alpha):
    response = api(charlie).post(URL, body(alpha), format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert nothing_issued()


@pytest.mark.rule("R-CER-4")
def test_a_token_is_not_a_card_login_in_production(api, f413_accepted, dave, alpha, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    response = api(dave).post(URL, body(alpha), format="json")
    assert response.status_code == 403 and response.json()["code"] == "card_login_required"
    assert nothing_issued()


def test_the_queries_are_the_same_for_2_or_10_lines(api, f413_accepted, dave, alpha):
    client, counts = api(dave), []
    for size, first in ((1, 90), (2, 0), (10, 50)):  # the first one fills the content types' cache
        data = body(alpha, 0)
        data["lines"] = [{"csr": make_csr(cn=f"L{first + i}").decode(), "software_name": f"L{first + i}"}
                         for i in range(size)]
        with CaptureQueriesContext(connection) as queries:
            assert client.post(URL, data, format="json").status_code == 201
        counts.append(len(queries.captured_queries))
    assert counts[1] == counts[2]


@pytest.mark.parametrize(("lines", "code"), [
    ("pas une liste", "invalid"),
    ([["pas", "un objet"]], "invalid"),
    ([{"csr": 12, "software_name": "L"}], "order_lines_refused"),
    ([{"csr": "x", "profile": "ORG_CONF", "software_name": "L"}], "order_lines_refused"),
    ([{"csr": "x", "software_name": "L", "dns_names": ["pas un nom"]}], "order_lines_refused"),
    ([{"csr": "\u0000", "software_name": "L"}], "invalid"),
    ([{"csr": "x", "common_name": "\U0001F600", "software_name": "L"}], "order_lines_refused"),
])
def test_a_hostile_body_is_a_400_or_409_never_a_500(api, f413_accepted, dave, alpha, lines, code):
    response = api(dave).post(URL, {"organisation": str(alpha.pk), "profile": "ORG_AUTH_CLI", "lines": lines},
                              format="json")
    assert response.status_code in (400, 409) and response.json()["code"] == code
    assert nothing_issued()
