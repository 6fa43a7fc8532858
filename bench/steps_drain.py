"""Drain benchmark of the timed-step engine (issue [timed-steps], "Performance").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esms_bench_steps \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/4 \
    .venv/bin/python bench/steps_drain.py --steps 100000 --explain-rows 1000000

1. recreates the database (it must be a dedicated one: it is dropped) and flushes the Redis db;
2. bare Celery: publishes N no-op tasks, starts `celery worker -c 2`, times the queue draining;
3. steps, once per --task-batch value (step ids per Celery message, 1 = one message per step):
   inserts N due no-op steps, starts `celery worker -B -c 2` (beat's sweeper claims them), times
   first to last `done_at`, samples the workers' resident size (and reads their peak, VmHWM);
4. fills the table to --explain-rows rows (most done, as in production) and prints the EXPLAIN
   ANALYZE of the sweeper's claim query and of its in-flight count.
Figures go to stdout and bench/results/steps_drain-<time>.json.
"""

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from benchsetup import RESULTS, ROOT, arguments, bench_database, write_results

os.environ.setdefault("DJANGO_DEBUG", "true")  # this script migrates without production secrets
# Workers run without DEBUG, as in production: with it, Django would record every step's queries.
WORKER_ENV = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")  # as in docker-compose.yml

DB_URL = os.environ.get("DATABASE_URL", "")
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CLAIM_SQL_NOTE = "the sweeper's claim query, as claim_due_steps() sends it"


def redis_client():
    import redis

    return redis.Redis.from_url(BROKER_URL)


def start_worker(*, beat: bool, log: Path, env: dict | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "esms_portal", "worker", "-c", "2", "-P", "prefork",
               "-l", "warning", "-I", "bench.noop", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if beat:
        command += ["-B", "--schedule", str(log.with_suffix(".beat"))]
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, **WORKER_ENV, **(env or {})})


def stop_worker(process: subprocess.Popen):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return pids


def memory_kib(pid: int) -> dict:
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Name"):
                fields[key] = value.strip().split()[0] if key != "Name" else value.strip()
    except OSError:
        return {}
    return fields


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class MemorySampler(threading.Thread):
    """Samples the worker tree: resident sizes, peaks (VmHWM) and CPU seconds per process."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.peaks, self.cpu, self.running = pid, [], {}, {}, True

    def run(self):
        while self.running:
            self.sample()
            time.sleep(0.5)

    def sample(self):
        rss = {}
        for pid in process_tree(self.pid):
            info = memory_kib(pid)
            if info:
                rss[pid] = int(info["VmRSS"])
                self.peaks[pid] = max(self.peaks.get(pid, 0), int(info["VmHWM"]))
                self.cpu[pid] = cpu_seconds(pid)
        if rss:
            self.samples.append((time.monotonic(), max(rss.values())))


def bench_bare(n: int, logs: Path) -> dict:
    from esms_portal.celery import app

    client = redis_client()
    client.flushdb()
    started = time.monotonic()
    with app.connection_for_write() as conn, app.producer_or_acquire() as producer:
        for _ in range(n):
            app.send_task("bench.noop", producer=producer, connection=conn)
    published = time.monotonic() - started
    assert client.llen("celery") == n, client.llen("celery")
    worker = start_worker(beat=False, log=logs / "bare.log")
    sampler = MemorySampler(worker.pid)
    try:
        while client.llen("celery") == n:
            time.sleep(0.01)
        t0 = time.monotonic()
        while client.llen("celery") or client.hlen("unacked"):
            time.sleep(0.02)
        elapsed = time.monotonic() - t0
        sampler.sample()
    finally:
        stop_worker(worker)
    return {"tasks": n, "publish_s": round(published, 1), "drain_s": round(elapsed, 2), "per_s": round(n / elapsed),
            "cpu_s_worker_main": round(sampler.cpu.get(worker.pid, 0), 1),
            "cpu_s_pool": round(sum(v for pid, v in sampler.cpu.items() if pid != worker.pid), 1)}


def insert_steps(n: int, *, state: str = "pending", due: str = "now()", offset: int = 0):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from esms_portal.models import ScheduledStep

    content_type = ContentType.objects.get_for_model(ScheduledStep)
    done_at = "now()" if state == "done" else "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO esms_portal_scheduledstep
                (kind, content_type_id, object_id, dedup_key, payload, due_at, state, attempts,
                 last_error, claim_token, done_at, created_at)
            SELECT 'bench.noop', %s, i::text, 'bench.noop:' || i, '{{}}', {due}, %s, 0, '', '', {done_at}, now()
            FROM generate_series(%s, %s) AS i""",
            [content_type.pk, state, offset + 1, offset + n],
        )
        cursor.execute("ANALYZE esms_portal_scheduledstep")


