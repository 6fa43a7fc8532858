"""An organisation's readiness for the services socles over the API (R-CER-6, R-CER-7)."""

import pytest

from certificates import services
from tests.certificates import conftest as cast
from tests.kernel.pki_support import make_csr

_authorities, dave = cast._authorities, cast.dave
f413, f413_accepted, org_auth = cast.f413, cast.f413_accepted, cast.org_auth


def url(organisation):
    return f"/api/v1/certificates/organisations/{organisation.pk}/readiness/"


@pytest.mark.rule("R-CER-6")
def test_an_organisation_with_one_certificate_is_not_ready(api, org_auth, alice, alpha):
    data = api(alice).get(url(alpha)).json()
    assert data["ready"] is False and data["can_feed_dmp"] is False and data["can_consult_dmp"] is False
    assert [h["profile"] for h in data["held"]] == ["ORG_AUTH_CLI"]
    assert [m["profile"] for m in data["missing"]] == ["ORG_SIGN", "ORG_AUTH_CLI_INSI"]
    assert "SSL_SERVEUR" in data["orderable_profiles"] and data["server_names"] == ["dui.alpha.fr"]
    assert data["administrators"] == 1


@pytest.mark.rule("R-CER-6", "R-CER-7")
def test_the_minimum_set_makes_it_ready_but_never_able_to_consult_the_dmp(api, org_auth, dave, alpha):
    services.certificate_order(actor=dave, organisation=alpha, profile="ORG_SIGN", software_name="DUI Alpha",
                               csr=make_csr(cn="DUI Alpha"))
    services.certificate_order(actor=dave, organisation=alpha, profile="ORG_AUTH_CLI_INSI",
                               software_name="DUI Alpha", common_name="INSI-AUTO", csr=make_csr(cn="INSI-AUTO"))
    data = api(dave).get(url(alpha)).json()
    assert data["ready"] and data["can_feed_dmp"] and data["can_call_insi"] and data["can_consult_dmp"] is False


def test_an_outsider_gets_404(api, org_auth, charlie, alpha):
    assert api(charlie).get(url(alpha)).status_code == 404
