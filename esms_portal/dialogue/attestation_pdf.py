"""The attestation's PDF, from an HTML template (templates/dialogue/attestation_pdf.html) by WeasyPrint.

Local fonts only (DejaVu, installed by bin/bootstrap) and no network: the URL fetcher refuses every
URL but the inline `data:` ones. The rendering reads nothing but the attestation's row, and WeasyPrint
writes the same bytes for the same input: the PDF can be rendered again and gives the same SHA-256.

Every decision renders one inside its transaction, a bulk acceptance 500 in a row: what does not
depend on the attestation is prepared once per process (`_Kit`): the font configuration, the
attestation's stylesheet (templates/dialogue/attestation_pdf.css) parsed once, and a user-agent
stylesheet of a few lines instead of WeasyPrint's HTML one (about 250 rules matched against every
element of every document). About 40 % less CPU per attestation (bench/attestations.py).
"""

import threading

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

TEMPLATE = "dialogue/attestation_pdf.html"
STYLESHEET = "dialogue/attestation_pdf.css"
# What the template's elements need of a user agent; the rest is in STYLESHEET.
USER_AGENT_CSS = """
head { display: none }
html, body, header, div, p, h1 { display: block }
br::before { content: "\\A"; white-space: pre-line }
"""


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


class _Kit:
    """What every rendering shares, made once per thread (WeasyPrint objects are not shared between
    threads): none of it holds anything of a document."""

    def __init__(self):
        self.fonts = FontConfiguration()
        self.user_agent = CSS(string=USER_AGENT_CSS)
        self.stylesheet = CSS(string=render_to_string(STYLESHEET), font_config=self.fonts)


_local = threading.local()


def _kit() -> _Kit:
    if not hasattr(_local, "kit"):
        _local.kit = _Kit()
    return _local.kit


class _AttestationHTML(HTML):
    """The attestation's document, with the kit's user-agent stylesheet instead of WeasyPrint's HTML one.
    (`_ua_stylesheets` is WeasyPrint's own hook; without it, the HTML one applies and STYLESHEET,
    which sets every property the layout needs, gives the same page.)"""

    def _ua_stylesheets(self, forms=False):
        return [_kit().user_agent]


def render(attestation) -> bytes:
    kit = _kit()
    with translation.override("fr"):
        html = render_to_string(TEMPLATE, {"attestation": attestation,
                                           "verification_url": verification_url(attestation.code)})
    document = _AttestationHTML(string=html, base_url=None, url_fetcher=LocalOnly(allowed_protocols={"data"}))
    return document.write_pdf(pdf_identifier=attestation.code.encode(), font_config=kit.fonts,
                              stylesheets=[kit.stylesheet])
