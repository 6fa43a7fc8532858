"""The public extract, in: load a national `PS_LibreAcces_Personne_activite` file into the known RPPS
and ADELI holders (NationalActivity), so that R-RPP-14 and the Annuaire Santé read real data.

Streamed: each line is checked (width, identifier type, RPPS/ADELI check key) and the good ones are
sent by PostgreSQL `COPY` into a temporary staging table; one set-based merge then adds the new lines
(`INSERT ... ON CONFLICT DO NOTHING` on the digest of their kept columns) and removes the activities
the file no longer gives for the persons it names. Run twice, the second run changes nothing (a line
twice in the file is kept once: DO NOTHING skips it within the same INSERT too).
A bad line is reported with its number and reason and skipped; the import goes on.
"""

import hashlib
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction

from esms_portal.core.errors import PortalError
from esms_portal.core.identifiers import adeli_is_valid, rpps_is_valid

from .. import extract_layout as layout
from ..models import NationalActivity
from ..nomenclatures import fold

_CHECKS = {"8": (rpps_is_valid, "numéro RPPS invalide (11 chiffres, clé de Luhn)"),
           "0": (adeli_is_valid, "numéro ADELI invalide (9 chiffres, clé de Luhn)")}
_STAGED = (*layout.STORED_FIELDS, "search_name", "line_hash")
_TABLE = NationalActivity._meta.db_table
BULK_LINES = 100_000  # from this size on, the secondary indexes are rebuilt rather than updated


class ExtractImportUnavailable(PortalError, code="extract_import_unavailable", status=400,
                               message="L'import d'une extraction nationale demande PostgreSQL (COPY) : "
                                       "la base de démonstration SQLite ne le permet pas."):
    pass


@dataclass
class ImportSummary:
    read: int = 0
    rejected: int = 0
    added: int = 0
    removed: int = 0
    seconds: float = 0.0

    @property
    def unchanged(self) -> int:
        return self.read - self.rejected - self.added

    def line(self) -> str:
        return (f"{self.read} lignes lues, {self.added} ajoutées, {self.removed} retirées, "
                f"{self.rejected} rejetées, en {self.seconds:.1f} s.")


def check_line(cells: list[str] | None) -> str | None:
    """Why a line cannot be loaded (French), None when it can."""
    if cells is None:
        return None  # the caller says the width
    checked = _CHECKS.get(cells[0])
    if checked is None:
        return f"type d'identifiant « {cells[0]} » inconnu (8 RPPS, 0 ADELI)"
    is_valid, reason = checked
    if not is_valid(cells[1]):
        return reason
    if cells[2] != cells[0] + cells[1]:
        return "identification nationale PP différente du type suivi de l'identifiant"
    return None


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # the old files were in Latin-1 (REFERENCE.md section 4)
        text = raw.decode("latin-1")
    return text.replace("\x00", "")  # COPY refuses NUL


def _staged_row(cells: list[str]) -> tuple:
    kept = [cells[position] for position in layout.STORED_POSITIONS]
    digest = hashlib.md5("\x1f".join(kept).encode(), usedforsecurity=False).hexdigest()
    last_name, first_name = kept[5], kept[6]
    return (*kept, fold(f"{last_name} {first_name}"), digest)


def _stage(path, copy, report: Callable[[int, str], None], summary: ImportSummary) -> None:
    with open(path, "rb") as source:
        for number, raw in enumerate(source, start=1):
            text = _decode(raw)
            if number == 1 and text.startswith(layout.HEADER[0]):
                continue
            if not text.strip():
                continue
            summary.read += 1
            cells = layout.split(text)
            if cells is None:
                width = len(text.rstrip("\r\n").removesuffix(layout.SEPARATOR).split(layout.SEPARATOR))
                reason = f"{width} colonnes au lieu de {layout.WIDTH}"
            else:
                reason = check_line(cells)
            if reason:
                summary.rejected += 1
                report(number, reason)
                continue
            copy.write_row(_staged_row(cells))


_MERGE_INSERT = f"""
    INSERT INTO {_TABLE} ({", ".join(_STAGED)}, loaded_at, updated_at)
    SELECT {", ".join(_STAGED)}, now(), now() FROM extract_staging
    ON CONFLICT (line_hash) DO NOTHING
"""
# The file is the whole truth about the persons it names: their other activities are gone.
_MERGE_DELETE = f"""
    DELETE FROM {_TABLE} AS known
    WHERE known.identifier IN (SELECT identifier FROM extract_staging)
      AND NOT EXISTS (SELECT 1 FROM extract_staging AS staged WHERE staged.line_hash = known.line_hash)
"""


@contextmanager
def _secondary_indexes_rebuilt_if(bulk: bool):
    """A first large load goes in without the name and number indexes, built again after in one sort
    each: PostgreSQL's advice for bulk loads (bench/rpps_extract.py, two million lines: 238 s with the
    indexes updated row by row, 191 s rebuilt). The table is locked meanwhile (the import is a batch);
    the unique digest's index stays, ON CONFLICT needs it."""
    indexes = NationalActivity._meta.indexes if bulk else []
    with connection.schema_editor(atomic=False) as editor:
        for index in indexes:
            editor.remove_index(NationalActivity, index)
    yield
    with connection.schema_editor(atomic=False) as editor:
        for index in indexes:
            editor.add_index(NationalActivity, index)


def extract_import(path, *, report: Callable[[int, str], None]) -> ImportSummary:
    """Load the national extract at `path`; `report(line_number, reason)` hears of every bad line."""
    if connection.vendor != "postgresql":
        raise ExtractImportUnavailable()
    started = time.perf_counter()
    summary = ImportSummary()
    columns = ", ".join(f"{name} text" for name in _STAGED)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE extract_staging ({columns}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY extract_staging ({', '.join(_STAGED)}) FROM STDIN") as copy:
            _stage(path, copy, report, summary)
        cursor.execute("ANALYZE extract_staging")
        # The merge's hash and the indexes' sorts in memory, not on disk.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(_MERGE_DELETE)
        summary.removed = cursor.rowcount
        # A first load (or one that more than doubles the table) rebuilds; a daily refresh updates.
        bulk = summary.read > BULK_LINES and NationalActivity.objects.count() < summary.read // 2
        with _secondary_indexes_rebuilt_if(bulk):
            cursor.execute(_MERGE_INSERT)
        summary.added = cursor.rowcount
        cursor.execute("DROP TABLE extract_staging")  # ON COMMIT is late when the caller holds a transaction
    summary.seconds = time.perf_counter() - started
    return summary
