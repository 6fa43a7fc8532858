"""Benchmark, not a test: the Python CPU each page costs per request, against a bare Django view.

    .venv/bin/python bench/page_cpu.py [--requests 50] [--batches 7] [--cards 5000] [--reuse] [--profile PATH]

On a dedicated PostgreSQL database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/esms_bench_pagecpu;
its name must contain "bench": it is dropped, recreated and migrated unless --reuse), with production settings
(DEBUG off, a generated secret, a temporary PKI, DATABASE_CONN_MAX_AGE=60 and the Redis cache of
CELERY_BROKER_URL, default redis://127.0.0.1:6379/10), `load_demo` plus --cards active cards in the demo organisation
0B1000013. The agents' second factor and the card-login requirement are off (load_demo acts
without a card; the test Client cannot read a TOTP app). Static files are collected once into
DJANGO_STATIC_ROOT (default /tmp/bench-pagecpu-static) so that `{% static %}` goes through
the manifest storage as in production.

Each page is requested through Django's test Client (the whole middleware stack, no network), as an anonymous
visitor, the legal representative or the agent, with `X-Forwarded-Proto: https` and a different
`X-Forwarded-For` per request. For each page: --batches batches of --requests requests, the CPU time of a batch
(`time.process_time`) divided by its requests, median over batches; the SQL queries of one request. Baseline, in
the same process and the same way: a bare view answering "hello", routed first. CPU time is used,
not wall time, because the machine is shared: other processes stretch wall time, not our own CPU seconds.

--only "cards list;onboarding timeline, cache off" measures these pages only (and the bare view).
--profile PATH writes a cProfile of the given page (see --page) to PATH, to read with pstats.
"""

import os
import statistics
import time
from pathlib import Path