def bench_steps(n: int, task_batch: int, logs: Path) -> dict:
    from django.db import connection
    from django.db.models import Max, Min

    from esms_portal.models import ScheduledStep, StepState

    redis_client().flushdb()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE esms_portal_scheduledstep")
    insert_steps(n)
    worker = start_worker(beat=True, log=logs / f"steps-{task_batch}.log",
                          env={"PORTAL_STEP_TASK_BATCH": str(task_batch)})
    sampler = MemorySampler(worker.pid)
    sampler.start()
    started = time.monotonic()
    open_steps = ScheduledStep.objects.filter(state__in=[StepState.PENDING, StepState.RUNNING])
    try:
        while open_steps.count():  # the partial indexes keep this poll cheap
            if time.monotonic() - started > 3600:
                raise SystemExit("steps did not drain within an hour")
            time.sleep(1)
        sampler.sample()
    finally:
        sampler.running = False
        stop_worker(worker)
    span = ScheduledStep.objects.aggregate(first=Min("done_at"), last=Max("done_at"))
    elapsed = (span["last"] - span["first"]).total_seconds()
    # The largest process's resident size at a quarter, half, three quarters and the end of the drain.
    rss = [kib for _, kib in sampler.samples]
    quarters = [rss[min(len(rss) - 1, len(rss) * q // 4)] for q in (1, 2, 3, 4)]
    return {
        "steps": n,
        "task_batch": task_batch,
        "drain_s": round(elapsed, 2),
        "per_s": round(n / elapsed),
        "wall_s_from_worker_start": round(time.monotonic() - started, 1),
        "rss_mib_at_quarters": [round(kib / 1024, 1) for kib in quarters],
        "rss_peak_mib_per_process": sorted(round(kib / 1024, 1) for kib in sampler.peaks.values()),
        "attempts_over_1": ScheduledStep.objects.filter(attempts__gt=1).count(),
        "cpu_s_worker_main": round(sampler.cpu.get(worker.pid, 0), 1),
        "cpu_s_pool_and_beat": round(sum(v for pid, v in sampler.cpu.items() if pid != worker.pid), 1),
    }


def explain(total_rows: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from esms_portal.models import ScheduledStep, StepState

    have = ScheduledStep.objects.count()
    # Production shape: almost everything done, some pending later, a thousand due now.
    insert_steps(max(total_rows - have - 21_000, 0), state="done", offset=10_000_000)
    insert_steps(20_000, due="now() + interval '10 days'", offset=20_000_000)
    insert_steps(1_000, offset=30_000_000)
    plans = {"rows": ScheduledStep.objects.count()}
    now = timezone.now()
    claim = (
        ScheduledStep.objects.filter(state=StepState.PENDING, due_at__lte=now)
        .order_by("due_at")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:100]
    )
    in_flight = ScheduledStep.objects.filter(state=StepState.RUNNING)
    with transaction.atomic(), connection.cursor() as cursor:
        for name, query in (("claim", claim.query), ("in_flight", in_flight.query)):
            sql, params = query.get_compiler(connection=connection).as_sql()
            if name == "in_flight":
                sql = f"SELECT count(*) FROM ({sql}) AS running"
            shown = cursor.mogrify(sql, params)
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plans[name] = {"sql": shown, "plan": [row[0] for row in cursor.fetchall()]}
        transaction.set_rollback(True)
    return plans


def main():
    args = arguments(
        __doc__, steps=100_000, bare=(0, "bare tasks (default: as many as steps)"), explain_rows=1_000_000,
        task_batch=("1,10", "step ids per Celery message, one steps run per value (default: 1,10)"),
    )
    if not (DB_URL.startswith("postgres") and BROKER_URL.startswith("redis")):
        sys.exit("set DATABASE_URL=postgres://... (dedicated) and CELERY_BROKER_URL=redis://...")

    bench_database(DB_URL)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = {"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
               "database": DB_URL, "broker": BROKER_URL}
    results["bare"] = bench_bare(args.bare or args.steps, RESULTS)
    print("bare Celery no-op:", results["bare"], flush=True)
    results["steps"], results["ratio"] = [], {}
    for task_batch in [int(value) for value in args.task_batch.split(",")]:
        steps = bench_steps(args.steps, task_batch, RESULTS)
        results["steps"].append(steps)
        results["ratio"][task_batch] = round(steps["per_s"] / results["bare"]["per_s"], 2)
        print(f"timed steps, {task_batch} per message:", steps, flush=True)
        print(f"ratio steps/bare, {task_batch} per message:", results["ratio"][task_batch], flush=True)
    if args.explain_rows:
        results["explain"] = explain(args.explain_rows)
        for name in ("claim", "in_flight"):
            print(f"\nEXPLAIN ANALYZE {name} at {results['explain']['rows']} rows:\n{results['explain'][name]['sql']}")
            print("\n".join(results["explain"][name]["plan"]))
    print(f"\nresults: {write_results('steps_drain', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
