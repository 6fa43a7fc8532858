"""The OCSP responder of each issuing authority (RFC 6960), beside its CRL.

A relying party asks about one certificate (issuer hashes + serial) and gets `good`, `revoked`
(time and reason) or `unknown` (a serial this authority never issued), signed by a delegated
responder: a certificate of the authority's own with the OCSPSigning EKU and `id-pkix-ocsp-nocheck`
(RFC 6960 4.2.2.2), whose key lives beside the authority's, encrypted with the same passphrase.
It is made on first use, valid `RESPONDER_VALIDITY`, and replaced once less than
`RESPONDER_RENEWAL` remains. A request's nonce is echoed. The status is read from
`IssuedCertificate`, the same row the CRL is built from, so both always agree.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.db import connection

from esms_portal.models import IssuedCertificate
from esms_portal.pki import authorities
from esms_portal.pki.errors import AuthorityUnavailable
from esms_portal.pki.revocation import REASON_FLAGS

ANSWERING = (authorities.PERSONS, authorities.ORGANISATIONS)  # the authorities that issue leaves
RESPONDER_VALIDITY = timedelta(days=90)
RESPONDER_RENEWAL = timedelta(days=30)
ANSWER_VALIDITY = timedelta(hours=1)  # nextUpdate: how long a relying party may cache an answer
RESPONDER_KEY_SIZE = 2048


@dataclass(frozen=True)
class Responder:
    authority: authorities.LoadedAuthority
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey


def _paths(name: str):
    directory = authorities.pki_dir()
    return directory / f"{name}-ocsp.key.pem", directory / f"{name}-ocsp.crt.pem"


def _make_responder(authority: authorities.LoadedAuthority, now: datetime) -> tuple[x509.Certificate, object]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=RESPONDER_KEY_SIZE)
    subject = x509.Name([
        *[attribute for attribute in authorities.authority_subject(authority.name)
          if attribute.oid != NameOID.COMMON_NAME],
        x509.NameAttribute(NameOID.COMMON_NAME, f"{authority.label} OCSP"),
    ])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + RESPONDER_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        .add_extension(x509.OCSPNoCheck(), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.certificate.public_key()), critical=False
        )
        .sign(authority.key, hashes.SHA256())
    )
    return certificate, key


# Loaded responders by authority name (one key decryption per process and responder).
_responders: dict[str, Responder] = {}


def responder(name: str) -> Responder:
    """The delegated responder of authority `name`, made or renewed when needed."""
    authority = authorities.load(name)
    now = datetime.now(UTC).replace(microsecond=0)
    loaded = _responders.get(name)
    if loaded is None or not _usable(loaded, authority, now):
        key_path, cert_path = _paths(name)
        loaded = _read(key_path, cert_path, authority) if cert_path.exists() and key_path.exists() else None
        if loaded is None or not _usable(loaded, authority, now):
            loaded = _create(authority, now)
        _responders[name] = loaded
    return loaded


def _usable(loaded: Responder, authority: authorities.LoadedAuthority, now: datetime) -> bool:
    """Made for this very authority (it may have been re-created) and not close to its end."""
    return (loaded.authority.certificate == authority.certificate
            and loaded.certificate.not_valid_after_utc - now > RESPONDER_RENEWAL)


def _create(authority: authorities.LoadedAuthority, now: datetime) -> Responder:
    certificate, key = _make_responder(authority, now)
    key_path, cert_path = _paths(authority.name)
    authorities.write_file(key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(authorities.passphrase()),
    ), 0o600)
    authorities.write_file(cert_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
    return Responder(authority, certificate, key)


def _read(key_path, cert_path, authority) -> Responder | None:
    certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
    try:
        certificate.verify_directly_issued_by(authority.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return None  # the authority was re-created: its old responder no longer chains
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=authorities.passphrase())
    except (ValueError, TypeError):
        raise AuthorityUnavailable(
            "La clé du répondeur OCSP ne peut être déchiffrée : PORTAL_PKI_PASSPHRASE ne correspond pas."
        ) from None
    return Responder(authority, certificate, key)


# (authority certificate, hash algorithm name) -> its (issuerNameHash, issuerKeyHash).
_hashes: dict[tuple, tuple[bytes, bytes]] = {}


def _issuer_hashes(certificate: x509.Certificate, algorithm: hashes.HashAlgorithm) -> tuple[bytes, bytes]:
    """(issuerNameHash, issuerKeyHash) of an authority's certificate with the request's hash algorithm."""
    known = (certificate.fingerprint(hashes.SHA256()), algorithm.name)
    if known not in _hashes:
        name_digest = hashes.Hash(algorithm)
        name_digest.update(certificate.subject.public_bytes())
        key_digest = hashes.Hash(algorithm)
        key_digest.update(certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1
        ))
        _hashes[known] = (name_digest.finalize(), key_digest.finalize())
    return _hashes[known]


# Responders as last checked against their files, by (directory, authority): an answer costs one
# signature, so the files are looked at again only every RECHECK_SECONDS, not on every question.
RECHECK_SECONDS = 5
_checked: dict[tuple, tuple[float, Responder]] = {}


def current_responder(name: str) -> Responder:
    key, now = (str(authorities.pki_dir()), name), time.monotonic()
    checked = _checked.get(key)
    if checked is None or now - checked[0] > RECHECK_SECONDS:
        checked = _checked[key] = (now, responder(name))
    return checked[1]


def _signer_asked(request: ocsp.OCSPRequest, names) -> Responder | None:
    """The responder of the authority the request's CertID names, among `names`."""
    for name in names:
        try:
            signer = current_responder(name)
        except AuthorityUnavailable:
            continue
        asked = (request.issuer_name_hash, request.issuer_key_hash)
        if _issuer_hashes(signer.authority.certificate, request.hash_algorithm) == asked:
            return signer
    return None


