"""Revocation and the CRL of each authority.

A revocation locks the authority's `RevocationList` row, marks the certificate and regenerates the
CRL in the same transaction: the CRL served after commit already lists it, and two concurrent
revocations serialise on that row (the second CRL lists both). A CRL is valid 7 days
(`CRL_VALIDITY`) and is regenerated on reading once less than a day of it remains.
"""

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.db import transaction

from esms_portal.models import Authority, IssuedCertificate, RevocationList, RevocationReason
from esms_portal.pki import authorities
from esms_portal.pki.errors import AlreadyRevoked, PkiError

CRL_VALIDITY = timedelta(days=7)
CRL_REFRESH_MARGIN = timedelta(days=1)
REASON_FLAGS = {
    RevocationReason.KEY_COMPROMISE: x509.ReasonFlags.key_compromise,
    RevocationReason.AFFILIATION_CHANGED: x509.ReasonFlags.affiliation_changed,
    RevocationReason.SUPERSEDED: x509.ReasonFlags.superseded,
    RevocationReason.CESSATION_OF_OPERATION: x509.ReasonFlags.cessation_of_operation,
    RevocationReason.CERTIFICATE_HOLD: x509.ReasonFlags.certificate_hold,
}


def _known(name: str) -> str:
    if name not in Authority.values:
        raise PkiError("Autorité de certification inconnue.", code="unknown_authority", details={"authority": name})
    return name


def parse_reason(reason: str) -> tuple[str, str]:
    """(code, note): a RevocationReason value is its own code; free text is kept as the note of an
    `unspecified` revocation (the cards app may explain an opposition in words)."""
    reason = (reason or "").strip()
    if reason in RevocationReason.values:
        return reason, ""
    return RevocationReason.UNSPECIFIED, reason[:200]


def _locked_list(name: str) -> RevocationList:
    RevocationList.objects.get_or_create(authority=name)
    return RevocationList.objects.select_for_update().get(authority=name)


def _entries(name: str):
    rows = IssuedCertificate.objects.filter(authority=name, revoked_at__isnull=False).order_by("revoked_at")
    for serial, revoked_at, reason in rows.values_list("serial", "revoked_at", "revocation_reason").iterator(
        chunk_size=10_000
    ):
        builder = x509.RevokedCertificateBuilder().serial_number(int(serial)).revocation_date(revoked_at)
        flag = REASON_FLAGS.get(reason)
        if flag is not None:
            builder = builder.add_extension(x509.CRLReason(flag), critical=False)
        yield builder.build()


def build_crl(name: str, *, number: int, now: datetime | None = None) -> x509.CertificateRevocationList:
    authority = authorities.load(name)
    now = now or datetime.now(UTC).replace(microsecond=0)
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.certificate.public_key())
    # One constructor call: add_revoked_certificate() copies the list each time (quadratic at 100,000).
    builder = x509.CertificateRevocationListBuilder(
        issuer_name=authority.certificate.subject,
        last_update=now,
        next_update=now + CRL_VALIDITY,
        extensions=[
            x509.Extension(x509.CRLNumber.oid, False, x509.CRLNumber(number)),
            x509.Extension(x509.AuthorityKeyIdentifier.oid, False, aki),
        ],
        revoked_certificates=list(_entries(name)),
    )
    return builder.sign(authority.key, hashes.SHA256())


def _regenerate(row: RevocationList) -> RevocationList:
    crl = build_crl(row.authority, number=row.number + 1)
    row.number += 1
    row.der = crl.public_bytes(serialization.Encoding.DER)
    row.this_update = crl.last_update_utc
    row.next_update = crl.next_update_utc
    row.save(update_fields=["number", "der", "this_update", "next_update"])
    return row


def regenerate_crl(name: str) -> RevocationList:
    with transaction.atomic():
        return _regenerate(_locked_list(_known(name)))


def revoke(issued: IssuedCertificate, *, reason: str) -> None:
    """Revoke `issued` and regenerate its authority's CRL, in one transaction (AlreadyRevoked twice)."""
    code, note = parse_reason(reason)
    with transaction.atomic():
        crl_row = _locked_list(issued.authority)  # first: the order every revocation locks in
        row = IssuedCertificate.objects.select_for_update().get(pk=issued.pk)
        if row.revoked_at is not None:
            raise AlreadyRevoked(details={"revoked_at": row.revoked_at.isoformat()})
        row.revoked_at = datetime.now(UTC).replace(microsecond=0)
        row.revocation_reason = code
        row.revocation_note = note
        row.save(update_fields=["revoked_at", "revocation_reason", "revocation_note"])
        _regenerate(crl_row)
    issued.revoked_at, issued.revocation_reason, issued.revocation_note = row.revoked_at, code, note


def crl_der(authority_name: str) -> bytes:
    """The current CRL of an authority, DER; (re)generated when missing or close to its nextUpdate."""
    name = _known(authority_name)
    row = RevocationList.objects.filter(authority=name).first()
    now = datetime.now(UTC)
    if row is None or not row.der or row.next_update - now < CRL_REFRESH_MARGIN:
        with transaction.atomic():
            row = _locked_list(name)
            if not row.der or row.next_update - now < CRL_REFRESH_MARGIN:
                _regenerate(row)
    return bytes(row.der)
