"""Benchmark, not a test: `manage.py import_finess` on a synthetic 100,000-line extract, PostgreSQL.

    .venv/bin/python bench/import_finess.py [--lines 100000] [--runs 3]

The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_finess);
it is created and migrated when missing, and its structures are truncated before each fresh import.
Each run times a fresh import, an idempotent re-import of the same file, and a re-import where 5 %
of the sites changed; the baselines are bare CSV parsing of the file and a raw COPY of its lines
into an unindexed table. Goal (bench/README.md): 100,000 lines in under 60 s.
"""

import csv
import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchsetup import arguments, configure_django, create_and_migrate_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_finess"

CATEGORIES = [
    ("500", "Etablissement d'hébergement pour personnes âgées dépendantes"),
    ("354", "Service de Soins Infirmiers A Domicile (S.S.I.A.D)"),
    ("183", "Institut Médico-Educatif (I.M.E.)"),
    ("460", "Service d'Aide et d'Accompagnement à Domicile (S.A.A.D)"),
    ("462", "Lieux de Vie et d'Accueil"),
    ("437", "Foyer d'Accueil Médicalisé pour Adultes Handicapés (F.A.M.)"),
    ("246", "Etablissement et Service d'Aide par le Travail (E.S.A.T.)"),
]
# (FINESS département, label, postal code, city, projection)
PLACES = [
    ("69", "RHONE", "69003", "LYON", "LAMBERT_93"),
    ("59", "NORD", "59000", "LILLE", "LAMBERT_93"),
    ("2A", "CORSE DU SUD", "20000", "AJACCIO", "LAMBERT_93"),
    ("2B", "HAUTE CORSE", "20200", "BASTIA", "LAMBERT_93"),
    ("9A", "GUADELOUPE", "97139", "LES ABYMES", "UTM_N20"),
    ("9D", "LA REUNION", "97400", "SAINT-DENIS", "UTM_S40"),
    ("33", "GIRONDE", "33000", "BORDEAUX", "LAMBERT_93"),
]
STREETS = ["R", "AV", "BD", "RTE", "CHE", "PL"]


def generate_extract(path: Path, lines: int, sites_per_ej: int, changed_share: float = 0.0) -> None:
    """`lines` data lines: half structureet, half geolocalisation; older files put all geolocations
    last, newer ones interleave: the first half of the sites is interleaved, the rest comes last."""
    from esms_portal.core.identifiers import finess_with_check_digit

    rng = random.Random(2026)
    sites = lines // 2
    out = io.StringIO()
    out.write("finess;etalab;111;2026-11-20\n")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    deferred = []
    for n in range(sites):
        ej = finess_with_check_digit(f"0B{n // sites_per_ej:06d}")
        site = finess_with_check_digit(f"0B{500000 + n:06d}")
        code, label = CATEGORIES[n % len(CATEGORIES)]
        dep, dep_label, postal, city, projection = PLACES[n % len(PLACES)]
        name = f"{label.split(' (')[0][:24].upper()} {n}"
        if n % 97 == 0:
            name = f'LIEU "LA SOURCE"; {n}'  # quoting as in the real lieu-de-vie lines
        # The same lines in every file but for the changed share, whose phone numbers differ.
        phone = f"0{5 if rng.random() < changed_share else 4}{n * 7919 % 10**8:08d}"
        writer.writerow([
            "structureet", site, ej, name, f"{name} - ÉTABLISSEMENT {n}", "", "",
            str(1 + n % 120), STREETS[n % len(STREETS)], f"DES PRÉS {n % 50}", "", "",
            f"{n % 900 + 1:03d}", dep, dep_label, f"{postal} {city}", phone, "", code, label,
            "4401", "Etablissements pour personnes âgées", "", "", "", "", "", "",
            "1998-01-05", "1998-01-05", "2026-10-02", "",
        ])
        geolocation = [
            "geolocalisation", site, f"{800000 + n % 9000}.5", f"{6500000 + n % 7000}.25",
            f"1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,{projection}", "2026-10-02",
        ]
        if n < sites // 2:
            writer.writerow(geolocation)
        else:
            deferred.append(geolocation)
    writer.writerows(deferred)
    path.write_text(out.getvalue(), encoding="utf-8")


def time_parsing(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as extract:
        for _row in csv.reader(extract, delimiter=";"):
            pass
    return time.perf_counter() - started


def time_raw_copy(path: Path) -> float:
    """The database floor: every line of the file COPYed as text into one unindexed table."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_finess")
        columns = ", ".join(f"c{i} text" for i in range(32))
        cursor.execute(f"CREATE UNLOGGED TABLE bench_raw_finess ({columns})")
        with path.open(encoding="utf-8", newline="") as extract:
            rows = csv.reader(extract, delimiter=";")
            next(rows)
            names = ", ".join(f"c{i}" for i in range(32))
            with cursor.cursor.copy(f"COPY bench_raw_finess ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + [None] * (32 - len(row)))
        cursor.execute("DROP TABLE bench_raw_finess")
    return time.perf_counter() - started


def time_import(path: Path) -> tuple[float, str]:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command("import_finess", str(path), stdout=out, stderr=err)
    return time.perf_counter() - started, out.getvalue().strip()


def truncate_structures() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE contracts_structure CASCADE")  # the bench database only


def main() -> None:
    args = arguments(__doc__, lines=(100_000, "data lines in the extract"), runs=3, sites_per_ej=5)
    configure_django(os.environ.get("DATABASE_URL", DEFAULT_URL))
    create_and_migrate_database()
    with tempfile.TemporaryDirectory() as tmp:
        extract = Path(tmp) / "etalab-cs1100507-stock-bench.csv"
        changed = Path(tmp) / "etalab-cs1100507-stock-bench-changed.csv"
        generate_extract(extract, args.lines, args.sites_per_ej)
        generate_extract(changed, args.lines, args.sites_per_ej, changed_share=0.05)
        lines = args.lines
        print(f"extract: {lines} lines ({extract.stat().st_size / 1e6:.1f} MB), {args.runs} runs")
        timings = {"parse": [], "copy": [], "fresh": [], "again": [], "changed": []}
        for run in range(1, args.runs + 1):
            timings["parse"].append(time_parsing(extract))
            timings["copy"].append(time_raw_copy(extract))
            truncate_structures()
            for step, path in (("fresh", extract), ("again", extract), ("changed", changed)):
                seconds, summary = time_import(path)
                timings[step].append(seconds)
                rate = lines / seconds
                print(f"run {run} {step:8} {seconds:6.2f} s  {rate:9,.0f} lines/s  {summary}")
        median = {step: statistics.median(values) for step, values in timings.items()}
        print(f"median over {args.runs} runs:")
        for step, label in (
            ("parse", "baseline: bare csv parsing"),
            ("copy", "baseline: raw COPY of the lines"),
            ("fresh", "import_finess, fresh database"),
            ("again", "import_finess, identical re-import"),
            ("changed", "import_finess, 5 % of sites changed"),
        ):
            print(f"  {label:38} {median[step]:6.2f} s  {lines / median[step]:9,.0f} lines/s")
        print(
            f"ratios: fresh import = {median['fresh'] / median['parse']:.1f} x bare parsing, "
            f"{median['fresh'] / median['copy']:.1f} x raw COPY; goal < 60 s: "
            f"{'met' if median['fresh'] < 60 and median['again'] < 60 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
