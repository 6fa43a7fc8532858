"""In chromium: the report of a background bulk job follows the worker's progress without a reload."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from esms_portal.backoffice.bulk import bulk_submit
from tests.browser import browser, logged_in_page  # noqa: F401 (fixture)
from tests.kernel.faults_support import Worker

from .conftest import file_forms, ref

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_report_page_follows_the_worker(live_server, browser, alice, alpha, ana, tmp_path):  # noqa: F811
    forms = file_forms(alice, alpha, 55, in_instruction_by=ana)
    job = bulk_submit(agent=ana, act="accept", refs=[ref(f) for f in forms], idempotency_key="browser")
    page = logged_in_page(browser, live_server, ana)
    page.goto(f"{live_server.url}/back-office/lot/{job.pk}/")
    report = page.locator("#bulk-report")
    expect(report).to_contain_text("sur 55")
    page.evaluate("window.notReloaded = true")

    worker = Worker(settings.CELERY_BROKER_URL, tmp_path / "worker.log", beat=False)
    worker.start()
    try:
        expect(report).to_contain_text("Terminé", timeout=90000)
    except AssertionError:
        raise AssertionError(worker.log_tail()) from None
    finally:
        worker.kill()
    expect(report).to_contain_text("55 dossiers traités sur 55")
    assert page.locator("progress").get_attribute("value") == "55"
    assert page.evaluate("window.notReloaded") is True
    assert report.get_attribute("hx-get") is None  # done: the page stopped asking
    page.close()
