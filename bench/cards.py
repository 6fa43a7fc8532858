"""Benchmark, not a test: the cards app on PostgreSQL.

    .venv/bin/python bench/cards.py [--cards 1000000] [--due 10000] [--fleet 5000] [--runs 3]

1. Renewal sweep (R-CRD-8): a fleet of `--cards` active cards of which `--due` expire within the
   month; `cards.services.schedule_due_renewals()` must plan each due renewal once (a second sweep
   plans nothing). Baseline of the same run: the bare SQL SELECT of the due card ids.
2. Fleet page: one organisation with `--fleet` cards; GET /cartes/?organisation=... as its legal
   representative through Django's test client: queries counted, median and p95 time; baseline the
   bare SQL count + first page of the same rows.

The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_cards),
created and migrated when missing; its cards and steps are truncated first. Goals (issue #5):
sweep < 30 s; fleet page < 200 ms, constant queries.
"""

import os
import statistics
import time

from benchsetup import arguments, configure_django, create_and_migrate_database, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_cards"


def organisation(finess_number: int, name: str):
    from contracts.models import Structure, StructureKind
    from esms_portal.core.identifiers import finess_with_check_digit

    finess = finess_with_check_digit(f"0B{finess_number:06d}")
    ej = Structure.objects.filter(finess=finess).first()
    if ej is None:
        ej = Structure(finess=finess, kind=StructureKind.EJ, name=name, departement="69", region="84")
        ej.legal_entity = ej  # an EJ is its own tenant
        ej.save()
    return ej


def fill_fleet(cards: int, due: int) -> None:
    """`cards` active cards in one SQL statement; the last `due` expire within 20 days."""
    from django.db import connection

    from esms_portal.models import User

    holder, _ = User.objects.get_or_create(email="porteur@bench.example")
    org = organisation(900001, "BENCH FLOTTE NATIONALE")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cards_card CASCADE")
        cursor.execute("TRUNCATE esms_portal_scheduledstep")
        cursor.execute(
            """
            INSERT INTO cards_card (id, state, family, is_test, holder_id, holder_last_name, holder_first_names,
                title, national_id, organisation_id, ordered_through, delivery_address, make_mandataire,
                activated_at, valid_from, expires_at, opposition_reason, certificate_serial, chip_key,
                pin_hash, pin_tries_left, created_at, updated_at)
            SELECT gen_random_uuid(), 'active', 'CPE', false, %(holder)s, 'PORTEUR', 'N' || n, 'Agent',
                '3' || %(finess)s || '/CPET' || lpad(n::text, 7, '0'), %(org)s, 'F301', '', false,
                now() - interval '1 year', now() - interval '1 year',
                CASE WHEN n > %(cards)s - %(due)s THEN now() + (n %% 20 + 1) * interval '1 day'
                     ELSE now() + interval '40 days' + (n %% 900) * interval '1 day' END,
                '', '', ''::bytea, '', 3, now(), now()
            FROM generate_series(1, %(cards)s) AS n
            """,
            {"holder": holder.pk, "finess": org.finess, "org": org.pk, "cards": cards, "due": due},
        )
        cursor.execute("ANALYZE cards_card")


def bare_due_select() -> float:
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.expires_at FROM cards_card c LEFT JOIN cards_card r ON r.renewal_of_id = c.id "
            "WHERE c.state = 'active' AND c.expires_at <= now() + interval '30 days' AND r.id IS NULL"
        )
        cursor.fetchall()
    return time.perf_counter() - start


def bench_sweep(args) -> None:
    from django.db import connection

    from cards.services import schedule_due_renewals

    sweeps, again, bare = [], [], []
    for run in range(args.runs):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE esms_portal_scheduledstep")
        bare.append(bare_due_select())
        start = time.perf_counter()
        planned = schedule_due_renewals()
        sweeps.append(time.perf_counter() - start)
        assert planned == args.due, f"planned {planned}, expected {args.due}"
        start = time.perf_counter()
        assert schedule_due_renewals() == 0, "a second sweep planned again"
        again.append(time.perf_counter() - start)
        print(f"run {run + 1}: sweep {sweeps[-1]:.2f} s ({planned} planned), second sweep {again[-1]:.2f} s, "
              f"bare SELECT {bare[-1]:.3f} s")
    median = statistics.median(sweeps)
    print(f"renewal sweep over {args.cards:,} cards, {args.due:,} due: median {median:.2f} s "
          f"(goal < 30 s), second sweep {statistics.median(again):.2f} s, bare SELECT "
          f"{statistics.median(bare):.3f} s, ratio sweep/bare {median / statistics.median(bare):.1f}x")


def bench_fleet(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from esms_portal.models import Role, RoleGrant, User

    try:
        url = reverse("cards:fleet")
    except NoReverseMatch:
        print("fleet page: no URL cards:fleet yet, skipped")
        return
    org = organisation(900002, "BENCH ORGANISATION 5000 CARTES")
    representative, _ = User.objects.get_or_create(email="representant@bench.example")
    RoleGrant.objects.get_or_create(user=representative, role=Role.LEGAL_REPRESENTATIVE, organisation=org)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cards_card WHERE organisation_id = %s", [org.pk])
        cursor.execute(
            """
            INSERT INTO cards_card (id, state, family, is_test, holder_id, holder_last_name, holder_first_names,
                title, national_id, organisation_id, ordered_through, delivery_address, make_mandataire,
                expires_at, opposition_reason, certificate_serial, chip_key, pin_hash, pin_tries_left,
                created_at, updated_at)
            SELECT gen_random_uuid(), (ARRAY['active','ordered','delivered','opposed'])[n %% 4 + 1], 'CPE', false,
                %(holder)s, 'NOM' || n, 'Prénom', 'Agent', '3' || %(finess)s || '/CPET' || lpad(n::text, 5, '0'),
                %(org)s, 'F301', '', false, now() + (n %% 1000) * interval '1 day', '', '', ''::bytea, '', 3,
                now(), now()
            FROM generate_series(1, %(fleet)s) AS n
            """,
            {"holder": representative.pk, "finess": org.finess, "org": org.pk, "fleet": args.fleet},
        )
        cursor.execute("ANALYZE cards_card")
    from django.conf import settings

    # Production settings, but no collectstatic here: plain static storage for the templates.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(representative)
    page = f"{url}?organisation={org.pk}"
    client.get(page, secure=True)  # warm up
    times, bare = [], []
    for _ in range(30):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cards_card WHERE organisation_id = %s", [org.pk])
            cursor.execute(
                "SELECT * FROM cards_card WHERE organisation_id = %s ORDER BY holder_last_name LIMIT 50", [org.pk]
            )
            cursor.fetchall()
        bare.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(page, secure=True)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    print(f"fleet page, {args.fleet:,} cards: {len(queries)} queries, median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {p95(times) * 1000:.0f} ms (goal < 200 ms); bare SQL {statistics.median(bare) * 1000:.1f} ms")


def main() -> None:
    args = arguments(__doc__, cards=1_000_000, due=10_000, fleet=5_000, runs=3)
    configure_django(os.environ.get("DATABASE_URL", DEFAULT_URL))
    create_and_migrate_database()
    start = time.perf_counter()
    fill_fleet(args.cards, args.due)
    print(f"fleet of {args.cards:,} cards written in {time.perf_counter() - start:.1f} s")
    bench_sweep(args)
    bench_fleet(args)


if __name__ == "__main__":
    main()
