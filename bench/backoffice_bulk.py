"""Benchmark, not a test: a bulk acceptance of 500 adhesion contracts in PostgreSQL (back office).

    CELERY_BROKER_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/backoffice_bulk.py [--cases 500] [--runs 3]

The database comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_bulk; its name
must contain "bench": it is dropped, recreated and migrated); the broker's Redis database is flushed. `cases × runs`
EJs are loaded, each with a contract in instruction, indexed in the back office's queue (written in bulk, as an agent
would have taken them).

Each run accepts `cases` of them with one background job, as production runs it: `celery -A esms_portal worker
-c <cores>` started by this script (warmed up by a first small job), the job's message sent, the time taken until
the job is done. The workers cut it into chunks of 20 cases; per case the contract's own service (lock,
permission, guards, transition, the attestation rendered and its hash in the audit row, the case index, the
notification and the mail, webhooks) in the case's own transaction with its mark; per chunk the onboarding
tracker's refresh. Baseline in the same run: `cases` bare UPDATEs of the same table, one transaction each, from
this process. Last, the SQL queries of the cases of one more chunk, run in this process (counted, not timed).
`--in-process` also times each run's job on one process, in this one (`bulk_run`), as before the workers.
Goal: 500 cases in under 60 s.
"""

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchsetup import ROOT, arguments, bench_database, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_bulk"
DEFAULT_BROKER = "redis://127.0.0.1:6379/15"
QUERY_SAMPLE = 20  # cases of one more chunk, whose queries are counted (not timed)
WARM_UP = 40  # cases of the first job, two chunks: every worker process imports and renders once


def load(count: int):
    from django.utils import timezone

    from contracts.models import Contract, Structure
    from esms_portal.backoffice.cases import backfill
    from esms_portal.models import Role, RoleGrant, User

    agent = User.objects.create(email="agent@bench.example", first_name="Agent", last_name="Bench", is_staff=True)
    users = User.objects.bulk_create([User(email=f"rl{n}@bench.example") for n in range(count)])
    ejs = []
    for n in range(count):
        ej = Structure(kind="EJ", finess=f"0B{n:07d}", name=f"Organisme {n}", region="84", departement="69")
        ej.legal_entity = ej
        ejs.append(ej)
    Structure.objects.bulk_create(ejs)
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
                                   for u, ej in zip(users, ejs, strict=True)])
    submitted = timezone.now() - timedelta(days=8)
    contracts = Contract.objects.bulk_create([Contract(
        organisation=ej, contracting_structure=ej, created_by=u, state="in_instruction", agent=agent,
        submitted_at=submitted, cgu_version="1", cgu_accepted_at=submitted, representative_last_name="Martin",
        representative_first_names="Alice", representative_email=u.email, capacity="director")
        for u, ej in zip(users, ejs, strict=True)])
    backfill()  # the queue's cases, as the acts before acceptance wrote them
    return agent, [c.pk for c in contracts]


def new_job(agent, pks: list):
    from esms_portal.models import BulkJob

    return BulkJob.objects.create(agent=agent, act="accept", refs=[f"contrats:{pk}" for pk in pks],
                                  idempotency_key=f"bench-{pks[0]}", background=True)


def checked(job, count: int) -> None:
    from esms_portal.backoffice.bulk import report

    done = report(job)
    assert (done.done, done.skipped) == (count, 0), [c.reason for c in done.skipped_cases][:3]


def on_workers(agent, pks: list, worker) -> float:
    """The job sent as the agent's request sends it; seconds until it is done."""
    from esms_portal.backoffice.bulk import RUN_TASK
    from esms_portal.celery import app
    from esms_portal.models import BulkJob

    job = new_job(agent, pks)
    start = time.perf_counter()
    app.send_task(RUN_TASK, args=[str(job.pk)])
    while BulkJob.objects.filter(pk=job.pk).values_list("state", flat=True).get() != "done":
        if worker.poll() is not None:
            sys.exit(f"the worker stopped: see {worker.log}")
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    checked(job, len(pks))
    return elapsed


def in_process(agent, pks: list) -> float:
    from esms_portal.backoffice.bulk import bulk_run

    job = new_job(agent, pks)
    start = time.perf_counter()
    bulk_run(job.pk)
    elapsed = time.perf_counter() - start
    checked(job, len(pks))
    return elapsed


