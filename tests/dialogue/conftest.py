import subprocess

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Attestation files in a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "private"


def pdf_text(data: bytes) -> str:
    """The text of a PDF as pdftotext (poppler-utils) reads it, spaces folded."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    return " ".join(text.split())
