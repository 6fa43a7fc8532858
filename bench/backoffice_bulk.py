"""Benchmark, not a test: a bulk acceptance of 500 adhesion contracts in PostgreSQL (back office).

    .venv/bin/python bench/backoffice_bulk.py [--cases 500] [--runs 3]

The database comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_bulk; its name
must contain "bench": it is dropped, recreated and migrated). `cases × runs` EJs are loaded, each with a contract
in instruction (written in bulk, as an agent would have taken them). Each run accepts `cases` of them with one bulk
job, run as the Celery worker runs it (`bulk_run`, in this process): per case the contract's own service
(lock, permission, guards, transition, audit row, the onboarding listener, the decision mail, to locmem here) in
the case's own transaction, and its done mark. Baseline in the same run: `cases` bare UPDATEs of the same table,
one transaction each. Goal: 500 cases in under 60 s.
"""

import os
import statistics
import time
from datetime import timedelta

from benchsetup import arguments, bench_database, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_bulk"
QUERY_SAMPLE = 20  # cases of one more job, whose queries are counted (not timed)


def load(count: int):
    from django.utils import timezone

    from contracts.models import Contract, Structure
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
    return agent, [c.pk for c in contracts]


def bulk_accept(agent, pks: list) -> float:
    from esms_portal.backoffice.bulk import bulk_run, report
    from esms_portal.models import BulkJob

    job = BulkJob.objects.create(agent=agent, act="accept", refs=[f"contrats:{pk}" for pk in pks],
                                 idempotency_key=f"bench-{pks[0]}", background=True)
    start = time.perf_counter()
    bulk_run(job.pk)
    elapsed = time.perf_counter() - start
    done = report(job)
    assert (done.done, done.skipped) == (len(pks), 0), [c.reason for c in done.skipped_cases][:3]
    return elapsed


def queries_per_case(agent, pks: list) -> float:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        bulk_accept(agent, pks)
    return round(len(queries) / len(pks), 1)


def bare_updates(pks: list) -> float:
    from django.db import connection, transaction

    start = time.perf_counter()
    for pk in pks:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE contracts_contract SET updated_at = now() WHERE id = %s", [pk])
    return time.perf_counter() - start


def main():
    args = arguments(__doc__, cases=500, runs=3)
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    bench_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    agent, pks = load(args.cases * args.runs + QUERY_SAMPLE)
    bulk, bare = [], []
    for run in range(args.runs):
        chunk = pks[run * args.cases:(run + 1) * args.cases]
        bare.append(bare_updates(chunk))
        bulk.append(bulk_accept(agent, chunk))
        print(f"run {run + 1}: bulk accept {bulk[-1]:.2f} s, bare updates {bare[-1]:.3f} s", flush=True)
    results = {"queries_per_case": queries_per_case(agent, pks[-QUERY_SAMPLE:]), "cases": args.cases,
               "runs": args.runs, "bulk_accept_s": statistics.median(bulk), "bare_updates_s": statistics.median(bare)}
    results["per_case_ms"] = 1000 * results["bulk_accept_s"] / args.cases
    results["ratio"] = results["bulk_accept_s"] / results["bare_updates_s"]
    print(f"median of {args.runs}: {args.cases} cases accepted in {results['bulk_accept_s']:.2f} s "
          f"({results['per_case_ms']:.1f} ms a case); bare UPDATEs {results['bare_updates_s']:.3f} s; "
          f"ratio {results['ratio']:.0f}; {results['queries_per_case']:g} queries a case; "
          f"goal under 60 s: {'met' if results['bulk_accept_s'] < 60 else 'NOT met'}")
    print(write_results("backoffice_bulk", results))


if __name__ == "__main__":
    main()