def queries_per_case(agent, pks: list) -> float:
    """The queries of one chunk as a worker runs it, over its cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from esms_portal.backoffice.bulk import bulk_run_chunk

    job = new_job(agent, pks)
    with CaptureQueriesContext(connection) as queries:
        bulk_run_chunk(job.pk, 0, len(pks))
    checked(job, len(pks))
    return round(len(queries) / len(pks), 1)


def bare_updates(pks: list) -> float:
    from django.db import connection, transaction

    start = time.perf_counter()
    for pk in pks:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE contracts_contract SET updated_at = now() WHERE id = %s", [pk])
    return time.perf_counter() - start


def start_worker(concurrency: int, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "esms_portal", "worker", "-c", str(concurrency), "-P", "prefork",
               "-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    env = {**os.environ, "DJANGO_DEBUG": "false", "DATABASE_CONN_MAX_AGE": "60"}  # as in docker-compose.yml
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   env=env)
    process.log = log
    return process


def tree_cpu_seconds(pid: int) -> float:
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            todo += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main():
    args = arguments(__doc__, cases=500, runs=3, workers=(os.cpu_count() or 2, "worker processes (-c)"),
                     in_process=(False, "also time each run's job on one process, in this one"))
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["PORTAL_PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-bulk-")
    os.environ.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER)
    if not os.environ["CELERY_BROKER_URL"].startswith("redis://"):
        sys.exit("CELERY_BROKER_URL: a Redis database of the bench's own (it is flushed)")
    bench_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
    per_run = args.cases * (2 if args.in_process else 1)
    agent, pks = load(per_run * args.runs + WARM_UP + QUERY_SAMPLE)
    results = {"cases": args.cases, "runs": args.runs, "workers": args.workers,
               "queries_per_case": queries_per_case(agent, pks[-QUERY_SAMPLE:])}
    log = Path(tempfile.mkdtemp(prefix="bench-bulk-worker-")) / "worker.log"
    worker = start_worker(args.workers, log)
    try:
        warm = on_workers(agent, pks[-QUERY_SAMPLE - WARM_UP:-QUERY_SAMPLE], worker)
        print(f"warm-up: {WARM_UP} cases in {warm:.2f} s (worker start-up included)", flush=True)
        bulk, bare, alone, cpu = [], [], [], []
        for run in range(args.runs):
            chunk = pks[run * per_run:(run + 1) * per_run]
            bare.append(bare_updates(chunk[:args.cases]))
            before = tree_cpu_seconds(worker.pid)
            bulk.append(on_workers(agent, chunk[:args.cases], worker))
            cpu.append(tree_cpu_seconds(worker.pid) - before)
            line = (f"run {run + 1}: bulk accept on {args.workers} workers {bulk[-1]:.2f} s "
                    f"(workers' CPU {cpu[-1]:.1f} s), bare updates {bare[-1]:.3f} s")
            if args.in_process:
                alone.append(in_process(agent, chunk[args.cases:]))
                line += f", one process {alone[-1]:.2f} s"
            print(line + f", load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    results.update(bulk_accept_s=statistics.median(bulk), bare_updates_s=statistics.median(bare),
                   workers_cpu_s=statistics.median(cpu), load_average=os.getloadavg())
    results["per_case_ms"] = 1000 * results["bulk_accept_s"] / args.cases
    results["cpu_per_case_ms"] = 1000 * results["workers_cpu_s"] / args.cases
    results["ratio"] = results["bulk_accept_s"] / results["bare_updates_s"]
    if alone:
        results["one_process_s"] = statistics.median(alone)
    print(f"median of {args.runs}: {args.cases} cases accepted in {results['bulk_accept_s']:.2f} s on "
          f"{args.workers} workers ({results['per_case_ms']:.1f} ms a case, {results['cpu_per_case_ms']:.0f} ms of "
          f"workers' CPU a case); bare UPDATEs {results['bare_updates_s']:.3f} s; ratio {results['ratio']:.0f}; "
          f"{results['queries_per_case']:g} queries a case; "
          f"goal under 60 s: {'met' if results['bulk_accept_s'] < 60 else 'NOT met'}")
    print(write_results("backoffice_bulk", results))


if __name__ == "__main__":
    main()
