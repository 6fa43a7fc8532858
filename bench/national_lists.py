"""Benchmark, not a test: every big list of the portal at national scale, first page and deep page.

    .venv/bin/python bench/national_lists.py                 # load scale 1 (about 10 min), measure
    .venv/bin/python bench/national_lists.py --reuse         # measure again on the loaded database
    .venv/bin/python bench/national_lists.py --scale 0.05 --repeats 10   # a quick look

Database: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/esms_bench_national (its name
must contain "bench": dropped, recreated, migrated and loaded with `rpps_plus.national` unless --reuse).
One organisation is given 5,000 of the cards (its fleet), an ANS agent and that organisation's legal
representative are the readers. Each list is read through Django's test client (in process, production
settings, middleware, serializers or templates included): its first page, then the page that starts
10,000 pages in (`--deep`; the last page when the list is shorter), whose cursor is taken beforehand.
Median and p95 over `--repeats` readings, and the queries of one reading.
"""

import os
import statistics
import time
from urllib.parse import quote

from benchsetup import arguments, bench_database, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_national"
FLEET = 5000


def readers():
    """The agent, and the legal representative of the first EJ, which holds FLEET cards."""
    from django.db import connection

    from cards.models import Card
    from contracts.models import Structure
    from esms_portal.models import Role, RoleGrant, User

    organisation = Structure.objects.filter(kind="EJ").order_by("finess").first()
    agent, _ = User.objects.get_or_create(email="agent@bench.example", defaults={"is_staff": True})
    representative, _ = User.objects.get_or_create(email="representant@bench.example")
    RoleGrant.objects.get_or_create(user=representative, role=Role.LEGAL_REPRESENTATIVE, organisation=organisation)
    if Card.objects.filter(organisation=organisation).count() < FLEET:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cards_card SET organisation_id = %s WHERE id IN "
                "(SELECT id FROM cards_card TABLESAMPLE SYSTEM (1) LIMIT %s)", [organisation.pk, FLEET])
            cursor.execute("ANALYZE cards_card")
    return agent, representative, organisation


def lists(agent, representative, organisation):
    """(label, reader, URL, queryset of the same list for the deep cursor, page size)."""
    from cards import ui_selectors
    from contracts.selectors import structure_list
    from rpps_plus import selectors

    return [
        ("API cards, agent (all cards)", agent, "/api/v1/cards/", ui_selectors.card_list(agent), 50),
        ("API cards, organisation's fleet", representative, f"/api/v1/cards/?organisation={organisation.pk}",
         ui_selectors.card_list(representative, organisation_id=organisation.pk), 50),
        ("API situations, agent (all professionals)", agent, "/api/v1/rpps/situations/",
         selectors.situations_list(agent), 50),
        ("API structures, agent", agent, "/api/v1/structures/", structure_list(user=agent), 50),
        ("API directory, name=M", None, "/api/v1/rpps/annuaire/?name=M", selectors.directory_entries(name="M"), 20),
        ("page directory, name=M", None, "/rpps/annuaire/?name=M", selectors.directory_entries(name="M"), 20),
        ("page organisation picker, agent", agent, "/cartes/", ui_selectors.organisations_with_cards(agent), 25),
        ("page fleet, organisation", representative, f"/cartes/?organisation={organisation.pk}",
         ui_selectors.card_list(representative, organisation_id=organisation.pk), 25),
    ]


def deep_cursor(queryset, size: int, pages: int) -> tuple[str, int]:
    """The cursor of page `pages` + 1 (or of the last page) and that page's number."""
    from esms_portal.core import keyset

    order = keyset.ordering_of(queryset)
    queryset = queryset.order_by(*order)
    total_before = pages * size
    row = queryset[total_before - 1: total_before].first()
    if row is None:  # shorter list: its last page
        count = queryset.count()
        total_before = max(size, (count - 1) // size * size)
        row = queryset[total_before - 1: total_before].first()
    return keyset.cursor_after(queryset, row), total_before // size + 1


def time_page(client, url: str, repeats: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, secure=True)  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, secure=True)
    return statistics.median(times) * 1000, p95(times) * 1000, len(queries)


def main() -> None:
    args = arguments(__doc__, scale=1.0, repeats=20, deep=10_000, reuse=(False, "keep the loaded database"))
    os.environ.setdefault("PORTAL_DIRECTORY_PAGE_RATE", "100000/m")  # the bench reads the page in a loop
    # The lists themselves, not the caches in front of them: the bench reads one URL 20 times, which
    # the public and page caches would answer from Redis after the first reading (0 or 1 query);
    # a visitor paging through a national list mostly asks for pages nobody asked for just before.
    os.environ.setdefault("PORTAL_PUBLIC_CACHE_SECONDS", "0")
    os.environ.setdefault("PORTAL_PAGE_CACHE_SECONDS", "0")
    bench_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL), recreate=not args.reuse)
    from django.conf import settings
    from django.test import Client

    from rpps_plus import national

    if not args.reuse:
        started = time.perf_counter()
        written = national.load(args.scale, say=lambda line: print(f"  {line}"))
        print(f"loaded {written} in {time.perf_counter() - started:.0f} s")
    # Production settings, but no collectstatic here: plain static storage for the templates.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    agent, representative, organisation = readers()
    print("| list | first page median / p95 | deep page | deep page median / p95 | queries |")
    print("|---|---|---|---|---|")
    for label, reader, url, queryset, size in lists(agent, representative, organisation):
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.1")
        if reader is not None:
            client.force_login(reader)
        first = time_page(client, url, args.repeats)
        cursor, number = deep_cursor(queryset, size, args.deep)
        separator = "&" if "?" in url else "?"
        deep = time_page(client, f"{url}{separator}cursor={quote(cursor)}", args.repeats)
        print(f"| {label} | {first[0]:.1f} / {first[1]:.1f} ms | {number:,} | {deep[0]:.1f} / {deep[1]:.1f} ms | "
              f"{first[2]} / {deep[2]} |", flush=True)


if __name__ == "__main__":
    main()
