"""What every benchmark does first: Django on production settings against a bench database."""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]


def configure_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esms_portal.settings")
    # Production-like settings (no DEBUG query log); a throwaway key satisfies the secret check.
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


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
    """Drop and create a bench database (its name must say "bench")."""
    import psycopg

    name = urlparse(url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a bench database name contains 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
