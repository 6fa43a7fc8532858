"""What every benchmark shares: its command line, Django on a bench database, the figures it reports."""

import argparse
import json
import math
import os
import secrets
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def arguments(doc: str, **options) -> argparse.Namespace:
    """The command line: `--name` per option, typed by its default; a (default, help) pair adds a help
    text, and a False default makes a flag."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, option in options.items():
        default, help_text = option if isinstance(option, tuple) else (option, None)
        flag = "--" + name.replace("_", "-")
        if isinstance(default, bool):
            parser.add_argument(flag, action="store_true", help=help_text)
        else:
            parser.add_argument(flag, type=type(default), default=default, help=help_text)
    return parser.parse_args()


def configure_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esms_portal.settings")
    # Production-like settings (no DEBUG query log); a throwaway key satisfies the secret check.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def use_temporary_pki() -> None:
    """Authorities in a temporary directory, under a throwaway passphrase (before Django reads them)."""
    os.environ["PORTAL_PKI_DIR"] = tempfile.mkdtemp(prefix="bench-pki-")
    os.environ["PORTAL_PKI_PASSPHRASE"] = "bench-only-pki-passphrase-" + secrets.token_hex(8)


def bench_database(url: str, *, recreate: bool = True) -> None:
    """Django on `url`, migrated; the database dropped and created anew first unless recreate=False."""
    if recreate:
        recreate_database(url)
    configure_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_and_migrate_database() -> None:
    """Create the configured database when it is missing, then migrate it."""
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    params = connection.get_connection_params()
    name = params.pop("dbname")
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)


def recreate_database(url: str) -> None:
    """Drop and create a bench database (its name must say "bench"), closing what is still connected."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a bench database name contains 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def organisation_with_sites(prefix: str, sites: int):
    """An EJ with FINESS <prefix>00000 and `sites` sites numbered from <prefix>00001; returns both."""
    from contracts.models import Structure, StructureKind
    from esms_portal.core.identifiers import finess_with_check_digit

    ej = Structure(kind=StructureKind.EJ, finess=finess_with_check_digit(f"{prefix}00000"), name="EJ bench")
    ej.legal_entity = ej
    ej.save()
    return ej, Structure.objects.bulk_create([
        Structure(kind=StructureKind.EG, finess=finess_with_check_digit(f"{prefix}{n:05d}"), name=f"Site {n}",
                  legal_entity=ej) for n in range(1, sites + 1)
    ])


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank: the smallest value at or above 95 % of them."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(round(0.95 * len(ordered), 6)) - 1)]


def write_results(name: str, results: dict) -> Path:
    """bench/results/<name>-<time>.json: a run's figures, to compare with later runs."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}-{datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return out


def demo_with_cards(cards: int) -> None:
    """`load_demo`, then `cards` active CPE in the demo organisation 0B1000013, in one INSERT (the
    organisation pages of http_load.py and page_cpu.py at a real fleet's size)."""
    from django.core.management import call_command
    from django.db import connection

    from contracts.models import Structure
    from esms_portal.models import User

    call_command("load_demo", stdout=open(os.devnull, "w"))
    organisation = Structure.objects.get(finess="0B1000013")
    holder, _ = User.objects.get_or_create(email="porteur@bench.example")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cards_card (id, state, family, is_test, holder_id, holder_last_name, holder_first_names,
                title, national_id, organisation_id, ordered_through, delivery_address, make_mandataire,
                activated_at, valid_from, expires_at, opposition_reason, certificate_serial, chip_key,
                pin_hash, pin_tries_left, created_at, updated_at)
            SELECT gen_random_uuid(), 'active', 'CPE', false, %(holder)s, 'BENCH', 'N' || n, 'Agent',
                '3' || %(finess)s || '/CPEB' || lpad(n::text, 7, '0'), %(org)s, 'F301', '', false,
                now() - interval '1 year', now() - interval '1 year', now() + interval '2 years',
                '', '', ''::bytea, '', 3, now(), now()
            FROM generate_series(1, %(cards)s) AS n
            """,
            {"holder": holder.pk, "finess": organisation.finess, "org": organisation.pk, "cards": cards},
        )
        cursor.execute("ANALYZE")
