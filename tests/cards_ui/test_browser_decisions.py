"""An agent's decisions on an F301 in Debian's chromium: each act in its own form with only its
fields, a confirmation page before accepting or refusing, the outcome in plain French (issue #15)."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import FormState
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)
from tests.cards.conftest import staff_line

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def f301(alice, alpha, alice_card, accepted, ana):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    return services.form_act(actor=ana, form=order, act="start_instruction")


def _form_of(page, label):
    return page.locator("main form").filter(has=page.get_by_role("button", name=label, exact=True))


def test_accepting_needs_no_reason_and_is_confirmed_first(live_server, browser, ana, f301, tmp_path):  # noqa: F811
    page = logged_in_page(browser, live_server, ana)
    page.goto(live_server.url + reverse("cards:f301_detail", args=[f301.pk]))
    accept = _form_of(page, "Accepter la demande")
    assert accept.locator("textarea, input:not([type=hidden])").count() == 0
    assert _form_of(page, "Demander des compléments").get_by_label("Compléments demandés", exact=False).is_visible()
    assert _form_of(page, "Refuser la demande").get_by_label("Motif du refus", exact=False).is_visible()
    page.screenshot(path=str(tmp_path / "decisions.png"), full_page=True)

    accept.get_by_role("button").click()
    assert page.locator("h1").inner_text() == "Confirmer : accepter la demande"
    page.get_by_role("link", name="Annuler").click()
    f301.refresh_from_db()
    assert f301.state == FormState.IN_INSTRUCTION

    _form_of(page, "Accepter la demande").get_by_role("button").click()
    page.get_by_role("button", name="Confirmer : accepter la demande").click()
    reference = str(f301.pk)[:8].upper()
    assert page.locator(".fr-alert--success").inner_text() == f"La demande F301 n° {reference} est acceptée."
    f301.refresh_from_db()
    assert f301.state == FormState.ACCEPTED


def test_refusing_carries_its_reason_through_the_confirmation(live_server, browser, ana, f301):  # noqa: F811
    page = logged_in_page(browser, live_server, ana)
    page.goto(live_server.url + reverse("cards:f301_detail", args=[f301.pk]))
    refuse = _form_of(page, "Refuser la demande")
    refuse.get_by_label("Motif du refus", exact=False).fill("Adresse de livraison incomplète.")
    refuse.get_by_role("button").click()
    assert "Adresse de livraison incomplète." in page.locator("main").inner_text()
    page.get_by_role("button", name="Confirmer : refuser la demande").click()
    assert page.locator(".fr-alert--success").inner_text().endswith("est refusée.")
    f301.refresh_from_db()
    assert (f301.state, f301.decision_reason) == (FormState.REJECTED, "Adresse de livraison incomplète.")
