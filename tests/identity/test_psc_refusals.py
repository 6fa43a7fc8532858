"""Every refused Pro Santé Connect login opens no session and says why in French: an acr other than
eidas1, a replayed or unknown state, a nonce that is not this login's, an expired ID token, one not
signed by the provider's published keys, an identifier the portal does not know."""

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import at_provider, configure, psc_log_in

pytestmark = pytest.mark.django_db


def assert_refused(response, words: str):
    assert response.status_code == 403
    page = response.content.decode()
    assert "Connexion avec Pro Santé Connect refusée" in page and words in page, page
    assert "_auth_user_id" not in response.wsgi_request.session
    assert "portal_card" not in response.wsgi_request.session and "portal_psc" not in response.wsgi_request.session


def test_an_acr_other_than_eidas1_is_refused(client, browser, settings, start_provider, gina):
    configure(settings, start_provider(PSC_ACR="eidas2"))
    assert_refused(psc_log_in(client, browser, gina.cards.get().national_id), "niveau de sécurité demandé")


def test_a_replayed_state_is_refused(client, browser, psc_on, gina):
    start = client.get(reverse("psc-login"))
    callback = at_provider(browser, start["Location"], gina.cards.get().national_id)
    assert client.get(callback).status_code == 302
    client.logout()
    assert_refused(client.get(callback), "déjà servi")


def test_an_unknown_state_is_refused(client, psc_on):
    assert_refused(client.get(reverse("psc-callback"), {"code": "x", "state": "inconnu"}), "inconnue")


def test_a_callback_in_a_browser_that_did_not_start_the_login_is_refused(client, browser, psc_on, gina):
    start = client.get(reverse("psc-login"))
    callback = at_provider(browser, start["Location"], gina.cards.get().national_id)
    assert_refused(Client().get(callback), "inconnue")  # another browser: no state in its session


def test_a_nonce_mismatch_is_refused(client, browser, psc_on, gina):
    start = client.get(reverse("psc-login"))
    session = client.session
    key = next(key for key in session.keys() if key.startswith("_state_psc_"))
    session[key]["data"]["nonce"] = "une-autre-demande"
    session.save()
    assert_refused(client.get(at_provider(browser, start["Location"], gina.cards.get().national_id)),
                   "ne correspond pas à cette demande")


def test_an_expired_id_token_is_refused(client, browser, settings, start_provider, gina):
    # The provider's clock 15 minutes behind, its ID tokens valid 1 minute: expired on arrival
    # (beyond the 2 minutes of clock skew Authlib allows).
    configure(settings, start_provider(PSC_CLOCK_OFFSET_SECONDS=-900, PSC_ID_TOKEN_TTL=60))
    assert_refused(psc_log_in(client, browser, gina.cards.get().national_id), "a expiré")


def test_an_id_token_not_signed_with_the_published_keys_is_refused(client, browser, settings, psc, start_provider,
                                                                    gina):
    # This provider signs with its own key but publishes another provider's (same kid).
    configure(settings, start_provider(PSC_PUBLISHED_JWKS_URL=f"{psc.issuer}/jwks"))
    assert_refused(psc_log_in(client, browser, gina.cards.get().national_id), "pas signé par Pro Santé Connect")


@pytest.mark.parametrize("identifier", ["899999999999", "30B0000000/CPET99999", "X" * 60])
def test_an_identifier_the_portal_does_not_know_is_refused(client, browser, psc_on, identifier, gina):
    assert_refused(psc_log_in(client, browser, identifier), "pas connu du portail")


def test_an_opposed_card_is_not_known_any_more(client, browser, psc_on, gina):
    card = gina.cards.get()
    type(card).objects.filter(pk=card.pk).update(state="opposed")
    assert_refused(psc_log_in(client, browser, card.national_id), "pas connu du portail")


def test_an_unreachable_provider_is_said_in_french(client, settings, start_provider):
    provider = start_provider()
    configure(settings, provider)
    provider.stop()
    response = client.get(reverse("psc-login"))
    assert response.status_code == 503 and "Pro Santé Connect ne répond pas" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
