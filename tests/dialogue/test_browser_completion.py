"""The issue's (#19) scenario in Debian's chromium, on an F301: the agent asks for a document, the
legal representative answers with a PDF in one act, the agent sees the answer unread on the request,
opens the PDF and accepts; the representative downloads the decision's attestation from the request's
page and its verification page says it is authentic."""

import pytest
from django.urls import reverse

from cards import services
from cards.models import FormState
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)
from tests.cards.conftest import staff_line

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def f301(alice, alpha, alice_card, accepted, ana):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    return services.form_act(actor=ana, form=order, act="start_instruction")


def _act_form(page, label):
    return page.locator("main form").filter(has=page.get_by_role("button", name=label, exact=True))


def test_a_document_asked_answered_read_accepted_and_attested(live_server, browser, ana, alice, f301,  # noqa: F811
                                                              tmp_path):
    url = live_server.url + reverse("cards:f301_detail", args=[f301.pk])
    agent = logged_in_page(browser, live_server, ana)
    agent.goto(url)
    ask = _act_form(agent, "Demander des compléments")
    ask.get_by_label("Compléments demandés", exact=False).fill("Joignez l'attestation d'emploi de Lucie.")
    ask.get_by_role("button").click()
    assert "attend les compléments demandés" in agent.locator(".fr-alert--success").inner_text()

    representative = logged_in_page(browser, live_server, alice)
    representative.goto(url)
    conversation = representative.locator("#conversation")
    assert "Joignez l'attestation d'emploi de Lucie." in conversation.inner_text()
    assert "Demande de compléments" in conversation.text_content()
    answer = representative.locator("#completion-answer")
    answer.get_by_label("Votre réponse").fill("Voici l'attestation.")
    pdf = tmp_path / "attestation-emploi.pdf"
    pdf.write_bytes(PDF)
    answer.locator("input[type=file]").set_input_files(str(pdf))
    answer.get_by_role("button", name="Envoyer et renvoyer la demande à l'instruction").click()
    assert "la demande retourne en instruction" in representative.locator(".fr-alert--success").inner_text()
    f301.refresh_from_db()
    assert f301.state == FormState.IN_INSTRUCTION

    agent.goto(live_server.url + reverse("dialogue:notifications"))
    assert "Réponse de l'organisation sur la demande F301" in agent.locator("main").inner_text()
    agent.goto(url)
    answered = agent.locator("#conversation .fr-callout").filter(has_text="Voici l'attestation.")
    assert answered.locator(".message-unread").text_content() == "Non lu"
    link = answered.get_by_role("link", name="attestation-emploi.pdf")
    opened = agent.context.request.get(live_server.url + link.get_attribute("href"))
    assert opened.status == 200 and opened.headers["content-type"] == "application/pdf" and opened.body() == PDF
    agent.screenshot(path=str(tmp_path / "answered.png"), full_page=True)

    _act_form(agent, "Accepter la demande").get_by_role("button").click()
    agent.get_by_role("button", name="Confirmer : accepter la demande").click()
    assert agent.locator(".fr-alert--success").inner_text().endswith("est acceptée.")
    f301.refresh_from_db()
    assert f301.state == FormState.ACCEPTED
    agent.goto(url)  # opened once: the answer is read
    assert agent.locator("#conversation .message-unread").count() == 0
    own_status = representative.context.request.get(live_server.url + link.get_attribute("href")).status
    assert own_status == 200  # the organisation reads its own file too

    # The representative downloads the attestation from the request's page and checks it.
    representative.goto(url)
    attestations = representative.locator("#attestations-titre").locator("xpath=..")
    with representative.expect_download() as download_info:
        attestations.get_by_role("link", name="Attestation d'acceptation", exact=False).click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    code = download.suggested_filename.removeprefix("attestation-").removesuffix(".pdf")
    assert f"code de vérification {code}" in attestations.inner_text()
    attestations.get_by_role("link", name="vérifier").click()
    representative.wait_for_url(f"**/attestations/{code}/")
    assert "Attestation délivrée" in representative.locator("main").inner_text()
    representative.set_input_files("input[type=file][name=file]", str(saved))
    representative.get_by_role("button", name="Vérifier", exact=True).click()
    representative.wait_for_load_state()
    assert "Attestation authentique" in representative.locator("#verdict").inner_text()
    representative.screenshot(path=str(tmp_path / "verified.png"), full_page=True)
