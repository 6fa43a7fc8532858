"""An agent in Debian's chromium: searches the queue, takes a case, assigns it, labels it, exports CSV."""

import pytest

from esms_portal.models import Case
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)
from tests.kernel_app.services import f999_file

from .conftest import preset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_works_through_the_queue(live_server, browser, ana, olga, submitted, beta, charlie,  # noqa: F811
                                          tmp_path):
    preset("Urgent")
    f999_file(actor=charlie, organisation=beta, subject="Autre")
    page = logged_in_page(browser, live_server, ana)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/back-office/")
    assert page.evaluate("typeof htmx") == "object"  # the tabs' counts refresh themselves

    page.get_by_role("textbox", name="Rechercher").fill("alpha")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**q=alpha**")
    rows = page.locator("table.queue tbody tr")
    rows.first.wait_for()
    assert rows.count() == 1 and "Association Alpha" in rows.first.inner_text()
    assert "q=alpha" in page.url  # the filters live in the address
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)

    rows.first.get_by_role("button", name="Prendre en charge").click()
    assert "Vous êtes l'instructeur de ce dossier." in page.locator(".fr-alert--success").inner_text()
    assert "Ana Agent" in page.locator("table.queue tbody tr").first.inner_text()

    page.locator("table.queue tbody tr").first.get_by_role("link", name="Association Alpha").click()
    panel = page.locator(".case-panel")
    panel.get_by_label("Confier le dossier à").select_option(label="Olga Instructrice")
    panel.get_by_role("button", name="Confier").click()
    assert "Dossier confié à Olga Instructrice" in page.locator(".fr-alert--success").inner_text()
    panel = page.locator(".case-panel")
    panel.get_by_label("Ajouter une étiquette").select_option(label="Urgent")
    panel.get_by_role("button", name="Ajouter").click()
    page.get_by_text("Étiquettes mises à jour.").wait_for()
    assert "Urgent" in page.locator(".case-panel").inner_text()
    case = Case.objects.get(type_key="contrats")
    assert (case.assignee, [label.name for label in case.labels.all()]) == (olga, ["Urgent"])

    page.goto(f"{live_server.url}/back-office/?q=alpha")
    page.get_by_role("link", name="Exporter").click()
    page.get_by_label("CSV", exact=False).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger").click()
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Numéro;Type de demande;Organisation") and len(lines) == 2
    assert "Urgent" in lines[1] and "Olga Instructrice" in lines[1]
    assert not errors, errors
