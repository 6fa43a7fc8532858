"""The filtered queue exported as CSV, XLSX and ODS, with the chosen columns, in a constant number of
queries whatever the number of rows."""

import codecs
import csv
import io
import zipfile
from datetime import date, datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from odf.opendocument import load as load_ods
from odf.table import TableRow
from openpyxl import load_workbook

from esms_portal.backoffice import exports
from esms_portal.models import Case

from .conftest import bulk_cases, preset

pytestmark = pytest.mark.django_db
EXPORT = "/back-office/export/"


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_column_chooser_keeps_the_queues_filters(client, ana):
    client.force_login(ana)
    html = client.get(EXPORT, {"type": "f999", "q": "alpha"}).content.decode()
    assert 'name="type" value="f999"' in html and 'name="q" value="alpha"' in html
    assert 'name="columns"' in html and 'value="xlsx"' in html


def test_csv_streams_the_chosen_columns_of_the_filtered_queue(client, ana, alpha, beta):
    urgent = preset("Urgent")
    bulk_cases(alpha, 3, labels=[urgent])
    bulk_cases(beta, 2)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "csv", "columns": ["organisation", "labels", "state"],
                                   "q": alpha.finess})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Organisation", "Étiquettes", "État"]
    assert rows[1:] == [[alpha.name, "Urgent", "Déposée"]] * 3


def test_a_cell_that_looks_like_a_formula_stays_text_in_every_format(client, ana, alpha):
    """CSV injection: an organisation named like a formula reaches the agent's spreadsheet as text."""
    alpha.name = '=HYPERLINK("https://attaquant.example";"Cliquez")'
    alpha.save()
    bulk_cases(alpha, 1)
    Case.objects.update(people="@SUM(1+1)")
    client.force_login(ana)
    query = {"columns": ["organisation", "people", "days"]}
    rows = list(csv.reader(io.StringIO(content(client.get(EXPORT, {**query, "format": "csv"})).decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[1][:2] == ["'" + alpha.name, "'@SUM(1+1)"] and rows[1][2].isdigit()
    sheet = load_workbook(io.BytesIO(content(client.get(EXPORT, {**query, "format": "xlsx"})))).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == (alpha.name, "s")  # a string cell, not a formula ("f")
    ods = load_ods(io.BytesIO(content(client.get(EXPORT, {**query, "format": "ods"}))))
    assert "table:formula" not in ods.xml().decode()


def test_xlsx_is_a_real_workbook(client, ana, alpha):
    cases = bulk_cases(alpha, 4)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "xlsx", "columns": ["number", "filed_at", "days"]})
    assert response["Content-Disposition"].startswith('attachment; filename="dossiers-')
    sheet = load_workbook(io.BytesIO(content(response))).active
    values = list(sheet.values)
    assert sheet.title == "Dossiers" and values[0] == ("Numéro", "Déposée le", "Jours d'instruction")
    filed = {case.number: datetime.combine(timezone.localdate(case.filed_at), datetime.min.time()) for case in cases}
    assert sorted(values[1:]) == sorted((number, day, (timezone.now() - case.filed_at).days)
                                        for case, (number, day) in zip(cases, filed.items(), strict=True))
    assert all(row[1].is_date and row[1].number_format == "dd/mm/yyyy" for row in sheet.iter_rows(min_row=2))


def test_xlsx_keeps_a_name_starting_with_equals_as_text(client, ana, alpha):
    alpha.name = "=HYPERLINK(\"http://example.com\")"
    alpha.save(update_fields=["name"])
    bulk_cases(alpha, 1)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "xlsx", "columns": ["organisation"]})
    cell = load_workbook(io.BytesIO(content(response))).active["A2"]
    assert (cell.value, cell.data_type) == (alpha.name, "s")


