"""Benchmark, not a test: the agents' one queue (esms_portal.backoffice) over 100,000 cases in PostgreSQL.

    .venv/bin/python bench/backoffice_queue.py [--cases 100000] [--organisations 10000] [--runs 15] [--reuse]

On a dedicated database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/esms_bench_backoffice; its name
must contain "bench": dropped, recreated and migrated unless --reuse finds it loaded), production settings (DEBUG
off, a generated secret, the agents' second factor off: the test Client cannot read a TOTP app). The loader writes
--cases rows of the case index in bulk, across every declared type: 30 % waiting, 20 % in instruction, 10 % waiting
for the organisation, 40 % decided; filed over 120 days; a third assigned to one of 20 agents; 15 % labelled.

Each page is requested --runs times through Django's test Client (the whole middleware stack, templates included):
the first page, filter combinations, a search by name and by FINESS, and the next page by cursor; median, p95 and
the queries of one request. Baseline, in the same run: the same SQL the page sends for its rows and its counts,
executed by a bare cursor. Then the export of every case as CSV, XLSX and ODS, timed (wall clock and the process's
CPU time), with the process's resident size sampled while it streams (peak above the size before it), against a
bare cursor reading the same rows into a csv writer (the threshold of the background exports raised above the
rows for this), then each format as the Celery worker writes it above that threshold (export_jobs.export_run, in
this process, into a temporary private storage). Goals: p95 under 300 ms, constant queries; 100,000 rows
exported under 30 s, memory flat.
"""

import csv
import io
import os
import random
import shutil
import statistics
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from benchsetup import arguments, bench_database, configure_django, p95, use_temporary_pki, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_backoffice"
STATIC_ROOT = "/tmp/bench-backoffice-static"
REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
NAMES = ["Dupont", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre",
         "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Andre"]
FIRST = ["Marie", "Jean", "Lucie", "Karim", "Sophie", "Paul", "Claire", "Hugo", "Inès", "Louis"]


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def load(count: int, organisations: int, rng: random.Random) -> None:
    from django.db import connection
    from django.utils import timezone

    from contracts.models import Structure
    from esms_portal.backoffice.cases import deadline_of, fold
    from esms_portal.models import Case, Label, Stage, User
    from esms_portal.workflow.declarations import request_types

    ejs = []
    for n in range(organisations):
        region = rng.choice(REGIONS)
        ej = Structure(kind="EJ", finess=f"0B{n:07d}", name=f"Organisme {rng.choice(NAMES)} {n}", region=region,
                       departement=f"{rng.randint(1, 95):02d}")
        ej.legal_entity = ej
        ejs.append(ej)
    Structure.objects.bulk_create(ejs, batch_size=5000)
    agents = User.objects.bulk_create([User(email=f"agent{n}@bench.example", first_name="Agent", last_name=f"N{n}",
                                            is_staff=True) for n in range(20)])
    types = list(request_types())
    now = timezone.now()
    rows = []
    for n in range(count):
        declared, ej = rng.choice(types), rng.choice(ejs)
        pick = rng.random()
        stage, state = ((Stage.WAITING, "submitted") if pick < .3 else (Stage.INSTRUCTION, "in_instruction")
                        if pick < .5 else (Stage.COMPLETION, "completion_requested") if pick < .6
                        else (Stage.CLOSED, rng.choice(["accepted", "rejected"])))
        filed = now - timedelta(minutes=rng.randint(0, 120 * 24 * 60))
        paused = filed + timedelta(days=rng.randint(0, 5)) if stage == Stage.COMPLETION else None
        people = f"{rng.choice(FIRST)} {rng.choice(NAMES)}"
        rows.append(Case(
            type_key=declared.key, object_id=f"{n}", organisation=ej, organisation_name=ej.name, finess=ej.finess,
            region=ej.region, departement=ej.departement, number=f"{n:08X}", people=people,
            search_text=fold(f"{ej.name} {people}"), state=state, state_label=state, stage=stage,
            is_open=stage != Stage.CLOSED, filed_at=filed, paused_at=paused,
            decided_at=filed + timedelta(days=4) if stage == Stage.CLOSED else None,
            deadline=deadline_of(filed, paused, timedelta(), 16), window_low_days=6, window_high_days=16,
            assignee=rng.choice(agents) if stage in (Stage.INSTRUCTION, Stage.COMPLETION) or pick > .9 else None))
    Case.objects.bulk_create(rows, batch_size=5000)
    labels = list(Label.objects.all())
    ids = list(Case.objects.values_list("pk", flat=True))
    through = Case.labels.through
    through.objects.bulk_create([through(case_id=pk, label_id=rng.choice(labels).pk) for pk in ids
                                 if rng.random() < .15], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def is_loaded(url: str) -> bool:
    configure_django(url)
    from django.db import DatabaseError

    from esms_portal.models import Case

    try:
        return Case.objects.exists()
    except DatabaseError:
        return False


def timed_get(client, path: str, runs: int) -> tuple[list[float], int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, secure=True)  # warm: templates compiled, connection open
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, secure=True)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(path, secure=True).content.decode()
    return times, len(captured.captured_queries), body


