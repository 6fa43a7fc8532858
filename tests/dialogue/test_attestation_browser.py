"""In Debian's chromium: the agent accepts a contract on its page, the legal representative downloads
the attestation from the contract's page, and its verification page says the file is authentic."""

import pytest

from tests.browser import browser, logged_in_page  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_accepted_downloaded_and_verified_authentic(live_server, browser, ana, alice, in_instruction,  # noqa: F811
                                                    tmp_path):
    contract_url = f"{live_server.url}/contrats/{in_instruction.pk}/"
    agent = logged_in_page(browser, live_server, ana)
    agent.goto(contract_url)
    agent.get_by_role("button", name="Accepter le contrat").click()
    agent.get_by_role("button", name="Confirmer : accepter le contrat").click()
    agent.wait_for_load_state()
    assert "est accepté" in agent.content()
    agent.close()

    representative = logged_in_page(browser, live_server, alice)
    representative.goto(contract_url)
    link = representative.get_by_role("link", name="Attestation d'acceptation")
    with representative.expect_download() as download_info:
        link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    code = download.suggested_filename.removeprefix("attestation-").removesuffix(".pdf")

    representative.get_by_role("link", name="vérifier").click()
    representative.wait_for_url(f"**/attestations/{code}/")
    assert "Attestation délivrée" in representative.content()
    representative.set_input_files("input[type=file][name=file]", str(saved))
    representative.get_by_role("button", name="Vérifier", exact=True).click()
    representative.wait_for_load_state()
    verdict = representative.locator("#verdict")
    assert "Attestation authentique" in verdict.inner_text()
    representative.screenshot(path=str(tmp_path / "verified.png"), full_page=True)

    # The same file with one byte changed is not authentic.
    altered = bytearray(saved.read_bytes())
    altered[len(altered) // 2] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(bytes(altered))
    representative.set_input_files("input[type=file][name=file]", str(tmp_path / "altered.pdf"))
    representative.get_by_role("button", name="Vérifier", exact=True).click()
    representative.wait_for_load_state()
    assert "Attestation non authentique" in representative.locator("#verdict").inner_text()
