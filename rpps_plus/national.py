"""A national-sized dataset, written by PostgreSQL itself: at scale 1, 40,000 organisations (EJs) with
2 sites each, 1,500,000 card holders and their cards, 2,000,000 professionals with one published
situation each. For the benchmarks, the query-plan tests and anyone who wants to try the portal at
scale (`manage.py load_national --scale F`).

Every row is made by `INSERT ... SELECT FROM generate_series` in the database: no row crosses the
client connection, which is what COPY saves, and nothing is sent at all. Ids are derived from the row
number (UUIDs from an md5, integers after the table's current maximum), so that cards find their
organisation and situations their site without a lookup; a second load is refused.
It lives in rpps_plus because it writes every layer below (contracts, cards, users, professionals).
"""

import time

from django.db import connection

from cards.models import Card
from contracts.models import Structure
from esms_portal.models import User

from .models import Professional, Situation

ORGANISATIONS, SITES_PER_ORGANISATION, CARDS, PROFESSIONALS = 40_000, 2, 1_500_000, 2_000_000
MARKER = "national-ej-1"  # the md5 seed of the first EJ's id: present once the dataset is loaded
SYLLABLES = ["MA", "RO", "LE", "DU", "BER", "NAR", "PE", "TI", "GAR", "MON", "LA", "FON", "CHE", "VA", "LIER",
             "BOU", "SA", "RI", "NO", "DE", "MER", "CIER", "GUE", "RIN", "TEL", "AU", "BRE", "TON", "PI", "COT"]
FIRST_NAMES = ["JULIE", "MARIE", "PAUL", "LUCAS", "EMMA", "LEA", "HUGO", "CHLOE", "NATHAN", "INES", "LOUIS", "SARAH"]


def sizes(scale: float) -> dict:
    return {
        "organisations": max(1, round(ORGANISATIONS * scale)),
        "cards": max(1, round(CARDS * scale)),
        "professionals": max(1, round(PROFESSIONALS * scale)),
    }


def _pick(words: list[str], seed: str) -> str:
    """SQL: one of `words`, chosen by a hash of the expression `seed` (deterministic, well spread)."""
    array = "ARRAY[" + ",".join(f"'{word}'" for word in words) + "]"
    return f"({array})[1 + abs(hashtext(({seed})::text)) % {len(words)}]"


def _surname(i: str) -> str:
    """SQL: a surname of three syllables for row `i` (27,000 names, spread over the alphabet)."""
    return " || ".join(_pick(SYLLABLES, f"{i} || '{salt}'") for salt in ("a", "b", "c"))


def _uuid(prefix: str, i: str) -> str:
    return f"md5('{prefix}' || {i})::uuid"


def already_loaded() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Structure._meta.db_table} WHERE id = md5(%s)::uuid", [MARKER])
        return cursor.fetchone() is not None


