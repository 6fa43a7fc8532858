"""Above settings.PORTAL_EXPORT_BACKGROUND_OVER rows an export is a job a worker writes into the private
storage (run here eagerly, as the task does: export_jobs.export_run); below, it streams as before."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from esms_portal.backoffice import export_jobs
from esms_portal.models import ExportJob

from .conftest import bulk_cases, preset

pytestmark = pytest.mark.django_db
EXPORT = "/back-office/export/"
API = "/api/v1/back-office/export/"
CSV = {"format": "csv", "columns": ["number", "organisation", "labels"]}


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    settings.PORTAL_EXPORT_BACKGROUND_OVER = 5
    settings.MEDIA_ROOT = tmp_path / "private"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_chooser_says_when_the_file_is_prepared_in_the_background(client, ana, settings):
    settings.PORTAL_EXPORT_BACKGROUND_OVER = 5000
    client.force_login(ana)
    page = client.get(EXPORT).content.decode()
    assert "Au-delà de 5\u202f000 dossiers, le fichier est préparé en arrière-plan" in page


def test_a_small_export_still_streams_from_the_request(client, ana, alpha):
    bulk_cases(alpha, 5)
    client.force_login(ana)
    response = client.get(EXPORT, CSV)
    assert response.status_code == 200 and response.streaming
    assert len(csv_rows(body(response))) == 6
    assert not ExportJob.objects.exists()


def test_a_large_export_is_prepared_in_the_background_then_downloaded(client, ana, alpha):
    bulk_cases(alpha, 12, labels=[preset("Urgent")])
    client.force_login(ana)
    response = client.get(EXPORT, CSV)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{EXPORT}{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Export en préparation" in page and "hx-get" in page and "Télécharger l'export" not in page
    assert client.get(f"{EXPORT}{job.pk}/fichier/")["Location"] == f"{EXPORT}{job.pk}/"  # not ready yet

    export_jobs.export_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows) == ("done", 12) and job.size > 0
    assert export_jobs.private_storage.exists(job.file) and job.file.startswith("exports/")
    poll = client.get(f"{EXPORT}{job.pk}/", headers={"HX-Request": "true", "HX-Target": "export-job"})
    assert poll.status_code == 286 and "Télécharger l'export (CSV)" in poll.content.decode()
    download = client.get(f"{EXPORT}{job.pk}/fichier/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith('attachment; filename="dossi')
    rows = csv_rows(body(download))
    assert rows[0] == ["Numéro", "Organisation", "Étiquettes"] and len(rows) == 13
    assert {tuple(row[1:]) for row in rows[1:]} == {(alpha.name, "Urgent")}


def test_asking_again_while_it_is_prepared_gives_the_same_job(client, ana, alpha):
    bulk_cases(alpha, 8)
    client.force_login(ana)
    first = client.get(EXPORT, CSV)["Location"]
    assert client.get(EXPORT, {**CSV, "sort": ""})["Location"] == first
    assert client.get(EXPORT, {**CSV, "format": "xlsx"})["Location"] != first  # another export
    export_jobs.export_run(ExportJob.objects.get(format="csv").pk)
    assert client.get(EXPORT, CSV)["Location"] != first  # the first is ready: a new one
    assert ExportJob.objects.count() == 3


def test_only_the_agent_who_asked_sees_and_downloads_it(client, ana, bruno, alice, alpha):
    bulk_cases(alpha, 8)
    job = export_jobs.export_submit({}, ana, ["number"], "csv")
    export_jobs.export_run(job.pk)
    for someone, status in ((bruno, 404), (alice, 403)):
        client.force_login(someone)
        assert client.get(f"{EXPORT}{job.pk}/").status_code == status
        assert client.get(f"{EXPORT}{job.pk}/fichier/").status_code == status
        assert client.get(f"{API}{job.pk}/fichier/").status_code == status
    client.force_login(bruno)
    answer = client.get(f"{API}{job.pk}/")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_xlsx_written_by_the_job_is_a_real_workbook(ana, alpha):
    bulk_cases(alpha, 7)
    job = export_jobs.export_run(export_jobs.export_submit({}, ana, ["number", "filed_at"], "xlsx").pk)
    with export_jobs.private_storage.open(job.file, "rb") as stored:
        values = list(load_workbook(io.BytesIO(stored.read())).active.values)
    assert values[0] == ("Numéro", "Déposée le") and len(values) == 8


def test_expired_jobs_and_their_files_are_deleted(ana, alpha):
    bulk_cases(alpha, 7)
    old = export_jobs.export_run(export_jobs.export_submit({}, ana, ["number"], "csv").pk)
    fresh = export_jobs.export_run(export_jobs.export_submit({}, ana, ["organisation"], "csv").pk)
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert export_jobs.private_storage.exists(old.file)
    assert export_jobs.expire_jobs() == 1
    assert not export_jobs.private_storage.exists(old.file) and export_jobs.private_storage.exists(fresh.file)
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_job_still_pending_after_five_minutes_is_sent_again(ana, alpha):
    waiting = export_jobs.export_submit({}, ana, ["number"], "csv")
    running = export_jobs.export_submit({}, ana, ["organisation"], "csv")
    ExportJob.objects.update(created_at=timezone.now() - timedelta(minutes=6))
    ExportJob.objects.filter(pk=running.pk).update(state="running")
    export_jobs.export_submit({}, ana, ["number"], "ods")  # just asked
    assert export_jobs.stalled_jobs() == [waiting.pk]


def test_the_jobs_query_count_does_not_grow_with_the_rows(ana, alpha, monkeypatch):
    monkeypatch.setattr(export_jobs, "PROGRESS_SECONDS", float("inf"))  # progress is by time, not by row
    urgent = preset("Urgent")
    counted = []
    for total in (6, 300):
        bulk_cases(alpha, total - (6 if counted else 0), labels=[urgent])
        job = export_jobs.export_submit({"label": urgent}, ana, ["number", "labels", "assignee"], "ods")
        with CaptureQueriesContext(connection) as captured:
            job = export_jobs.export_run(job.pk)
        assert (job.state, job.rows) == ("done", total)
        counted.append(len(captured.captured_queries))
    assert counted[0] == counted[1] <= 7


def test_the_api_answers_202_then_the_file(client, ana, alpha):
    bulk_cases(alpha, 9)
    client.force_login(ana)
    answer = client.get(API, CSV)
    assert answer.status_code == 202
    job = answer.json()
    assert answer["Location"] == job["url"] and job["state"] == "pending" and job["file"] is None
    refused = client.get(f"{API}{job['id']}/fichier/")
    assert refused.status_code == 409 and refused.json()["code"] == "export_not_ready"
    export_jobs.export_run(job["id"])
    ready = client.get(job["url"]).json()
    assert ready["state"] == "done" and ready["rows"] == 9
    assert len(csv_rows(body(client.get(ready["file"])))) == 10
    small = client.get(API, {**CSV, "q": "nothing-matches-this"})
    assert small.status_code == 200 and len(csv_rows(body(small))) == 1


def test_the_worker_knows_the_export_tasks_and_beat_runs_the_sweeps(settings):
    from esms_portal.celery import app

    app.loader.import_default_modules()  # what a worker does at start-up
    names = {"esms_portal.backoffice.run_export", "esms_portal.backoffice.expire_exports",
             "esms_portal.backoffice.resume_exports"}
    assert names <= set(app.tasks)
    assert {task for task, _ in settings.PORTAL_PERIODIC_TASKS.values()} >= names - {export_jobs.RUN_TASK}
