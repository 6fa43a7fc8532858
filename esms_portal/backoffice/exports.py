"""The filtered queue exported as CSV, XLSX or ODS, with the columns the agent chooses.

Rows are read by one query through a server-side cursor (`iterator`), the labels joined in SQL, so
that the number of queries does not grow with the rows and memory stays flat whatever the format:
CSV streams as it is written; XLSX is written row by row by XlsxWriter in `constant_memory` mode into
a temporary file (an XLSX is a zip whose directory comes last), then streamed back; ODS is streamed as
it is zipped (stream-write-ods, on stream-zip). Measured in bench/backoffice_queue.py. Above
settings.PORTAL_EXPORT_BACKGROUND_OVER rows the same writers run on a Celery worker into a file
(esms_portal.backoffice.export_jobs); the pages are in export_views.
"""

import codecs
import csv
import tempfile
from dataclasses import dataclass
from datetime import date

import stream_write_ods as ods_writer
import xlsxwriter
from django import forms
from django.db.models import Aggregate, CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from esms_portal.backoffice.cases import PAUSED
from esms_portal.backoffice.queue import queue_cases
from esms_portal.core.regions import region_name
from esms_portal.core.spreadsheets import inert
from esms_portal.models import Case
from esms_portal.workflow.declarations import request_types

CHUNK = 2000
SHEET = "Dossiers"
# XlsxWriter's own reading of strings is turned off: a name starting with « = » stays text, never a
# formula, and nothing becomes a link.
XLSX_OPTIONS = {"constant_memory": True, "default_date_format": "dd/mm/yyyy", "strings_to_formulas": False,
                "strings_to_urls": False, "strings_to_numbers": False}
ODS_CELL_TYPES = {str, int, date, type(None)}  # stream-write-ods picks its encoder by exact type
ODS_PIECE = 65536
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE, "ods": ODS_TYPE}


class Joined(Aggregate):
    """The names of a case's labels, « A, B », in SQL (STRING_AGG; GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ', ')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    default: bool = True


COLUMNS = [
    Column("number", "Numéro"), Column("type", "Type de demande"), Column("organisation", "Organisation"),
    Column("finess", "FINESS"), Column("siret", "SIRET"), Column("region", "Région"),
    Column("departement", "Département", default=False), Column("people", "Personnes concernées", default=False),
    Column("state", "État"), Column("filed_at", "Déposée le"), Column("days", "Jours d'instruction"),
    Column("deadline", "Échéance"), Column("assignee", "Instructeur"), Column("labels", "Étiquettes"),
]
FORMATS = [("csv", "CSV (tableur, séparateur point-virgule)"), ("xlsx", "Excel (XLSX)"),
           ("ods", "OpenDocument (ODS)")]
FIELDS = ("type_key", "number", "organisation_name", "finess", "siret", "region", "departement", "people",
          "state_label", "filed_at", "paused_at", "paused_for", "decided_at", "deadline", "assignee_name",
          "label_names")


class ExportForm(forms.Form):
    columns = forms.MultipleChoiceField(label="Colonnes", choices=[(c.key, c.label) for c in COLUMNS],
                                        widget=forms.CheckboxSelectMultiple,
                                        initial=[c.key for c in COLUMNS if c.default],
                                        error_messages={"required": "Choisissez au moins une colonne."})
    format = forms.ChoiceField(label="Format", choices=FORMATS, widget=forms.RadioSelect, initial="csv")


def export_values(filters: dict, agent):
    """The rows' values, one query: the assignee's name and the labels' names joined in SQL."""
    labels = (Case.labels.through.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")
              .annotate(names=Joined("label__name")).values("names"))
    return (queue_cases(filters, agent)
            .annotate(assignee_name=Concat(F("assignee__first_name"), Value(" "), F("assignee__last_name"),
                                           output_field=CharField()),
                      label_names=Subquery(labels))
            .values(*FIELDS))