ODS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def ods_rows(body: bytes) -> list[list[tuple]]:
    """Each row's cells as (value type, date value, text), from content.xml."""
    document = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(body)).read("content.xml"))
    return [[(cell.get(f"{{{ODS['office']}}}value-type"), cell.get(f"{{{ODS['office']}}}date-value"),
              "".join(cell.itertext())) for cell in row.iterfind("table:table-cell", ODS)]
            for row in document.iterfind(".//table:table-row", ODS)]


def test_ods_is_a_real_spreadsheet(client, ana, alpha):
    cases = bulk_cases(alpha, 2)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "ods", "columns": ["organisation", "filed_at"]})
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    body = content(response)
    first = zipfile.ZipFile(io.BytesIO(body)).infolist()[0]  # ODF: the mimetype first, stored, no extra field
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert body[38:84] == b"application/vnd.oasis.opendocument.spreadsheet"
    rows = ods_rows(body)
    assert rows[0] == [("string", None, "Organisation"), ("string", None, "Déposée le")]
    days = sorted(timezone.localdate(case.filed_at).isoformat() for case in cases)
    assert sorted(rows[1:]) == [[("string", None, alpha.name), ("date", day, day)] for day in days]
    assert len(load_ods(io.BytesIO(body)).spreadsheet.getElementsByType(TableRow)) == 3


@pytest.mark.parametrize(("file_format", "kind"), [("csv", StreamingHttpResponse), ("xlsx", FileResponse),
                                                   ("ods", StreamingHttpResponse)])
def test_every_format_is_streamed_not_held_in_memory(client, ana, alpha, file_format, kind):
    bulk_cases(alpha, 3)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": file_format, "columns": ["number"]})
    assert isinstance(response, kind) and response.streaming and not hasattr(response, "content")


def test_csv_and_ods_read_their_rows_while_they_stream(client, ana, alpha):
    labels = Case.labels.through._meta.db_table  # the rows' query joins them
    bulk_cases(alpha, 3)
    client.force_login(ana)
    for file_format in ("csv", "ods"):
        with CaptureQueriesContext(connection) as answered:
            response = client.get(EXPORT, {"format": file_format, "columns": ["number"]})
        with CaptureQueriesContext(connection) as streamed:
            content(response)
        assert not any(labels in query["sql"] for query in answered.captured_queries)
        assert len(streamed.captured_queries) == 1


def test_no_column_is_a_form_error(client, ana):
    client.force_login(ana)
    assert "Choisissez au moins une colonne." in client.get(EXPORT, {"format": "csv"}).content.decode()


def test_only_agents_export(client, alice):
    client.force_login(alice)
    assert client.get(EXPORT, {"format": "csv", "columns": ["organisation"]}).status_code == 403


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_the_query_count_does_not_grow_with_the_rows(client, ana, alpha, file_format):
    urgent = preset("Urgent")
    columns = [column.key for column in exports.COLUMNS]
    client.force_login(ana)
    counted = []
    for rows in (3, 300):
        bulk_cases(alpha, rows - (3 if counted else 0), labels=[urgent])
        with CaptureQueriesContext(connection) as captured:
            body = content(client.get(EXPORT, {"format": file_format, "columns": columns}))
        counted.append(len(captured.captured_queries))
        assert body
    assert counted[0] == counted[1] <= 5  # session, user, labels, the rows (one cursor)


def test_joining_the_ods_fragments_writes_the_same_document(monkeypatch):
    rows = [["Numéro", "Déposée le", "Jours"]] + [[f"N{n}", date(2026, 1, 1 + n % 28), n] for n in range(3000)]

    def document() -> bytes:
        chunks = exports.ods_writer.stream_write_ods([("Dossiers", rows[0], iter(rows[1:]))],
                                                     get_modified_at=lambda: datetime(2026, 1, 1))
        return zipfile.ZipFile(io.BytesIO(b"".join(chunks))).read("content.xml")

    joined = document()
    monkeypatch.setattr(exports.ods_writer, "iterencode", codecs.iterencode)  # the library as released
    assert joined == document() and len(joined) > 4 * exports.ODS_PIECE