def load(scale: float = 1.0, *, say=print) -> dict:
    """Write the dataset at `scale` (PostgreSQL only); returns the numbers of rows written."""
    if connection.vendor != "postgresql":
        raise RuntimeError("load_national writes with PostgreSQL's generate_series: set DATABASE_URL=postgres://…")
    if already_loaded():
        raise RuntimeError("the national dataset is already loaded in this database")
    n = sizes(scale)
    orgs, sites = n["organisations"], n["organisations"] * SITES_PER_ORGANISATION
    models = (Structure, User, Card, Professional, Situation)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        # Foreign keys checked at each statement, not at commit: no trigger events pending when the
        # indexes are built again (PostgreSQL refuses CREATE INDEX on a table that has some).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        indexes = _drop_secondary_indexes(cursor, [model._meta.db_table for model in models])
    for label, statement in _statements(n, orgs, sites):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement)
        say(f"{label}: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for definition in indexes:
            cursor.execute(definition)
    say(f"{len(indexes)} indexes rebuilt: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        for model in models:
            if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {**n, "sites": sites}


def _drop_secondary_indexes(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes that back no constraint (in the load's transaction) and return their
    definitions: one sorted build after the load is many times quicker than millions of inserts
    into each of them. Keys and unique constraints stay, so the load is still checked."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = current_schema() AND tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [tables])
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]


def _statements(n: dict, orgs: int, sites: int):
    structure, user, card = Structure._meta.db_table, User._meta.db_table, Card._meta.db_table
    professional, situation = Professional._meta.db_table, Situation._meta.db_table
    now = "TIMESTAMPTZ '2026-01-01 00:00:00+00'"
    common = ("'', '', '', '', '', '', '84', '', '', '', '', '', false, 'ARS', true, '', "
              f"{now}, {now}")
    structure_columns = ("id, kind, finess, siret, name, long_name, address, postal_code, city, commune_code, "
                         "departement, region, phone, category_code, category_label, legal_status_code, "
                         "legal_status_label, gives_care, competent_authority, is_open, coord_system, "
                         "created_at, updated_at, legal_entity_id")
    yield "organisations", (
        f"INSERT INTO {structure} ({structure_columns}) SELECT {_uuid('national-ej-', 'i')}, 'EJ', "
        f"'0Y' || lpad(i::text, 7, '0'), '', 'ORGANISATION ' || {_surname('i')}, {common}, "
        f"{_uuid('national-ej-', 'i')} FROM generate_series(1, {orgs}) AS i"
    )
    yield "sites", (
        f"INSERT INTO {structure} ({structure_columns}) SELECT {_uuid('national-site-', 'i')}, 'EG', "
        f"'0Z' || lpad(i::text, 7, '0'), '', 'SITE ' || {_surname('i')}, {common}, "
        f"{_uuid('national-ej-', f'(1 + (i - 1) % {orgs})')} FROM generate_series(1, {sites}) AS i"
    )
    yield "card holders", (
        f"INSERT INTO {user} (id, password, is_superuser, first_name, last_name, is_staff, is_active, date_joined, "
        f"email, is_program) SELECT base + i, '!', false, {_pick(FIRST_NAMES, 'i')}, {_surname('i')}, false, "
        f"true, {now}, 'holder' || (base + i) || '@national.example', false "
        f"FROM (SELECT COALESCE(MAX(id), 0) AS base FROM {user}) AS b, generate_series(1, {n['cards']}) AS i"
    )
    yield "cards", (
        f"INSERT INTO {card} (id, created_at, updated_at, state, family, is_test, holder_id, holder_last_name, "
        "holder_first_names, title, national_id, organisation_id, ordered_through, delivery_address, "
        "make_mandataire, opposition_reason, certificate_serial, chip_key, pin_hash, pin_tries_left, "
        "valid_from, expires_at) "
        f"SELECT {_uuid('national-card-', 'u.id')}, {now} - (u.id % 100000) * INTERVAL '1 minute', {now}, "
        "CASE WHEN u.id % 20 = 0 THEN 'opposed' WHEN u.id % 10 = 0 THEN 'ordered' ELSE 'active' END, "
        "CASE WHEN u.id % 7 = 0 THEN 'CDE' ELSE 'CPE' END, false, u.id, u.last_name, u.first_name, '', "
        f"'3national/' || u.id, {_uuid('national-ej-', f'(1 + u.id % {orgs})')}, 'F301', '', false, '', '', "
        f"''::bytea, '', 3, {now}, {now} + (1 + u.id % 1000) * INTERVAL '1 day' "
        f"FROM {user} AS u WHERE u.email LIKE '%@national.example'"
    )
    yield "professionals", (
        f"INSERT INTO {professional} (id, rpps, civility, last_name, first_names, birth_date, birth_commune_code, "
        "birth_country_code, identity_key, email, mobile, registered_at, rpps_allocated_at, created_at, updated_at) "
        f"SELECT base + i, '9' || lpad((base + i)::text, 10, '0'), 'MME', {_surname('i')}, "
        f"{_pick(FIRST_NAMES, 'i')}, DATE '1960-01-01' + (i % 15000), '69123', '', 'national|' || (base + i), "
        f"'p' || (base + i) || '@national.example', '+33612345678', {now}, {now}, {now}, {now} "
        f"FROM (SELECT COALESCE(MAX(id), 0) AS base FROM {professional}) AS b, "
        f"generate_series(1, {n['professionals']}) AS i"
    )
    yield "situations", (
        f"INSERT INTO {situation} (id, created_at, updated_at, paused_for, state, professional_id, site_id, "
        "practice_last_name, practice_first_name, search_name, profession_code, profession_other, role_code, "
        "start_date, origin, registered_at, published_at) "
        f"SELECT base + p.id, {now}, {now}, INTERVAL '0', 'active', p.id, "
        f"{_uuid('national-site-', f'(1 + p.id % {sites})')}, p.last_name, p.first_names, "
        f"p.last_name || ' ' || p.first_names, '326', '', 'GENR10', DATE '2024-01-01', 'bulk', {now}, {now} "
        f"FROM (SELECT COALESCE(MAX(id), 0) AS base FROM {situation}) AS b, {professional} AS p "
        "WHERE p.identity_key LIKE 'national|%'"
    )