def bare_page_sql(query_string: str, agent, runs: int) -> list[float]:
    """The page's rows (51) and its counts, the same SQL, through a bare cursor."""
    from django.db import connection
    from django.http import QueryDict

    from esms_portal.backoffice.queue import QueueFilters, counts, queue_cases
    from esms_portal.models import Label

    filters = QueueFilters(QueryDict(query_string), labels=list(Label.objects.all())).values()
    rows_sql = queue_cases(filters, agent)[:51].query.sql_with_params()
    count_filters = {k: v for k, v in filters.items() if k not in ("type", "tab")}
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        counts(count_filters, agent)
    counts_sql = [query["sql"] for query in captured.captured_queries]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(*rows_sql)
            cursor.fetchall()
            for sql in counts_sql:
                cursor.execute(sql)
                cursor.fetchall()
        times.append(time.perf_counter() - started)
    return times


def line(label: str, times: list[float], queries, floor: float | None = None) -> dict:
    median, high = statistics.median(times) * 1000, p95(times) * 1000
    ratio = f", {median / floor:.1f}x bare" if floor else ""
    print(f"  {label:58} median {median:7.1f} ms, p95 {high:7.1f} ms, {queries} queries{ratio}")
    return {"median_ms": round(median, 1), "p95_ms": round(high, 1), "queries": queries}


class RssSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.running = rss_kb(), True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kb())
            time.sleep(0.02)

    def stop(self) -> int:
        self.running = False
        self.join()
        return self.peak