from benchsetup import (
    ROOT,
    arguments,
    bench_database,
    configure_django,
    demo_with_cards,
    use_temporary_pki,
    write_results,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_pagecpu"
STATIC_ROOT = "/tmp/bench-pagecpu-static"
REPRESENTATIVE = "representant@demo.esms.example"
AGENT = "agent@demo.ans.example"


def bare(request):
    from django.http import HttpResponse

    return HttpResponse("hello")


urlpatterns = []  # filled in main(): the portal's URLs plus the bare view, in this module


def pages() -> list[tuple[str, str | None, str]]:
    """(label, who, path): who is None (anonymous), REPRESENTATIVE or AGENT."""
    from django.urls import NoReverseMatch, reverse

    from contracts.models import Structure

    organisation = Structure.objects.get(finess="0B1000013")
    found = [
        ("bare Django view", None, "/bare/"),
        ("login page", None, "/connexion/"),
        ("directory page", None, "/rpps/annuaire/?name=MA"),
        ("directory API", None, "/api/v1/rpps/annuaire/?name=MA"),
        ("directory page, cache off", None, "/rpps/annuaire/?name=MA"),
        ("directory API, cache off", None, "/api/v1/rpps/annuaire/?name=MA"),
        ("healthz", None, "/healthz"),
        ("cards list", REPRESENTATIVE, "/cartes/"),
        ("onboarding timeline", REPRESENTATIVE, f"/embarquement/{organisation.pk}/"),
        ("cards list, cache off", REPRESENTATIVE, "/cartes/"),
        ("onboarding timeline, cache off", REPRESENTATIVE, f"/embarquement/{organisation.pk}/"),
    ]
    try:
        found.append(("my space", REPRESENTATIVE, reverse("my_space")))
        found.append(("my space, cache off", REPRESENTATIVE, reverse("my_space")))
    except NoReverseMatch:
        pass
    found.append(("back office", AGENT, "/back-office/"))
    return found


def clients() -> dict:
    from django.test import Client

    from esms_portal.models import User

    made = {None: Client()}
    for email in (REPRESENTATIVE, AGENT):
        made[email] = Client()
        made[email].force_login(User.objects.get(email=email))
    return made


def measure(client, path: str, requests: int, batches: int) -> dict:
    from django.db import connection

    headers = {"X-Forwarded-Proto": "https"}
    serial = 0

    def get():
        nonlocal serial
        serial += 1
        response = client.get(path, headers={**headers, "X-Forwarded-For": f"10.{serial // 65536 % 256}."
                                                                          f"{serial // 256 % 256}.{serial % 256}"})
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        return response

    get()  # warm: templates compiled, caches filled, the CSRF cookie set
    get()  # a person's page stored in the page cache (esms_portal.core.page_cache): the queries below are a hit's
    queries = []
    # An execute wrapper, not CaptureQueriesContext: should the request's end close the connection, the
    # reconnection drops the forced debug cursor.
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        size = len(get().content)
    per_request = []
    for _ in range(batches):
        started = time.process_time()
        for _ in range(requests):
            get()
        per_request.append(1000 * (time.process_time() - started) / requests)
    return {"cpu_ms": round(statistics.median(per_request), 3), "queries": len(queries), "bytes": size}


def main() -> None:
    args = arguments(__doc__, requests=50, batches=7, cards=5000, reuse=(False, "reuse the loaded bench database"),
                     profile=("", "write a cProfile of --page to this path"), page=("login page", "the page profiled"),
                     only=("", "measure only these pages (labels, separated by ';'; the bare view always)"))
    os.environ.update({"DJANGO_DEBUG": "false", "PORTAL_STAFF_2FA": "false", "PORTAL_CARD_LOGIN_REQUIRED": "false",
                       "PORTAL_NUM_PROXIES": "1",
                       "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    os.environ.setdefault("DJANGO_STATIC_ROOT", STATIC_ROOT)
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")  # persistent connections, as docker-compose.yml runs
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")  # Redis cache, as in production
    use_temporary_pki()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if args.reuse:
        configure_django(url)
    else:
        bench_database(url)
        demo_with_cards(args.cards)
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import clear_url_caches, include, path

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
    # Not setup_test_environment(): its instrumented template rendering (a signal and a context copy per
    # template) would be measured too. Only the test Client's host is allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    urlpatterns[:] = [path("bare/", bare), path("", include(settings.ROOT_URLCONF))]
    settings.ROOT_URLCONF = __name__
    clear_url_caches()

    made = clients()
    results = {"requests": args.requests, "batches": args.batches, "cards": args.cards, "pages": {}}
    cache_seconds = settings.PORTAL_PUBLIC_CACHE_SECONDS
    page_cache_seconds = settings.PORTAL_PAGE_CACHE_SECONDS
    wanted = {label.strip() for label in args.only.split(";") if label.strip()}
    for label, who, page in pages():
        if wanted and label not in wanted and label != "bare Django view":
            continue
        # The anonymous directory is served from the cache (esms_portal.core.public_cache) but on a
        # miss: "cache off" measures the miss, that is the rendering.
        settings.PORTAL_PUBLIC_CACHE_SECONDS = 0 if label.endswith("cache off") else cache_seconds
        # The same for a person's pages (esms_portal.core.page_cache): "cache off" renders each time.
        settings.PORTAL_PAGE_CACHE_SECONDS = 0 if label.endswith("cache off") else page_cache_seconds
        figures = measure(made[who], page, args.requests, args.batches)
        if args.profile and label == args.page:  # after the measure: warm, as the figures are
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU, not wall: the machine is shared
            profiler.runcall(measure, made[who], page, args.requests, 1)
            profiler.dump_stats(args.profile)
            print(f"profile of {label}: {args.profile}")
        results["pages"][label] = {"path": page, **figures}
        print(label, figures, flush=True)
    baseline = results["pages"]["bare Django view"]["cpu_ms"]
    print("\n| page | CPU ms/request | SQL queries | bare / page |")
    print("|---|---|---|---|")
    for label, figures in results["pages"].items():
        figures["ratio"] = round(baseline / figures["cpu_ms"], 3)
        print(f"| {label} (`{figures['path']}`) | {figures['cpu_ms']} | {figures['queries']} | {figures['ratio']} |")
    print(f"results: {write_results('page_cpu', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
