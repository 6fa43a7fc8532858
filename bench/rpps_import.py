"""Benchmark, not a test: the RPPS+ collection template, 10,000 rows, preview then confirm, PostgreSQL.

    .venv/bin/python bench/rpps_import.py [--rows 10000]

DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_rpps_import; its name must
contain "bench": it is dropped, recreated and migrated). The file has 20 sites, 2 % of rows with
an error, 1 % with an unlisted profession; it is previewed and confirmed, then the same file is
previewed and confirmed again (idempotent: nothing created). Goal: 10,000 rows in under 60 s.
"""

import os
import random
import time

from benchsetup import arguments, bench_database, organisation_with_sites
from rpps_directory import surname

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_rpps_import"


def template(rows: int, sites: list[str], rng: random.Random) -> bytes:
    from rpps_plus.services.bulk import COLUMNS

    lines = [";".join(names[0] for names in COLUMNS.values())]
    for n in range(rows):
        last = surname(rng)
        mobile = "12" if n % 50 == 0 else "0612345678"
        profession = "Jardinier" if n % 100 == 1 else rng.choice(["Aide-soignant", "Educateur spécialisé", "328"])
        lines.append(";".join([
            "MME", last, "Julie", f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 40}", "69123", "",
            f"p{n}@example.org", mobile, last, "Julie", rng.choice(sites), profession, "GENR10", "01/09/2024", "",
        ]))
    return "\n".join(lines).encode()


def main() -> None:
    args = arguments(__doc__, rows=10_000)
    bench_database(os.environ.get("DATABASE_URL", DEFAULT_URL))
    from esms_portal.models import Role, RoleGrant, User
    from rpps_plus import services

    ej, sites = organisation_with_sites("0B8", 20)
    actor = User.objects.create_user(email="rep@bench.example")
    RoleGrant.objects.create(user=actor, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
    actor.card_authenticated = True  # production settings: a registration needs a card login (R-RPP-6)
    content = template(args.rows, [s.finess for s in sites], random.Random(7))
    for run in ("fresh", "again"):
        started = time.perf_counter()
        bulk = services.bulk_import_preview(actor=actor, organisation=ej, file_name="trame.csv", content=content)
        previewed = time.perf_counter()
        bulk = services.bulk_import_confirm(actor=actor, import_pk=bulk.pk)
        done = time.perf_counter()
        print(f"{run:5} {args.rows:,} rows: preview {previewed - started:5.1f} s, confirm {done - previewed:5.1f} s, "
              f"total {done - started:5.1f} s, {args.rows / (done - started):,.0f} rows/s; {bulk.report}")


if __name__ == "__main__":
    main()