def _failure(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)


def try_later() -> bytes:
    """The unsigned `tryLater` answer of a responder that refuses to work for now (a throttle)."""
    return _failure(ocsp.OCSPResponseStatus.TRY_LATER)


def answer(request_der: bytes, *, authority: str | None = None) -> bytes:
    """The DER OCSP response to a DER OCSP request (never raises on the request's content).

    `authority` is the one of the URL the request came to: a question about another authority's
    certificate is `unauthorized` (RFC 6960 2.3), as is one about an issuer we do not know.
    """
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return _failure(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    signer = _signer_asked(request, (authority,) if authority else ANSWERING)
    if signer is None:
        return _failure(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    name = signer.authority.name
    now = datetime.now(UTC).replace(microsecond=0)
    row = _status_row(name, request.serial_number)
    builder = ocsp.OCSPResponseBuilder()
    # The single response names the certificate by its CertID (hashes + serial), as asked.
    builder = builder.add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=request.hash_algorithm,
        cert_status=_status(row),
        this_update=now,
        next_update=now + ANSWER_VALIDITY,
        revocation_time=row[0] if row is not None and row[0] else None,
        revocation_reason=REASON_FLAGS.get(row[1]) if row is not None and row[0] else None,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, signer.certificate).certificates(
        [signer.certificate]
    )
    for extension in request.extensions:
        if isinstance(extension.value, x509.OCSPNonce):
            builder = builder.add_extension(extension.value, critical=False)
    return builder.sign(signer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _status_row(name: str, serial: int) -> tuple | None:
    """(revoked_at, revocation_reason) of the certificate, or None if this authority never issued it.

    One plain indexed lookup (authority, serial): the answer's only query, written as SQL because the
    ORM's compilation cost as much as the lookup itself (bench/ocsp_answer.py)."""
    table = IssuedCertificate._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT revoked_at, revocation_reason FROM {table} WHERE authority = %s AND serial = %s",
                       [name, str(serial)])
        return cursor.fetchone()


def _status(row) -> ocsp.OCSPCertStatus:
    if row is None:
        return ocsp.OCSPCertStatus.UNKNOWN
    return ocsp.OCSPCertStatus.REVOKED if row[0] else ocsp.OCSPCertStatus.GOOD
