"""The issue's "done when", in Debian's chromium: an agent searches the queue, checks two cases in
instruction, accepts them in bulk from the queue's button, confirms, reads the report (one done, one
skipped with its French reason), then exports the filtered queue as CSV whose rows match it."""

import pytest

from esms_portal.models import Case
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)
from tests.kernel_app.models import SampleForm
from tests.kernel_app.services import f999_file

from .conftest import file_forms

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_accepts_two_cases_from_the_queue_then_exports_them(live_server, browser, alice, alpha,  # noqa: F811
                                                                     ana, beta, charlie, tmp_path):
    ready = file_forms(alice, alpha, 1, in_instruction_by=ana)[0]
    unready = file_forms(alice, alpha, 1, ready=False, in_instruction_by=ana)[0]
    f999_file(actor=charlie, organisation=beta, subject="Autre")  # filtered out by the search
    page = logged_in_page(browser, live_server, ana)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server.url}/back-office/?type=f999")

    page.get_by_role("textbox", name="Rechercher").fill("alpha")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**q=alpha**")
    rows = page.locator("table.queue tbody tr")
    rows.first.wait_for()
    assert rows.count() == 2 and all("Association Alpha" in text for text in rows.all_inner_texts())
    for row in rows.all():
        row.locator('input[name="case"]').check(force=True)  # DSFR hides the input behind its label
    page.locator("#queue-form").get_by_role("button", name="Accepter", exact=True).click()

    page.get_by_role("heading", name="Acte groupé sur 2 dossiers").wait_for()
    page.get_by_role("button", name="Appliquer aux 2 dossiers").click()

    report = page.locator("#bulk-report")
    report.wait_for()
    text = " ".join(report.text_content().split())  # the badges are upper-cased by CSS only
    assert "Terminé" in text and "2 dossiers traités sur 2" in text
    assert "1 fait" in text and "1 écarté" in text
    skipped = report.locator("table tbody tr")
    assert skipped.count() == 1 and "Le formulaire de test n'est pas prêt." in skipped.inner_text()
    states = dict(SampleForm.objects.values_list("pk", "state"))
    assert (states[ready.pk], states[unready.pk]) == ("accepted", "in_instruction")

    # The default tab ("En cours") now holds the skipped case only; "Tous" holds both: export that.
    page.get_by_role("link", name="Revenir aux dossiers").click()
    page.get_by_role("textbox", name="Rechercher").fill("alpha")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**q=alpha**")
    assert rows.count() == 1 and "En instruction" in rows.first.text_content()
    page.locator("#queue-tabs").get_by_role("link", name="Tous", exact=True).click()
    page.wait_for_url("**tab=tous**")
    shown = {row.locator("td").nth(3).text_content().strip(): row.locator("td").nth(4).text_content().strip()
             for row in rows.all()}
    page.get_by_role("link", name="Exporter").click()
    page.get_by_label("CSV", exact=False).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger").click()
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    header, *lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert header.startswith("Numéro;Type de demande;Organisation")
    cases = {case.number: case for case in Case.objects.filter(type_key="f999", organisation=alpha)}
    assert {case.object_id for case in cases.values()} == {str(ready.pk), str(unready.pk)}
    exported = {line.split(";")[0]: line for line in lines}
    assert sorted(exported) == sorted(shown) == sorted(cases)  # the file's rows are the filtered queue's
    for number, line in exported.items():
        assert "Association Alpha" in line and cases[number].state_label in line
        assert shown[number] == cases[number].state_label
    assert {cases[n].state_label for n in cases} == {"Acceptée", "En instruction"}
    assert not errors, errors
