import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from esms_portal.core.uploads import UploadRejected, private_storage, read_pdf, store_private

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_real_pdf_is_accepted_whatever_its_name():
    upload = SimpleUploadedFile("acte.txt", MINIMAL_PDF, content_type="text/plain")
    assert read_pdf(upload) == MINIMAL_PDF


@pytest.mark.parametrize(
    "content",
    [b"GIF89a not a pdf", b"", b"%PDF-1.4 truncated without end", b"<html>%PDF-1.4 %%EOF</html>"],
)
def test_a_file_that_is_not_a_pdf_is_refused_even_named_pdf(content):
    upload = SimpleUploadedFile("acte.pdf", content, content_type="application/pdf")
    with pytest.raises(UploadRejected) as error:
        read_pdf(upload)
    assert error.value.code == "not_a_pdf"


def test_an_oversized_file_is_refused():
    upload = SimpleUploadedFile("acte.pdf", MINIMAL_PDF + b" " * 2048, content_type="application/pdf")
    with pytest.raises(UploadRejected) as error:
        read_pdf(upload, max_bytes=1024)
    assert error.value.code == "file_too_large"
    assert "taille maximale" in error.value.message


def test_stored_proofs_have_no_public_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = store_private(MINIMAL_PDF, folder="proofs")
    assert (tmp_path / name).read_bytes() == MINIMAL_PDF
    with pytest.raises(ValueError):
        private_storage.url(name)
