"""The attestation's PDF, from an HTML template (templates/dialogue/attestation_pdf.html) by WeasyPrint.

Local fonts only (DejaVu, installed by bin/bootstrap) and no network: the URL fetcher refuses every
URL but the inline `data:` ones. The rendering reads nothing but the attestation's row, and WeasyPrint
writes the same bytes for the same input: the PDF can be rendered again and gives the same SHA-256.
"""

import threading

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

TEMPLATE = "dialogue/attestation_pdf.html"


class RemoteFetchRefused(FatalURLFetchingError):
    """Raised through WeasyPrint (a fatal fetching error stops the rendering)."""


class LocalOnly(URLFetcher):
    """WeasyPrint's fetcher for inline `data:` URLs only: an attestation never waits on the network
    nor reads a file it was not given."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise RemoteFetchRefused(f"Ressource refusée dans une attestation : {url[:80]}")
        return super().fetch(url, headers)


def verification_url(code: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/attestations/{code}/"


# One font configuration per thread, kept between renderings: making it anew (fontconfig, the fonts'
# faces) cost about a third of each attestation; it holds no state of a document.
_fonts = threading.local()


def _font_config() -> FontConfiguration:
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render(attestation) -> bytes:
    with translation.override("fr"):
        html = render_to_string(TEMPLATE, {"attestation": attestation,
                                           "verification_url": verification_url(attestation.code)})
    return HTML(string=html, base_url=None, url_fetcher=LocalOnly(allowed_protocols={"data"})).write_pdf(
        pdf_identifier=attestation.code.encode(), font_config=_font_config())
