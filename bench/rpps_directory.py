"""Benchmark, not a test: the Annuaire Santé at 2,000,000 professionals in PostgreSQL.

    .venv/bin/python bench/rpps_directory.py [--professionals 2000000] [--queries 300]

The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_rpps; its
name must contain "bench": it is dropped, recreated and migrated). Professionals are loaded with COPY,
one published situation each, on 1,000 sites (one site holds 2,000 of them). Then, for each search
(name prefix, RPPS, site), the same random queries run through `selectors.directory_search` (the ORM
path the page and the API use) and as bare SQL over one cursor: p50/p95 of each and their ratio.
Last, a site's list of 2,000 professionals through `selectors.site_situations`: time and queries.
"""

import io
import os
import random
import statistics
import time
from datetime import date, timedelta

from benchsetup import arguments, bench_database, organisation_with_sites, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_rpps"
SYLLABLES = ["MA", "RO", "LE", "DU", "BER", "NAR", "PE", "TI", "GAR", "MON", "LA", "FON", "CHE", "VA", "LIER",
             "BOU", "SA", "RI", "NO", "DE", "MER", "CIER", "GUE", "RIN", "TEL", "AU", "BRE", "TON", "PI", "COT"]
FIRST = ["JULIE", "MARIE", "PAUL", "LUCAS", "EMMA", "LEA", "HUGO", "CHLOE", "NATHAN", "INES", "LOUIS", "SARAH"]
PROFESSIONS = ["328", "313", "326", "324", "325", "330", "333", "319", "320", "322"]
ROLES = ["GENR08", "GENR09", "GENR10", "GENR11", "GENR12", "GENR13", "GENR99"]
PROFESSIONAL_COLUMNS = (
    "id, rpps, civility, last_name, first_names, birth_date, birth_commune_code, birth_country_code, identity_key, "
    "email, mobile, registered_at, rpps_allocated_at, rpps_emailed_at, ecps_invited_at, created_at, updated_at"
)
SITUATION_COLUMNS = (
    "id, state, created_at, updated_at, paused_for, professional_id, site_id, practice_last_name, "
    "practice_first_name, search_name, profession_code, profession_other, role_code, start_date, origin, "
    "registered_at, published_at"
)


def surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def load(professionals: int, rng: random.Random) -> tuple[list[str], list[str], str]:
    """COPY the professionals and their situations; returns sample RPPS, site FINESS, the big site."""
    from django.db import connection

    from esms_portal.core.identifiers import rpps_with_check_digit
    from rpps_plus.nomenclatures import fold

    _ej, sites = organisation_with_sites("0B9", 1000)
    big, others = sites[0], sites[1:]
    started = time.perf_counter()
    now = "2026-01-01 00:00:00+00"
    people, places = io.StringIO(), io.StringIO()
    numbers = []
    with connection.cursor() as cursor:  # after the demo's own professionals and situations (load_demo)
        cursor.execute("SELECT GREATEST((SELECT MAX(id) FROM rpps_plus_professional), "
                       "(SELECT MAX(id) FROM rpps_plus_situation), 0)")
        offset = cursor.fetchone()[0]
    for n in range(1, professionals + 1):
        rpps = rpps_with_check_digit(f"99{n:08d}")
        last, first = surname(rng), rng.choice(FIRST)
        birth = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
        key = f"{last}|{first}|{birth.isoformat()}|69123|{n}"  # unique: one identity per row
        pk = n + offset
        people.write(f"{pk}\t{rpps}\tMME\t{last}\t{first}\t{birth}\t69123\t\t{key}\tp{n}@example.org\t+33612345678\t"
                     f"{now}\t{now}\t{now}\t{now}\t{now}\t{now}\n")
        site = big if n <= 2000 else rng.choice(others)
        places.write(f"{pk}\tactive\t{now}\t{now}\t0\t{pk}\t{site.pk}\t{last}\t{first}\t{fold(last + ' ' + first)}\t"
                     f"{rng.choice(PROFESSIONS)}\t\t{rng.choice(ROLES)}\t2024-01-01\tbulk\t{now}\t{now}\n")
        if n % 997 == 0:
            numbers.append(rpps)
    with connection.cursor() as cursor:
        for table, columns, rows in (("rpps_plus_professional", PROFESSIONAL_COLUMNS, people),
                                     ("rpps_plus_situation", SITUATION_COLUMNS, places)):
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(rows.getvalue())
        for table in ("rpps_plus_professional", "rpps_plus_situation"):  # the next rows the ORM creates
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        cursor.execute("ANALYZE rpps_plus_professional")
        cursor.execute("ANALYZE rpps_plus_situation")
        cursor.execute("ANALYZE contracts_structure")
    print(f"loaded {professionals:,} professionals and situations in {time.perf_counter() - started:.1f} s")
    return numbers, [s.finess for s in sites], big.finess


