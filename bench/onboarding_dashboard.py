"""Benchmark, not a test: the agents' onboarding dashboard over 40,000 organisations in PostgreSQL.

    .venv/bin/python bench/onboarding_dashboard.py [--organisations 40000] [--runs 15] [--reuse]

The database comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_onboarding;
its name must contain "bench": it is dropped, recreated and migrated, unless --reuse finds it loaded). Each EJ
has 2 sites and a legal representative; the later steps thin out as organisations progress (contract 80 %, F101
70 %, active director's card 60 %, mandataire 40 %, technical administrator 30 %, the 3 certificates 20 %,
gestionnaire 25 %, 3 professionals 15 %), with dates spread over a year. The loader writes in bulk (no signals),
so the progress rows are then rebuilt once (`refresh_onboarding`, timed apart), and the table-backed figures are
checked equal to the live ones. Then, in the same run, `--runs` times each: the live computation
(`live_figures`, the previous implementation: the baseline), the dashboard (`figures`, over the progress rows),
and a bare SQL aggregate over the progress table (the floor), nationally and for one region: median, p95 and
queries. Last, what an act adds: the refresh of one EJ's row. Goal: under 500 ms nationally.
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

from benchsetup import arguments, bench_database, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_onboarding"
REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]


def load(count: int, rng: random.Random) -> None:  # noqa: PLR0915 (a loader, read top to bottom)
    from django.db import connection

    from cards.models import Card, DirectorCardOrder
    from certificates.models import CertificateOrder, TechnicalAdministrator
    from contracts.models import Contract, Structure
    from esms_portal.models import IssuedCertificate, Role, RoleGrant, User
    from rpps_plus.models import Professional, Situation

    batch = 5000
    users = User.objects.bulk_create([User(email=f"rl{n}@bench.example", first_name="Rep", last_name=f"N{n}")
                                      for n in range(count)], batch_size=batch)
    ejs = []
    for n in range(count):
        region = rng.choice(REGIONS)
        ej = Structure(kind="EJ", finess=f"0B{n:07d}", name=f"Organisme {n}", region=region,
                       departement=f"{rng.randint(1, 95):02d}")
        ej.legal_entity = ej
        ejs.append(ej)
    Structure.objects.bulk_create(ejs, batch_size=batch)
    sites = Structure.objects.bulk_create(
        [Structure(kind="EG", finess=f"1B{n:07d}", name=f"Site {n}", legal_entity=ejs[n // 2],
                   region=ejs[n // 2].region, departement=ejs[n // 2].departement) for n in range(2 * count)],
        batch_size=batch)
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
                                   for u, ej in zip(users, ejs, strict=True)], batch_size=batch)
    share = {name: int(count * p) for name, p in (("contract", .8), ("f101", .7), ("card", .6), ("mandate", .4),
                                                   ("admin", .3), ("certs", .2), ("gestion", .25), ("pros", .15))}
    Contract.objects.bulk_create([Contract(organisation=ej, contracting_structure=ej, created_by=users[n],
                                           state="accepted") for n, ej in enumerate(ejs[:share["contract"]])],
                                 batch_size=batch)
    DirectorCardOrder.objects.bulk_create([DirectorCardOrder(
        organisation=ej, filed_by=users[n], holder=users[n], family="CDE", state="accepted", holder_last_name="N",
        holder_first_names="Rep", delivery_address="1 rue A") for n, ej in enumerate(ejs[:share["f101"]])],
        batch_size=batch)
    Card.objects.bulk_create([Card(
        family="CDE", holder=users[n], holder_last_name="N", holder_first_names="Rep", national_id=f"3BENCH{n}",
        organisation=ej, ordered_through="F101", state="active") for n, ej in enumerate(ejs[:share["card"]])],
        batch_size=batch)
    RoleGrant.objects.bulk_create([RoleGrant(user=users[(n + 1) % count], role=Role.MANDATAIRE, organisation=ej)
                                   for n, ej in enumerate(ejs[:share["mandate"]])], batch_size=batch)
    RoleGrant.objects.bulk_create([RoleGrant(user=users[(n + 2) % count], role=Role.GESTIONNAIRE_RPPS,
                                             organisation=ej) for n, ej in enumerate(ejs[:share["gestion"]])],
                                  batch_size=batch)
    TechnicalAdministrator.objects.bulk_create([TechnicalAdministrator(organisation=ej, user=users[n],
                                                                       granted_by_form="F413")
                                                for n, ej in enumerate(ejs[:share["admin"]])], batch_size=batch)
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    issued, orders = [], []
    for n, ej in enumerate(ejs[:share["certs"]]):
        for i, profile in enumerate(("ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI")):
            key = f"{n}-{i}"
            issued.append(IssuedCertificate(authority="organisations", serial=key, profile=profile, subject="CN=x",
                                            common_name="DUI", holder_id=f"1{ej.finess}", der=b"x",
                                            not_before=now - timedelta(days=400), not_after=now + timedelta(days=700),
                                            fingerprint_sha256=key))
    IssuedCertificate.objects.bulk_create(issued, batch_size=batch)
    for k, certificate in enumerate(issued):
        orders.append(CertificateOrder(organisation=ejs[k // 3], ordered_by=users[k // 3], profile=certificate.profile,
                                       software_name="DUI", common_name="DUI", method="csr", certificate=certificate))
    CertificateOrder.objects.bulk_create(orders, batch_size=batch)
    professionals = Professional.objects.bulk_create([Professional(
        civility="MME", last_name=f"P{n}", first_names="Ana", birth_date=date(1980, 1, 1), birth_commune_code="69123",
        identity_key=f"P{n}", email="p@example.org", mobile="0600000000") for n in range(3 * share["pros"])],
        batch_size=batch)
    Situation.objects.bulk_create([Situation(
        professional=p, site=sites[2 * (n // 3)], practice_last_name=f"P{n}", practice_first_name="Ana",
        profession_code="326", role_code="GENR10", start_date=date(2026, 1, 1), registered_at=now, state="active")
        for n, p in enumerate(professionals)], batch_size=batch)
    # Dates spread over a year, each step after the previous one (auto_now_add wrote "now" above).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE contracts_structure SET created_at = now() - interval '400 days'")
        cursor.execute("UPDATE contracts_contract SET submitted_at = now() - interval '350 days' + random() * "
                       "interval '30 days', decided_at = now() - interval '300 days' + random() * interval '30 days'")
        cursor.execute("UPDATE cards_directorcardorder SET decided_at = now() - interval '260 days' + random() * "
                       "interval '20 days'")
        cursor.execute("UPDATE cards_card SET activated_at = now() - interval '240 days' + random() * "
                       "interval '20 days', expires_at = now() + interval '800 days'")
        cursor.execute("UPDATE esms_portal_rolegrant SET granted_at = now() - interval '200 days' + random() * "
                       "interval '100 days' WHERE role <> 'legal_representative'")
        cursor.execute("UPDATE certificates_technicaladministrator SET granted_at = now() - interval '180 days' + "
                       "random() * interval '40 days'")
        cursor.execute("UPDATE esms_portal_issuedcertificate SET issued_at = now() - interval '120 days' + "
                       "random() * interval '60 days'")
        cursor.execute("ANALYZE")


def is_loaded(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT COUNT(*) FROM contracts_structure").fetchone()[0] > 0
    except psycopg.Error:
        return False


def timed(function, runs: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            function()
        times.append(time.perf_counter() - start)
    return times, len(captured)


def bare_aggregate(region: str = "") -> None:
    """The floor: one scan of the progress table counting and taking one median, no Python around it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT step, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
            "contract_at - finess_at)) FROM esms_portal_onboardingprogress WHERE %s = '' OR region = %s "
            "GROUP BY step", [region, region])
        cursor.fetchall()


