"""The filtered queue exported as CSV, XLSX and ODS, with the chosen columns, in a constant number of
queries whatever the number of rows."""

import csv
import io

import pytest
import tablib
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from esms_portal.backoffice import exports

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


def test_xlsx_is_a_real_workbook(client, ana, alpha):
    bulk_cases(alpha, 4)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "xlsx", "columns": ["number", "filed_at", "days"]})
    sheet = load_workbook(io.BytesIO(content(response))).active
    values = list(sheet.values)
    assert values[0] == ("Numéro", "Déposée le", "Jours d'instruction") and len(values) == 5


def test_ods_is_a_real_spreadsheet(client, ana, alpha):
    bulk_cases(alpha, 2)
    client.force_login(ana)
    response = client.get(EXPORT, {"format": "ods", "columns": ["organisation"]})
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    book = tablib.Dataset().load(content(response), format="ods")
    assert list(book.headers) == ["Organisation"] and len(book) == 2


def test_ods_beyond_its_cap_asks_for_another_format(client, ana, alpha, monkeypatch):
    monkeypatch.setattr(exports, "ODS_MAX_ROWS", 3)
    bulk_cases(alpha, 4)
    client.force_login(ana)
    html = client.get(EXPORT, {"format": "ods", "columns": ["organisation"]}).content.decode()
    assert "L&#x27;export ODS est limité à 3 lignes" in html


def test_no_column_is_a_form_error(client, ana):
    client.force_login(ana)
    assert "Choisissez au moins une colonne." in client.get(EXPORT, {"format": "csv"}).content.decode()


def test_only_agents_export(client, alice):
    client.force_login(alice)
    assert client.get(EXPORT, {"format": "csv", "columns": ["organisation"]}).status_code == 403


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
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