BARE = {
    "name": "s.search_name >= %s AND s.search_name < %s",
    "rpps": "p.rpps = %s",
    "site": "s.site_id = (SELECT id FROM contracts_structure WHERE finess = %s)",
}
BARE_SQL = (
    "SELECT s.id, s.practice_last_name, s.practice_first_name, s.profession_code, s.role_code, p.rpps, "
    "st.finess, st.name FROM rpps_plus_situation s JOIN rpps_plus_professional p ON p.id = s.professional_id "
    "JOIN contracts_structure st ON st.id = s.site_id WHERE s.state = 'active' AND s.published_at IS NOT NULL "
    "AND {where} ORDER BY s.search_name, s.id LIMIT 21"
)


def percentiles(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples) * 1000, p95(samples) * 1000


def _bare_parameters(kind: str, value: str) -> list[str]:
    from rpps_plus.selectors import _after_prefix

    return [value, _after_prefix(value)] if kind == "name" else [value]


def measure(kind: str, values: list[str]) -> None:
    from django.db import connection

    from rpps_plus import selectors

    orm, bare = [], []
    with connection.cursor() as cursor:
        for value in values:
            started = time.perf_counter()
            selectors.directory_search(**{kind: value}, limit=20)
            orm.append(time.perf_counter() - started)
            parameters = _bare_parameters(kind, value)
            started = time.perf_counter()
            cursor.execute(BARE_SQL.format(where=BARE[kind]), parameters)
            cursor.fetchall()
            bare.append(time.perf_counter() - started)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + BARE_SQL.format(where=BARE[kind]),
                       _bare_parameters(kind, values[0]))
        plan = "\n    ".join(row[0] for row in cursor.fetchall())
    (o50, o95), (b50, b95) = percentiles(orm), percentiles(bare)
    print(f"{kind:5} ORM p50 {o50:6.2f} ms  p95 {o95:6.2f} ms | bare SQL p50 {b50:6.2f} ms  p95 {b95:6.2f} ms | "
          f"ratio p95 {o95 / b95:4.2f}")
    print(f"    {plan}")


def site_list(finess: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contracts.models import Structure
    from esms_portal.models import Role, RoleGrant, User
    from rpps_plus import selectors

    site = Structure.objects.get(finess=finess)
    user, _ = User.objects.get_or_create(email="rep@bench.example")
    RoleGrant.objects.get_or_create(user=user, role=Role.LEGAL_REPRESENTATIVE, organisation=site.legal_entity)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        rows = [(s.professional.rpps, s.site.name, s.registered_by) for s in selectors.site_situations(user, site)]
        elapsed = time.perf_counter() - started
    print(f"site list: {len(rows):,} professionals in {elapsed * 1000:.0f} ms, {len(queries)} queries")


def sample(limit: int) -> tuple[list[str], list[str], str]:
    """What --reuse measures on: RPPS numbers, the sites' FINESS and the big site of the loaded database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT rpps FROM rpps_plus_professional TABLESAMPLE SYSTEM (1) LIMIT %s", [limit])
        numbers = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT finess FROM contracts_structure WHERE kind = 'EG' ORDER BY finess")
        finesses = [row[0] for row in cursor.fetchall()]
    return numbers, finesses, finesses[0]


def main() -> None:
    args = arguments(__doc__, professionals=2_000_000, queries=300, reuse=(False, "keep the loaded database"))
    bench_database(os.environ.get("DATABASE_URL", DEFAULT_URL), recreate=not args.reuse)
    rng = random.Random(7)
    numbers, finesses, big = sample(2000) if args.reuse else load(args.professionals, rng)
    prefixes = [surname(rng)[: rng.randint(2, 5)] for _ in range(args.queries)]
    measure("name", prefixes)
    measure("rpps", [rng.choice(numbers) for _ in range(args.queries)])
    measure("site", [rng.choice(finesses) for _ in range(args.queries)])
    site_list(big)


if __name__ == "__main__":
    main()
