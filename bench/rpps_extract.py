"""Benchmark, not a test: `manage.py import_rpps_extract` on a synthetic national public extract
(`PS_LibreAcces_Personne_activite`, 56 columns, `|`), PostgreSQL.

    .venv/bin/python bench/rpps_extract.py [--lines 2000000]

The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_extract); its
name must contain "bench": it is dropped, created and migrated. The file has `--lines` data lines: 90 %
RPPS (type 8) and 10 % ADELI (type 0) holders, one to three activities each, and one bad line in
10,000 (wrong width or bad check key). Each import runs in its own process (`manage.py`), whose peak
RSS is read from wait4(); the baseline of the same run is a bare `COPY` of the same file, one line per
row, into a plain unindexed table. Goal (bench/README.md): 2,000,000 lines in under 3 minutes, flat memory.
"""

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchsetup import ROOT, arguments, bench_database, use_temporary_pki, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_extract"
NAMES = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
         "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER"]
FIRST = ["MARIE", "JEAN", "PIERRE", "MICHEL", "ANNE", "NATHALIE", "ISABELLE", "SYLVIE", "CATHERINE", "PHILIPPE"]
PROFESSIONS = [("10", "Médecin"), ("60", "Infirmier"), ("70", "Masseur-Kinésithérapeute"), ("21", "Pharmacien"),
               ("40", "Chirurgien-Dentiste"), ("50", "Sage-Femme"), ("26", "Audioprothésiste")]


def generate(path: Path, lines: int) -> int:
    """Write the file; answer the number of bad lines in it."""
    from esms_portal.core.identifiers import rpps_with_check_digit
    from rpps_plus import extract_layout as layout

    rng = random.Random(2026)
    bad = 0
    written = 0
    person = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(layout.header_line())
        while written < lines:
            person += 1
            if person % 10 == 0:  # ADELI: 9 digits with their Luhn key
                from stdnum import luhn

                base = f"{69 + person % 20:02d}{person % 100:02d}{person % 10**4:04d}"
                id_type, identifier = "0", base + luhn.calc_check_digit(base)
            else:
                id_type, identifier = "8", rpps_with_check_digit(f"10{person:08d}")
            last, first = NAMES[person % len(NAMES)], FIRST[(person // 7) % len(FIRST)]
            code, label = PROFESSIONS[person % len(PROFESSIONS)]
            for activity in range(1 + person % 3):
                if written >= lines:
                    break
                cells = [""] * layout.WIDTH
                cells[0:3] = [id_type, identifier, id_type + identifier]
                cells[5:11] = ["M" if person % 2 else "MME", "Monsieur" if person % 2 else "Madame", last,
                               f"{first}{person % 997}", code, label]
                cells[11:13], cells[17:19] = ["C", "Civil"], ["S" if activity else "L", "Salarié" if activity
                                                              else "Libéral"]
                cells[21], cells[24] = f"{rng.randrange(10**8):08d}0", f"CENTRE {person % 5000} {activity}"
                cells[32], cells[35], cells[36], cells[37] = "DE LA PAIX", "69003", "69383", "LYON"
                text = "|".join(cells) + "|\n"
                written += 1
                if written % 10_000 == 0:  # one bad line in 10,000
                    bad += 1
                    text = "|".join(cells[:40]) + "|\n" if bad % 2 else text.replace(identifier, identifier[:-1]
                                                                                       + "X", 1)
                out.write(text)
    return bad


def run_import(path: Path) -> tuple[float, int, str]:
    """`manage.py import_rpps_extract` in its own process: seconds, peak RSS (kB), its summary line."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "import_rpps_extract", str(path)],
                                   stdout=out, stderr=err, cwd=ROOT, env=os.environ)
        _pid, status, usage = os.wait4(process.pid, 0)  # the child's own rusage: its peak RSS
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if status:
            raise SystemExit(f"import failed ({status}): {err.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss, out.read().decode().strip()


def time_bare_copy(path: Path) -> float:
    """The floor: the file's lines COPYed as they are, one text value each, into a plain table."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_extract")
        cursor.execute("CREATE TABLE bench_raw_extract (line text)")
        # A delimiter absent from the file, and no escapes: each line is one value.
        with cursor.cursor.copy("COPY bench_raw_extract FROM STDIN WITH (FORMAT text, DELIMITER E'\\x01')") as copy:
            with path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    copy.write(chunk.replace(b"\\", b"\\\\"))
        cursor.execute("DROP TABLE bench_raw_extract")
    return time.perf_counter() - started


def main() -> None:
    args = arguments(__doc__, lines=(2_000_000, "data lines in the extract"))
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    use_temporary_pki()  # the production checks of the import's own process want authorities
    bench_database(url)
    os.environ["DATABASE_URL"] = url
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "PS_LibreAcces_Personne_activite_202612030000.txt"
        started = time.perf_counter()
        bad = generate(path, args.lines)
        print(f"extract: {args.lines:,} lines, {bad} bad, {path.stat().st_size / 1e6:.0f} MB, "
              f"generated in {time.perf_counter() - started:.0f} s")
        copy = time_bare_copy(path)
        print(f"baseline: bare COPY of the file   {copy:7.1f} s  {args.lines / copy:10,.0f} lines/s")
        fresh, fresh_rss, fresh_summary = run_import(path)
        print(f"import_rpps_extract, empty table  {fresh:7.1f} s  {args.lines / fresh:10,.0f} lines/s  "
              f"peak RSS {fresh_rss / 1024:.0f} MB  {fresh_summary}")
        again, again_rss, again_summary = run_import(path)
        print(f"import_rpps_extract, same file    {again:7.1f} s  {args.lines / again:10,.0f} lines/s  "
              f"peak RSS {again_rss / 1024:.0f} MB  {again_summary}")
        from rpps_plus.models import NationalActivity

        rows = NationalActivity.objects.count()
        print(f"rows: {rows:,} (expected {args.lines - bad:,}); ratio fresh / bare COPY = {fresh / copy:.1f}; "
              f"goal < 180 s: {'met' if fresh < 180 and again < 180 else 'MISSED'}")
        write_results("rpps_extract", {"lines": args.lines, "bad": bad, "copy_s": copy, "fresh_s": fresh,
                                       "fresh_rss_kb": fresh_rss, "again_s": again, "again_rss_kb": again_rss,
                                       "rows": rows})


if __name__ == "__main__":
    main()
