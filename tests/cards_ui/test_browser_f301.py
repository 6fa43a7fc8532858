"""The F301 page in Debian's chromium: labelled add and remove buttons, one error summary on top
linking to each field, each error under its field (issue #15)."""

import pytest
from django.urls import reverse

from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _not_clipped(locator) -> bool:
    return locator.evaluate("button => button.scrollWidth <= button.clientWidth && button.clientWidth > 60")


@pytest.mark.parametrize("width", [1280, 375])
def test_lines_are_added_and_removed_by_labelled_buttons(live_server, browser, alice, alpha, alice_card,  # noqa: F811
                                                        width):
    page = logged_in_page(browser, live_server, alice, width=width)
    page.goto(live_server.url + reverse("cards:f301_new"))
    add = page.get_by_role("button", name="Ajouter une personne")
    assert add.is_visible() and _not_clipped(add)
    page.fill("#id_lignes-0-last_name", "Bernard")
    add.click()
    page.fill("#id_lignes-1-last_name", "Roux")
    remove = page.get_by_role("button", name="Retirer la personne 1")
    assert remove.is_visible() and _not_clipped(remove)
    remove.click()
    assert page.input_value("#id_lignes-0-last_name") == "Roux"
    assert page.locator("#id_lignes-1-last_name").count() == 0


def test_errors_are_summarised_on_top_and_shown_under_their_fields(live_server, browser, alice, alpha,  # noqa: F811
                                                                  alice_card):
    page = logged_in_page(browser, live_server, alice)
    page.goto(live_server.url + reverse("cards:f301_new"))
    page.get_by_role("button", name="Déposer la F301").click()
    summary = page.locator("#erreurs")
    assert "Renseignez au moins une personne à équiper." in summary.inner_text()
    assert "Veuillez" not in page.locator("main").inner_text()

    page.fill("#id_lignes-0-last_name", "Bernard")
    page.fill("#id_lignes-0-email", "pas-un-courriel")
    page.get_by_role("button", name="Déposer la F301").click()
    summary = page.locator("#erreurs")
    first_line = page.locator("#personne-1")
    assert summary.bounding_box()["y"] < first_line.bounding_box()["y"]  # on top, outside the lines
    assert first_line.locator(".fr-alert").count() == 0
    link = summary.get_by_role("link", name="Personne 1, courriel")
    assert link.get_attribute("href") == "#id_lignes-0-email"
    field, error = page.locator("#id_lignes-0-email"), page.locator("#id_lignes-0-email-erreurs")
    assert error.is_visible() and error.bounding_box()["y"] > field.bounding_box()["y"]
    # Under its own field, at its width: not squeezed into the name row.
    assert abs(error.bounding_box()["x"] - field.bounding_box()["x"]) < 5
    assert page.locator("#id_lignes-0-first_names-erreurs").bounding_box()["y"] < field.bounding_box()["y"]
