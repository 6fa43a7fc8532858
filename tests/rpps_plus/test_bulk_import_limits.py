"""The collection template against hostile files: an unreadable file is « fichier illisible », never a
500; reading stops at the row limit; an XLSX is refused from its unzipped size before it is parsed;
a file over 10 MB is refused from its size before it is read."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from esms_portal.core.errors import InvalidInput
from rpps_plus.services.bulk import MAX_BYTES, MAX_ROWS, MAX_XLSX_UNZIPPED_BYTES, parse_template
from tests.rpps_plus.test_bulk_import import HEADER, preview, row

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def damaged(content: bytes) -> bytes:
    """The same XLSX with a few bytes of its worksheet's deflate stream overwritten: the archive opens,
    the rows fail while they are read."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + len(sheet.extra)
    middle = start + sheet.compress_size // 2
    return content[:middle] + b"\xff" * 16 + content[middle + 16:]


@pytest.fixture
def template(site):
    return xlsx_bytes([HEADER, *[row(site, last=f"Martin{i}") for i in range(200)]])


def unreadable_files(template):
    return {
        "truncated.xlsx": template[: len(template) // 2],
        "truncated.xls": template[: len(template) // 2],  # not named .xlsx: known by its content
        "damaged.xlsx": damaged(template),
        "huge-field.csv": ";".join(HEADER).encode() + b"\n" + b'"' + b"x" * 200_000 + b'"\n',
    }


@pytest.mark.parametrize("name", ["truncated.xlsx", "truncated.xls", "damaged.xlsx", "huge-field.csv"])
def test_an_unreadable_file_is_fichier_illisible_through_the_api(api, gina, template, name):  # noqa: F811
    content = unreadable_files(template)[name]
    response = api(gina).post("/api/v1/rpps/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "unreadable_file"
    assert response.json()["message"].startswith("Fichier illisible")


@pytest.mark.parametrize("name", ["truncated.xls", "damaged.xlsx"])
def test_an_unreadable_file_is_shown_under_the_field_on_the_page(client, gina, template, name):
    client.force_login(gina)
    response = client.post("/rpps/import/", {"file": SimpleUploadedFile(name, unreadable_files(template)[name])})
    assert response.status_code == 200
    assert "Fichier illisible" in response.content.decode()


def test_reading_stops_at_the_row_limit_what_lies_beyond_is_never_read(gina, alpha, site):
    rows = "\n".join(";".join(row(site, last=f"N{i}")) for i in range(MAX_ROWS + 1))
    # Past the limit, a field csv refuses to read: a parse of the whole file would call it unreadable.
    content = f"{';'.join(HEADER)}\n{rows}\n\"{'x' * 200_000}\"\n".encode()
    with pytest.raises(InvalidInput) as error:
        parse_template("trame.csv", content)
    assert error.value.code == "too_many_rows"
    assert error.value.message == "20\u202f000 lignes au plus par fichier : découpez la trame."


def test_a_million_short_rows_stop_at_the_limit_in_little_memory(gina, alpha):
    content = (";".join(HEADER) + "\n" + "a;\n" * 1_000_000).encode()  # 3 MB
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as error:
            parse_template("trame.csv", content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.value.code == "too_many_rows"
    assert peak < 40 * 2**20  # the whole file parsed into lists took about 110 MiB


def test_an_xlsx_is_refused_from_its_unzipped_size_before_it_is_parsed(gina, alpha, template):
    buffer = io.BytesIO(template)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (MAX_XLSX_UNZIPPED_BYTES + 1))
    assert len(buffer.getvalue()) < 200_000  # a small upload...
    with pytest.raises(InvalidInput) as error:
        preview(gina, alpha, buffer.getvalue(), name="trame.xlsx")
    assert error.value.code == "file_too_large"  # ...refused from what it would unzip to


def test_a_file_over_10_mb_is_a_413_through_the_api(api, gina):  # noqa: F811
    big = SimpleUploadedFile("trame.csv", b";" * (MAX_BYTES + 1))
    response = api(gina).post("/api/v1/rpps/imports/", {"file": big}, format="multipart")
    assert response.status_code == 413
    assert response.json() == {"code": "file_too_large", "message": "Le fichier dépasse la taille maximale de 10 Mo."}


def test_a_file_over_10_mb_is_refused_under_the_field_on_the_page(client, gina):
    client.force_login(gina)
    response = client.post("/rpps/import/", {"file": SimpleUploadedFile("trame.csv", b";" * (MAX_BYTES + 1))})
    assert response.status_code == 200
    assert "Le fichier dépasse la taille maximale de 10 Mo." in response.content.decode()