def _cells(row: dict, columns: list[str], type_labels: dict, now) -> list:
    end = row["decided_at"] or row["paused_at"] or now
    values = {
        "number": row["number"], "type": type_labels.get(row["type_key"], row["type_key"]),
        "organisation": row["organisation_name"], "finess": row["finess"], "siret": row["siret"],
        "region": region_name(row["region"]) if row["region"] else "", "departement": row["departement"],
        "people": row["people"], "state": row["state_label"],
        "filed_at": timezone.localdate(row["filed_at"]),
        "days": max((end - row["filed_at"] - row["paused_for"]).days, 0),
        "deadline": "" if row["deadline"] >= PAUSED else timezone.localdate(row["deadline"]),
        "assignee": (row["assignee_name"] or "").strip(), "labels": row["label_names"] or "",
    }
    return [values[column] for column in columns]


def table(filters: dict, agent, columns: list[str]):
    """The header, then each row's cells, read as the file is written."""
    type_labels = {declared.key: declared.label for declared in request_types()}
    by_key = {column.key: column for column in COLUMNS}
    yield [by_key[column].label for column in columns]
    now = timezone.now()
    for row in export_values(filters, agent).iterator(chunk_size=CHUNK):
        yield _cells(row, columns, type_labels, now)


class _Echo:
    def write(self, value):
        return value


def _filename(extension: str) -> str:
    return f"dossiers-{timezone.localdate():%Y-%m-%d}.{extension}"


def _csv_lines(rows):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheets read UTF-8
    for row in rows:
        yield writer.writerow([value.isoformat() if hasattr(value, "isoformat") else inert(value) for value in row])


def _write_xlsx(rows, out) -> None:
    """The workbook written row by row (constant_memory) into the binary file `out`."""
    workbook = xlsxwriter.Workbook(out, XLSX_OPTIONS)
    sheet = workbook.add_worksheet(SHEET)
    header = next(rows)
    sheet.write_row(0, 0, header, workbook.add_format({"bold": True}))
    sheet.set_column(0, len(header) - 1, 18)
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    workbook.close()


def csv_response(rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(rows) -> FileResponse:
    spool = tempfile.TemporaryFile(suffix=".xlsx")  # deleted once the response has streamed it
    _write_xlsx(rows, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=_filename("xlsx"), content_type=XLSX_TYPE)


def _iterencode_joined(fragments, encoding):
    """codecs.iterencode over the fragments joined into pieces of ODS_PIECE characters or more.

    stream-write-ods (0.0.25) hands stream-zip its content.xml one XML token at a time, about fifty a row,
    and stream-zip's cost is per piece: joined first, the same bytes are written four times faster
    (bench/README.md, « The back office's queue »; tests/backoffice/test_exports.py checks they are the same).
    """
    def pieces():
        batch, length = [], 0
        for fragment in fragments:
            batch.append(fragment)
            length += len(fragment)
            if length >= ODS_PIECE:
                yield "".join(batch)
                batch, length = [], 0
        if batch:
            yield "".join(batch)

    return codecs.iterencode(pieces(), encoding)


# The one name stream_write_ods encodes content.xml through (its other files are single pieces already);
# to drop once a release of stream-write-ods joins its tokens itself.
ods_writer.iterencode = _iterencode_joined


def _ods_cells(rows):
    for row in rows:
        yield [value if type(value) in ODS_CELL_TYPES else str(value) for value in row]


def _ods_chunks(rows):
    header = next(rows)
    return ods_writer.stream_write_ods([(SHEET, header, _ods_cells(rows))])


def ods_response(rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_ods_chunks(rows), content_type=ODS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("ods")}"'
    return response


def write_file(rows, file_format: str, out) -> None:
    """The same writers into the binary file `out` (a background export, esms_portal.backoffice.export_jobs)."""
    if file_format == "xlsx":
        _write_xlsx(rows, out)
    elif file_format == "csv":
        for line in _csv_lines(rows):
            out.write(line.encode())
    else:
        for chunk in _ods_chunks(rows):
            out.write(chunk)


RESPONSES = {"csv": csv_response, "xlsx": xlsx_response, "ods": ods_response}


def export(filters: dict, agent, columns: list[str], file_format: str):
    """The export's HTTP answer (pages and API alike)."""
    return RESPONSES[file_format](table(filters, agent, columns))

