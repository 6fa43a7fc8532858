"""Checking a presented certificate against the test authority (card login, R-CER-4, R-RPP-6)."""

from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import Encoding

from esms_portal.models import IssuedCertificate
from esms_portal.pki import authorities
from esms_portal.pki.errors import CertificateRejected


def _verify_signature(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        raise CertificateRejected(
            "La signature du certificat ne se vérifie pas avec l'autorité de test.",
            code="bad_signature",
        ) from None


def verify_certificate(
    certificate: x509.Certificate, *, authority: str, at: datetime | None = None
) -> IssuedCertificate:
    """Chain (authority then root), validity at `at`, revocation; returns the issued row."""
    at = at or datetime.now(UTC)
    issuer = authorities.ca_certificate(authority)
    if certificate.issuer != issuer.subject:
        raise CertificateRejected(
            "Ce certificat n'a pas été émis par l'autorité de test du portail.",
            code="foreign_authority", details={"issuer": certificate.issuer.rfc4514_string()},
        )
    _verify_signature(certificate, issuer)
    _verify_signature(issuer, authorities.ca_certificate(authorities.PARENT[authority]))
    if at < certificate.not_valid_before_utc:
        raise CertificateRejected("Ce certificat n'est pas encore valide.", code="not_yet_valid")
    if at > certificate.not_valid_after_utc:
        raise CertificateRejected("Ce certificat a expiré.", code="expired")
    issued = IssuedCertificate.objects.filter(authority=authority, serial=str(certificate.serial_number)).first()
    if issued is None or bytes(issued.der) != certificate.public_bytes(Encoding.DER):
        raise CertificateRejected("Ce certificat est inconnu de l'autorité de test.", code="unknown_certificate")
    if issued.revoked_at is not None and issued.revoked_at <= at:
        raise CertificateRejected(
            "Ce certificat est révoqué (carte en opposition ou certificat retiré).",
            code="revoked", details={"revoked_at": issued.revoked_at.isoformat()},
        )
    return issued


def verify_person_certificate(cert: x509.Certificate, *, at: datetime | None = None) -> None:
    """Raise CertificateRejected unless `cert` is a valid, unrevoked card certificate of the portal."""
    verify_certificate(cert, authority=authorities.PERSONS, at=at)