def summary(found) -> tuple:
    return (found.total, found.complete, [(s.current, s.done, s.median) for s in found.steps],
            [(r["id"], r["step"].key, r["since"]) for r in found.oldest])


def report(label: str, times: list[float], queries: int | None, baseline: float | None = None) -> float:
    median = statistics.median(times)
    ratio = f", {median / baseline:.1f}x the bare aggregate" if baseline else ""
    counted = "" if queries is None else f", {queries} queries"
    print(f"  {label}: median {median * 1000:.1f} ms, p95 {p95(times) * 1000:.1f} ms{counted}{ratio}")
    return median


def main() -> None:
    args = arguments(__doc__, organisations=40000, runs=15,
                     reuse=(False, "keep the database when it is already loaded"))
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    reuse = args.reuse and is_loaded(url)
    bench_database(url, recreate=not reuse)
    if not reuse:
        started = time.perf_counter()
        load(args.organisations, random.Random(9))
        print(f"loaded {args.organisations} organisations in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    from esms_portal.models import OnboardingProgress
    from esms_portal.onboarding import dashboard, progress

    started = time.perf_counter()
    rebuilt = progress.refresh()
    print(f"rebuilt {rebuilt} progress rows in {time.perf_counter() - started:.1f} s (refresh_onboarding)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE esms_portal_onboardingprogress")
    found = dashboard.figures()
    assert summary(found) == summary(dashboard.live_figures()), "the table and the live figures differ"
    print("step | at this step | done | median days | documents' days   (table == live: checked)")
    for step in found.steps:
        print(f"{step.milestone.number}. {step.milestone.key} | {step.current} | {step.done} | {step.median_days} | "
              f"{step.expected_days}")
    for label, region in (("national", ""), ("region 84", "84")):
        print(f"{label}, {args.runs} runs:")
        floor = report("bare SQL aggregate over the table", *timed(lambda r=region: bare_aggregate(r), args.runs))
        report("live join (previous dashboard, baseline)",
               *timed(lambda r=region: dashboard.live_figures(region=r), args.runs), baseline=floor)
        report("dashboard over the progress table", *timed(lambda r=region: dashboard.figures(region=r), args.runs),
               baseline=floor)
    ids = list(OnboardingProgress.objects.order_by("?").values_list("pk", flat=True)[:args.runs * 4])
    times = []
    for pk in ids:
        started = time.perf_counter()
        progress.refresh([pk])
        times.append(time.perf_counter() - started)
    print(f"one EJ's refresh after an act, {len(ids)} EJs:")
    report("progress.refresh([ej])", times, None)


if __name__ == "__main__":
    main()
