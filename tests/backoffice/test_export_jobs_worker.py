"""A large export is written by a real Celery worker into the private storage, then downloaded."""

import csv
import io

import pytest

from esms_portal.backoffice import export_jobs
from esms_portal.models import ExportJob
from tests.kernel.faults_support import Worker, wait_for

from .conftest import bulk_cases

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PORTAL_EXPORT_BACKGROUND_OVER = 5
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(settings, tmp_path, private):
    process = Worker(settings.CELERY_BROKER_URL, tmp_path / "worker.log", beat=False,
                     engine={"PORTAL_PRIVATE_MEDIA_ROOT": str(private)})
    process.start()
    yield process
    process.kill()


def test_a_worker_writes_the_large_export_and_the_agent_downloads_it(client, ana, alpha, worker):
    bulk_cases(alpha, 40)
    client.force_login(ana)
    location = client.get("/back-office/export/", {"format": "csv", "columns": ["number", "organisation"]})["Location"]
    job = ExportJob.objects.get()
    try:
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).state == "done", timeout=120, every=0.25,
                 what="the export written")
    except AssertionError:
        raise AssertionError(worker.log_tail()) from None
    assert "Télécharger l'export (CSV)" in client.get(location).content.decode()
    response = client.get(f"{location}fichier/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 41 and {row[1] for row in rows[1:]} == {alpha.name}
    assert export_jobs.private_storage.exists(ExportJob.objects.get().file)