def measure_export(client, path: str) -> dict:
    before = rss_kb()
    sampler = RssSampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path, secure=True)
    size = 0
    for chunk in (response.streaming_content if response.streaming else [response.content]):
        size += len(chunk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = sampler.stop()
    return {"seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "bytes": size,
            "rss_before_mb": round(before / 1024, 1), "rss_peak_above_mb": round((peak - before) / 1024, 1)}


def measure_job(agent, file_format: str, keys: list[str]) -> dict:
    """An export above the threshold as the Celery worker runs it (export_jobs.export_run), in this process:
    the same writers into a file of the private storage (a temporary MEDIA_ROOT)."""
    from django.conf import settings
    from django.utils import timezone

    from esms_portal.backoffice import export_jobs
    from esms_portal.models import ExportJob

    job = ExportJob.objects.create(agent=agent, key=f"bench-{time.time_ns()}", filters={"tab": "tous"},
                                   columns=keys, format=file_format, expires_at=timezone.now())
    before = rss_kb()
    sampler = RssSampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    job = export_jobs.export_run(job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = sampler.stop()
    assert job.state == "done", job.state
    export_jobs.expire_jobs()
    return {"seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "bytes": job.size, "rows": job.rows,
            "rss_before_mb": round(before / 1024, 1), "rss_peak_above_mb": round((peak - before) / 1024, 1),
            "media_root": str(settings.MEDIA_ROOT)}


def bare_export(agent) -> dict:
    from django.db import connection, transaction

    from esms_portal.backoffice.exports import export_values

    sql = export_values({"tab": "tous"}, agent).query.sql_with_params()
    before = rss_kb()
    sampler = RssSampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    rows = 0
    connection.ensure_connection()
    with transaction.atomic(), connection.connection.cursor(name="bare_export") as cursor:  # server-side
        cursor.execute(*sql)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                writer.writerow(row)
                rows += 1
            out.seek(0)
            out.truncate()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = sampler.stop()
    return {"seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "rows": rows,
            "rss_peak_above_mb": round((peak - before) / 1024, 1)}


def openpyxl_export(agent, columns: list[str]) -> dict:
    """The XLSX export as it was before XlsxWriter (openpyxl's write-only workbook, through lxml when
    installed, into a temporary file), on the same rows: a reference measured in the same run."""
    import tempfile

    from openpyxl import Workbook

    from esms_portal.backoffice.exports import table

    before = rss_kb()
    sampler = RssSampler()
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    for row in table({"tab": "tous"}, agent, columns):
        sheet.append(row)
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        size = spool.tell()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = sampler.stop()
    return {"seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "bytes": size,
            "rss_peak_above_mb": round((peak - before) / 1024, 1)}


def main() -> None:  # noqa: PLR0915 (a benchmark, read top to bottom)
    args = arguments(__doc__, cases=100000, organisations=10000, runs=15,
                     reuse=(False, "keep the database when it is already loaded"),
                     skip_exports=(False, "time the pages only"),
                     openpyxl=(False, "also time the former XLSX writer (openpyxl write-only) on the same rows"))
    os.environ.update({"DJANGO_DEBUG": "false", "PORTAL_STAFF_2FA": "false", "PORTAL_CARD_LOGIN_REQUIRED": "false",
                       "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    os.environ.setdefault("DJANGO_STATIC_ROOT", STATIC_ROOT)
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    use_temporary_pki()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    reuse = args.reuse and is_loaded(url)
    if reuse:
        bench_database(url, recreate=False)  # kept, but migrated: the code may have new migrations since
    else:
        bench_database(url)
        started = time.perf_counter()
        load(args.cases, args.organisations, random.Random(7))
        print(f"loaded {args.cases} cases in {time.perf_counter() - started:.1f} s")
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from esms_portal.models import Case, Label, User

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    agent = User.objects.filter(is_staff=True).order_by("pk").first()
    client = Client()
    client.force_login(agent)
    label = Label.objects.order_by("pk").first()
    finess = Case.objects.order_by("pk").values_list("finess", flat=True).first()
    scenarios = [
        ("first page (every type, en cours, oldest first)", ""),
        ("one type, waiting tab", "type=f301&tab=a_prendre"),
        ("region, late, by deadline", "region=84&delay=late&sort=deadline"),
        ("assigned to me, one label", f"assigned=me&label={label.pk}"),
        ("département, min age 30 days, newest first", "departement=69&min_age=30&sort=recent"),
        ("search by a person's name", "q=dupont"),
        ("search by FINESS", f"q={finess}"),
    ]
    results = {"cases": Case.objects.count(), "runs": args.runs, "pages": {}, "exports": {}}
    print(f"{results['cases']} cases; {args.runs} runs per page")
    first_body = ""
    for label_text, query in scenarios:
        floor = statistics.median(bare_page_sql(query, agent, args.runs)) * 1000
        times, queries, body = timed_get(client, f"/back-office/?{query}", args.runs)
        first_body = first_body or body
        results["pages"][label_text] = {**line(label_text, times, queries, floor),
                                        "bare_sql_median_ms": round(floor, 1)}
        print(f"  {'(bare SQL: its rows and counts by a cursor)':58} median {floor:7.1f} ms")
    cursor = first_body.split("cursor=")[1].split('"')[0].replace("&amp;", "&")
    from urllib.parse import unquote

    times, queries, _ = timed_get(client, f"/back-office/?cursor={unquote(cursor)}", args.runs)
    results["pages"]["next page by cursor"] = line("next page by cursor", times, queries)
    if args.skip_exports:
        print(f"results: {write_results('backoffice_queue', results)}")
        return
    keys = ["number", "type", "organisation", "finess", "region", "state", "filed_at", "days", "deadline", "assignee",
            "labels"]
    columns = "&".join(f"columns={key}" for key in keys)
    print("exports of every case (tab=tous):")
    results["exports"]["bare cursor + csv writer"] = bare_export(agent)
    print(f"  bare cursor + csv writer: {results['exports']['bare cursor + csv writer']}")
    # Streamed from the request: the threshold of the background exports raised above the rows for this.
    settings.PORTAL_EXPORT_BACKGROUND_OVER = results["cases"] + 1
    for file_format in ("csv", "xlsx", "ods"):
        found = measure_export(client, f"/back-office/export/?tab=tous&format={file_format}&{columns}")
        results["exports"][file_format] = found
        print(f"  {file_format}: {found}")
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    for file_format in ("csv", "xlsx", "ods"):
        results["exports"][f"{file_format}, background job"] = found = measure_job(agent, file_format, keys)
        print(f"  {file_format}, background job (export_jobs.export_run): {found}")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    if args.openpyxl:
        results["exports"]["xlsx by openpyxl write-only (former writer)"] = found = openpyxl_export(agent, keys)
        print(f"  xlsx by openpyxl write-only (former writer): {found}")
    print(f"results: {write_results('backoffice_queue', results)}")


if __name__ == "__main__":
    main()
