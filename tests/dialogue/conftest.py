"""The dialogue's cast: alpha's F999 (the test-only form, tests/kernel_app) and contract at each stage,
files of each kind, private storage in a temporary directory, an API client per user."""

import io
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from esms_portal.workflow.form_services import form_act
from tests.kernel_app.services import f999_file

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# An executable (ELF header) named as a PDF.
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def upload(name="piece.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attachment and attestation files in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PORTAL_BASE_URL = "https://portail.example"
    cache.clear()
    yield
    cache.clear()



@pytest.fixture
def f999(alice, alpha):
    return f999_file(actor=alice, organisation=alpha, subject="Essai")


@pytest.fixture
def f999_in_instruction(f999, ana):
    return form_act(actor=ana, form=f999, act="start_instruction")


@pytest.fixture
def f999_completion(f999_in_instruction, ana):
    return form_act(actor=ana, form=f999_in_instruction, act="ask_completion", reason="Joignez le justificatif.")


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pdftotext (poppler-utils) reads it, spaces folded."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    return " ".join(text.split())
