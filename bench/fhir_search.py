"""Benchmark, not a test: the FHIR directory (`/fhir/`) over the national dataset.

    .venv/bin/python bench/fhir_search.py                      # load scale 1 (2,000,000 professionals), measure
    .venv/bin/python bench/fhir_search.py --reuse              # measure again on the loaded database
    .venv/bin/python bench/fhir_search.py --scale 0.1 --queries 100   # 200,000 professionals: a quicker look

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/esms_bench_fhir (its name must
contain "bench": dropped, recreated, migrated and loaded with `rpps_plus.national` unless --reuse).
Each search runs `--queries` times with random values through Django's test client (in process,
production settings, middleware and throttle included: the server's time without the network), then
the two baselines of the same run: the existing directory API (`/api/v1/rpps/annuaire/`) on the same
lookup, and the bare SQL of the same lookup on one cursor (the page of professionals, then their
published situations; by name, each professional at his first matching situation in name order).
p50/p95 of each, the queries of one FHIR request, and the ratios.
"""

import os
import random
import statistics
import time
from urllib.parse import urlencode

from benchsetup import arguments, bench_database, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_fhir"
RPPS = "https://rpps.esante.gouv.fr"
REVINCLUDE = {"_revinclude": "PractitionerRole:practitioner"}

BARE_PAGE = {
    "identifier": ("SELECT p.id, p.rpps, p.updated_at FROM rpps_plus_professional p WHERE p.rpps = %s AND EXISTS "
                   "(SELECT 1 FROM rpps_plus_situation s WHERE s.professional_id = p.id AND s.state = 'active' "
                   "AND s.published_at IS NOT NULL) ORDER BY p.id LIMIT 21"),
    "name": ("SELECT p.id, p.rpps, p.updated_at, s.search_name FROM rpps_plus_situation s JOIN "
             "rpps_plus_professional p ON p.id = s.professional_id WHERE s.state = 'active' AND s.published_at IS "
             "NOT NULL AND s.search_name >= %s AND s.search_name < %s AND p.rpps IS NOT NULL AND NOT EXISTS "
             "(SELECT 1 FROM rpps_plus_situation e WHERE e.professional_id = s.professional_id AND e.state = 'active' "
             "AND e.published_at IS NOT NULL AND e.search_name LIKE %s AND (e.search_name < s.search_name OR "
             "(e.search_name = s.search_name AND e.id < s.id))) ORDER BY s.search_name, s.id LIMIT 21"),
}
BARE_ROLES = ("SELECT s.id, s.professional_id, s.site_id, s.practice_last_name, s.practice_first_name, "
              "s.profession_code, s.role_code, s.updated_at FROM rpps_plus_situation s WHERE s.state = 'active' "
              "AND s.published_at IS NOT NULL AND s.professional_id = ANY(%s) ORDER BY s.professional_id, "
              "s.search_name, s.id")


def samples(rng: random.Random, queries: int) -> tuple[list[str], list[str]]:
    """Random RPPS numbers of published professionals, and name prefixes of 2 to 5 letters."""
    from django.db import connection

    from rpps_plus.national import SYLLABLES

    with connection.cursor() as cursor:
        cursor.execute("SELECT rpps FROM rpps_plus_professional TABLESAMPLE SYSTEM (1) WHERE rpps IS NOT NULL "
                       "LIMIT 2000")
        numbers = [row[0] for row in cursor.fetchall()]
    names = ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(queries)]
    return [rng.choice(numbers) for _ in range(queries)], [name[: rng.randint(2, 5)] for name in names]


def timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url, secure=True)  # production settings redirect plain HTTP
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return elapsed


def bare(kind: str, value: str, cursor) -> float:
    from rpps_plus.selectors import _after_prefix

    parameters = [value, _after_prefix(value), f"{value}%"] if kind == "name" else [value]
    started = time.perf_counter()
    cursor.execute(BARE_PAGE[kind], parameters)
    ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(BARE_ROLES, [ids])
    cursor.fetchall()
    return time.perf_counter() - started


def queries_of(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True)
    return len(captured)


def measure(label: str, kind: str, values: list[str], client) -> dict:
    from django.db import connection

    fhir_name, api_name = ("identifier", "rpps") if kind == "identifier" else ("family", "name")
    fhir_urls = [f"/fhir/Practitioner?{urlencode({fhir_name: _fhir(kind, value), **REVINCLUDE})}" for value in values]
    api_urls = [f"/api/v1/rpps/annuaire/?{urlencode({api_name: value})}" for value in values]
    timed_get(client, fhir_urls[0]), timed_get(client, api_urls[0])  # warm up
    fhir = [timed_get(client, url) for url in fhir_urls]
    api = [timed_get(client, url) for url in api_urls]
    with connection.cursor() as cursor:
        sql = [bare(kind, value, cursor) for value in values]
    row = {"search": label, "queries": queries_of(client, fhir_urls[0])}
    for name, times in (("fhir", fhir), ("api", api), ("sql", sql)):
        row[f"{name}_p50"], row[f"{name}_p95"] = statistics.median(times) * 1000, p95(times) * 1000
    return row


def _fhir(kind: str, value: str) -> str:
    return f"{RPPS}|{value}" if kind == "identifier" else value


def explain(prefix: str) -> str:
    """EXPLAIN ANALYZE of the page query the ORM sends for `Practitioner?family=<prefix>`."""
    from django.db import connection

    from rpps_plus.fhir import search

    queryset, order = search.resource_type("Practitioner").build([("family", prefix)])
    queryset = queryset.order_by(*order)[:21]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n    ".join(row[0] for row in cursor.fetchall())
    return plan


def main() -> None:
    args = arguments(__doc__, scale=1.0, queries=300, reuse=(False, "keep the loaded database"))
    bench_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL), recreate=not args.reuse)
    from django.test import Client

    from rpps_plus import api, national
    from rpps_plus.fhir import views

    if not args.reuse:
        started = time.perf_counter()
        written = national.load(args.scale, say=lambda line: print(f"  {line}"))
        print(f"loaded {written} in {time.perf_counter() - started:.0f} s")
    # The benchmark reads in a loop from one address: no throttle (its cache check stays in the path).
    api.DirectoryThrottle.rate = views.FhirThrottle.rate = "100000000/min"
    client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
    numbers, prefixes = samples(random.Random(7), args.queries)
    rows = [measure("identifier (RPPS) + _revinclude", "identifier", numbers, client),
            measure("family prefix + _revinclude", "name", prefixes, client)]
    print("| search | FHIR p50 / p95 | queries | directory API p50 / p95 | bare SQL p50 / p95 | "
          "FHIR/API p95 | FHIR/SQL p95 |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['search']} | {row['fhir_p50']:.1f} / {row['fhir_p95']:.1f} ms | {row['queries']} | "
              f"{row['api_p50']:.1f} / {row['api_p95']:.1f} ms | {row['sql_p50']:.2f} / {row['sql_p95']:.2f} ms | "
              f"{row['fhir_p95'] / row['api_p95']:.2f} | {row['fhir_p95'] / row['sql_p95']:.1f} |")
    print(f"\nEXPLAIN of the page query of Practitioner?family={prefixes[0]}:\n    {explain(prefixes[0])}")


if __name__ == "__main__":
    main()
