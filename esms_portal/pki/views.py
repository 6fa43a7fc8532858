"""Public distribution points: CRLs and CA certificates (no login: TLS stacks fetch them)."""

from cryptography.hazmat.primitives.serialization import Encoding
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from esms_portal.models import Authority
from esms_portal.pki.authorities import ca_certificate
from esms_portal.pki.errors import AuthorityUnavailable
from esms_portal.pki.revocation import crl_der


def _authority_or_404(name: str) -> str:
    if name not in Authority.values:
        raise Http404("Autorité inconnue")
    return name


@require_GET
def crl(request, authority):
    try:
        data = crl_der(_authority_or_404(authority))
    except AuthorityUnavailable:
        raise Http404("Autorité non initialisée") from None
    response = HttpResponse(data, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def ca(request, authority):
    try:
        certificate = ca_certificate(_authority_or_404(authority))
    except AuthorityUnavailable:
        raise Http404("Autorité non initialisée") from None
    response = HttpResponse(certificate.public_bytes(Encoding.DER), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="{authority}.crt"'
    return response
