"""Log in with Pro Santé Connect against a real OpenID provider (oidc-provider, PSC's claims): a
professional reaches his space, a gestionnaire holding a card is card-authenticated (R-RPP-6)."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from esms_portal.auth import psc
from rpps_plus.public_views import PSC_SITUATIONS_SESSION_KEY as SITUATIONS_SESSION_KEY
from rpps_plus.services.timeline import rpps_number_send, situation_publish

from .conftest import configure, psc_log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(gina, site):
    """Julie, registered by gina, with her RPPS number."""
    from rpps_plus import services
    from tests.rpps_plus.conftest import person

    situation = services.professional_register(actor=gina, data=person(), site=site)
    rpps_number_send(situation.professional_id)
    situation_publish(situation.pk)
    situation.professional.refresh_from_db()
    return situation.professional


def test_the_redirection_asks_for_code_pkce_state_nonce_and_eidas1(client, psc_on):
    response = client.get(reverse("psc-login"))
    assert response.status_code == 302
    url = urlparse(response["Location"])
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}" == psc_on.issuer
    assert query["response_type"] == "code" and query["scope"] == "openid scope_all"
    assert query["acr_values"] == "eidas1" and query["code_challenge_method"] == "S256"
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert query["redirect_uri"] == "http://testserver/connexion/psc/retour/"


def test_a_professional_reaches_his_space(client, browser, psc_on, professional):
    response = psc_log_in(client, browser, "8" + professional.rpps)
    assert response.status_code == 302 and response.url == reverse("rpps_plus:my_space")
    professional.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == professional.user_id
    page = client.get(response.url)
    assert page.status_code == 200 and professional.last_name in page.content.decode()
    assert client.session[SITUATIONS_SESSION_KEY] == []
    assert not page.wsgi_request.user.card_authenticated  # a professional acts for no organisation


@pytest.mark.rule("R-RPP-6")
def test_a_gestionnaire_with_his_card_registers_professionals(client, browser, psc_on, gina, site, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    card = gina.cards.get()
    response = psc_log_in(client, browser, card.national_id)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["portal_card"]["card"] == str(card.pk)
    assert client.session["portal_card"]["mode"] == "psc"
    from tests.rpps_plus.conftest import person

    data = {key: str(value) for key, value in {**person(), "site": site.pk}.items()}
    response = client.post(reverse("rpps_plus:register"), data)
    assert response.status_code == 302 and "/rpps/situations/" in response.url


def test_the_login_page_offers_psc_only_when_configured(client, settings, psc):
    assert "psc-login" not in client.get(reverse("login")).content.decode()
    assert client.get("/connexion/psc/").status_code == 404
    assert client.get("/connexion/psc/retour/").status_code == 404
    settings.PORTAL_PSC_ISSUER, settings.PORTAL_PSC_CLIENT_ID = psc.issuer, "esms-portal"
    settings.PORTAL_PSC_LABEL = "Pro Santé Connect (simulé)"
    page = client.get(reverse("login")).content.decode()
    assert "Se connecter avec Pro Santé Connect (simulé)" in page and reverse("psc-login") in page


def test_exercise_situations_are_read_from_subject_ref_pro():
    info = {"SubjectRefPro": {"codeCivilite": "M", "exercices": [{"codeProfession": "10", "activities": [
        {"numeroFinessSite": "690000015", "codeRole": "FON-01", "raisonSocialeSite": "EHPAD Les Tilleuls"}]}]}}
    from rpps_plus.psc import psc_situations

    assert psc_situations(info) == [
        {"profession": "10", "finess": "690000015", "role": "FON-01", "site": "EHPAD Les Tilleuls"}]
    assert psc_situations({}) == [] and psc_situations({"SubjectRefPro": "?"}) == []
    assert psc.enabled() is False


def test_the_demo_professional_logs_in_with_the_demo_provider(client, browser, settings, start_provider, pki,
                                                             tmp_path):
    """What bin/demo does: the demo data, the provider's accounts written from them (names and
    SubjectRefPro), the demo professional's « 8 » + RPPS; his situations as PSC sent them are shown."""
    from django.core.management import call_command

    from rpps_plus.demo import PROFESSIONAL
    from rpps_plus.models import Professional

    call_command("load_demo")
    accounts = tmp_path / "accounts.json"
    call_command("psc_accounts", str(accounts))
    professional = Professional.objects.get(email=PROFESSIONAL["email"])
    configure(settings, start_provider(PSC_ACCOUNTS=accounts))
    response = psc_log_in(client, browser, "8" + professional.rpps)
    assert response.status_code == 302 and response.url == reverse("rpps_plus:my_space")
    page = client.get(response.url).content.decode()
    site = professional.situations.get().site
    assert "Transmises par Pro Santé Connect" in page and f"FINESS {site.finess}" in page


def test_a_browser_keeps_a_few_pending_logins_at_most(client, psc_on):
    for _ in range(psc.PENDING_LOGINS + 3):
        assert client.get(reverse("psc-login")).status_code == 302
    assert len([key for key in client.session.keys() if key.startswith("_state_psc_")]) == psc.PENDING_LOGINS


def test_a_deactivated_account_is_not_known(client, browser, psc_on, gina):
    gina.is_active = False
    gina.save(update_fields=["is_active"])
    response = psc_log_in(client, browser, gina.cards.get().national_id)
    assert response.status_code == 403 and "_auth_user_id" not in client.session


def test_the_callback_costs_a_bounded_number_of_queries(client, browser, psc_on, gina, django_assert_max_num_queries):
    from .conftest import at_provider

    start = client.get(reverse("psc-login"))
    callback = at_provider(browser, start["Location"], gina.cards.get().national_id)
    # The session read, the card, the session key cycled (4), django-axes' records (2), last_login,
    # the session written (3): nothing grows with the data.
    with django_assert_max_num_queries(14):
        assert client.get(callback).status_code == 302
