"""Reading and checking certificate signing requests (PKCS#10), PEM or DER.

Every failure is a `CsrRejected` with a stable code: the parser is fuzzed so that nothing else
escapes (tests/kernel/test_pki_csr.py).
"""

import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from esms_portal.pki.errors import CsrRejected

MAX_CSR_BYTES = 64 * 1024
MIN_RSA_BITS = 2048
MAX_RSA_BITS = 8192
ALLOWED_CURVES = (ec.SECP256R1, ec.SECP384R1)
DNS_NAME = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class CsrNames:
    common_name: str
    organisation_ids: tuple[str, ...]  # the OU values: an idNat_Struct in IGC-Santé subjects
    dns_names: tuple[str, ...]
    other_names: tuple[str, ...]  # SAN entries that are not DNS names (never certified)


def malformed(detail: str = "") -> CsrRejected:
    return CsrRejected(
        "La demande de certificat (CSR) est illisible : fournissez un fichier PKCS#10 complet, au format "
        "PEM (« -----BEGIN CERTIFICATE REQUEST----- ») ou DER.",
        code="csr_malformed", details={"detail": detail} if detail else None,
    )


def load_csr(data: bytes | str) -> x509.CertificateSigningRequest:
    """Parse a CSR, PEM or DER, refusing anything else."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise malformed("type")
    data = bytes(data)
    if not data.strip():
        raise malformed("empty")
    if len(data) > MAX_CSR_BYTES:
        raise CsrRejected(f"La CSR dépasse {MAX_CSR_BYTES // 1024} Kio : ce n'est pas une CSR.", code="csr_too_large")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_csr(data.strip())
        return x509.load_der_x509_csr(data)
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.InvalidVersion) as error:
        raise malformed(type(error).__name__) from None


def check_public_key(key) -> None:
    """RSA of 2048 bits or more, or EC on P-256/P-384 (REFERENCE.md: RSA 2048 leaves; see README)."""
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise CsrRejected(
                f"Clé RSA de {key.key_size} bits trop faible : {MIN_RSA_BITS} bits au minimum.",
                code="weak_key", details={"key_size": key.key_size},
            )
        if key.key_size > MAX_RSA_BITS:
            raise CsrRejected(f"Clé RSA de plus de {MAX_RSA_BITS} bits non acceptée.", code="unsupported_key")
        return
    if isinstance(key, ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ALLOWED_CURVES):
            raise CsrRejected(
                f"Courbe elliptique {key.curve.name} non acceptée : P-256 ou P-384 seulement.",
                code="weak_key", details={"curve": key.curve.name},
            )
        return
    raise CsrRejected("Type de clé non accepté : RSA (2048 bits et plus) ou EC P-256/P-384.", code="unsupported_key")


def _names(csr: x509.CertificateSigningRequest) -> CsrNames:
    subject = csr.subject
    common_names = [a.value for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    organisation_ids = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    dns_names, other_names = [], []
    try:
        san = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = []
    for entry in san:
        if isinstance(entry, x509.DNSName):
            dns_names.append(entry.value)
        else:
            other_names.append(str(entry.value))
    return CsrNames(
        common_name=str(common_names[0]) if common_names else "",
        organisation_ids=tuple(str(value) for value in organisation_ids),
        dns_names=tuple(dns_names),
        other_names=tuple(other_names),
    )


def read_csr(data: bytes | str) -> tuple[x509.CertificateSigningRequest, CsrNames]:
    """Parse, verify the proof of possession, check the key and read the names of a CSR."""
    csr = load_csr(data)
    try:
        signature_ok = csr.is_signature_valid
        key = csr.public_key()
        names = _names(csr)
    except (ValueError, TypeError, UnsupportedAlgorithm, x509.DuplicateExtension,
            x509.UnsupportedGeneralNameType, x509.InvalidVersion) as error:
        raise malformed(type(error).__name__) from None
    if not signature_ok:
        raise CsrRejected(
            "La signature de la CSR ne se vérifie pas avec sa clé publique : la demande a été altérée "
            "ou n'a pas été signée par la clé privée correspondante.",
            code="csr_bad_signature",
        )
    check_public_key(key)
    return csr, names


def normalise_dns_name(name: str) -> str:
    value = (name or "").strip().lower().rstrip(".")
    if not DNS_NAME.match(value) or len(value) > 253:
        raise CsrRejected(f"« {name} » n'est pas un nom de domaine ou de serveur valide.", code="invalid_dns_name")
    return value


def dns_name_allowed(name: str, allowed: set[str]) -> bool:
    """Exact match, or one label under an allowed `*.domain` entry."""
    if name in allowed:
        return True
    head, _, rest = name.partition(".")
    return bool(rest) and head != "*" and f"*.{rest}" in allowed
