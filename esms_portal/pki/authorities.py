"""The test hierarchy: one root and two issuing authorities, their keys encrypted on disk.

Modelled on IGC-Santé (REFERENCE.md section 5) with one simplification: the real offer has one
root per level (ELEMENTAIRE, STANDARD, FORT) and card certificates come from STANDARD/FORT
PERSONNES; here a single ELEMENTAIRE root signs both issuing authorities. Every name starts with
TEST and carries `OU=SIMULATION PORTAIL ESMS`, so no certificate can pass for one of the ANS.

Files in settings.PORTAL_PKI_DIR (outside the web root): `<name>.key.pem`, PKCS#8 encrypted with
the passphrase (BestAvailableEncryption), mode 0600; `<name>.crt.pem`. Nothing else holds a key.
"""

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings

from esms_portal.models import Authority
from esms_portal.pki.errors import AuthorityUnavailable

ROOT, PERSONS, ORGANISATIONS = Authority.ROOT.value, Authority.PERSONS.value, Authority.ORGANISATIONS.value
PARENT = {ROOT: None, PERSONS: ROOT, ORGANISATIONS: ROOT}
CA_VALIDITY = timedelta(days=20 * 365)  # the real test CAs: 2013 -> 2033
DEMO_PASSPHRASE = "DEMO-ONLY-insecure-pki-passphrase"
MIN_PASSPHRASE_LENGTH = 16


@dataclass(frozen=True)
class LoadedAuthority:
    name: str
    certificate: x509.Certificate
    key: object  # an RSA or EC private key

    @property
    def label(self) -> str:
        return Authority(self.name).label


def passphrase_problem(value: str, *, debug: bool) -> str | None:
    """Why the CA passphrase is unusable, in French, or None (shared with check esms.E020)."""
    if not value:
        return (
            "PORTAL_PKI_PASSPHRASE (ou PORTAL_PKI_PASSPHRASE_FILE) est absente : "
            "les clés de l'AC ne peuvent être lues."
        )
    if not debug and (value == DEMO_PASSPHRASE or len(value) < MIN_PASSPHRASE_LENGTH):
        return (
            "PORTAL_PKI_PASSPHRASE est la phrase de démonstration ou trop courte "
            f"(au moins {MIN_PASSPHRASE_LENGTH} caractères hors mode DEBUG)."
        )
    return None


def passphrase() -> bytes:
    value = settings.PORTAL_PKI_PASSPHRASE
    problem = passphrase_problem(value, debug=settings.DEBUG)
    if problem:
        raise AuthorityUnavailable(problem)
    return value.encode()


def pki_dir() -> Path:
    return Path(settings.PORTAL_PKI_DIR)


def _paths(name: str) -> tuple[Path, Path]:
    return pki_dir() / f"{name}.key.pem", pki_dir() / f"{name}.crt.pem"


def base_url() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def crl_url(name: str) -> str:
    return f"{base_url()}/pki/crl/{name}.crl"


def ca_url(name: str) -> str:
    return f"{base_url()}/pki/ca/{name}.crt"


def ocsp_url(name: str) -> str:
    return f"{base_url()}/pki/ocsp/{name}"


def authority_subject(name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ASIP-SANTE"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "0002 187512751"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IGC-SANTE TEST"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "SIMULATION PORTAIL ESMS"),
        x509.NameAttribute(NameOID.COMMON_NAME, Authority(name).label),
    ])


# Loaded authorities, keyed by file identity: decrypting a key costs a key derivation, paid once
# per process (and again when `pki_init` rewrites a file or the tests point at another directory).
_loaded: dict[tuple, LoadedAuthority] = {}
_certificates: dict[tuple, x509.Certificate] = {}


def _stamp(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise AuthorityUnavailable(details={"missing": path.name}) from None
    return str(path), stat.st_mtime_ns, stat.st_size


def ca_certificate(name: str) -> x509.Certificate:
    """The certificate of authority `name` (public; no passphrase needed)."""
    _, cert_path = _paths(name)
    stamp = _stamp(cert_path)
    if stamp not in _certificates:
        _certificates[stamp] = x509.load_pem_x509_certificate(cert_path.read_bytes())
    return _certificates[stamp]


def load(name: str) -> LoadedAuthority:
    """Authority `name` with its decrypted key, for signing."""
    key_path, cert_path = _paths(name)
    secret = passphrase()
    stamp = (_stamp(key_path), _stamp(cert_path), hashlib.sha256(secret).hexdigest())
    if stamp not in _loaded:
        try:
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=secret)
        except (ValueError, TypeError):
            raise AuthorityUnavailable(
                "La clé de l'AC de test ne peut être déchiffrée : PORTAL_PKI_PASSPHRASE ne correspond pas."
            ) from None
        _loaded[stamp] = LoadedAuthority(name=name, certificate=ca_certificate(name), key=key)
    return _loaded[stamp]


def chain(name: str) -> list[x509.Certificate]:
    """Authority `name` then its parents up to the root."""
    certificates = []
    while name is not None:
        certificates.append(ca_certificate(name))
        name = PARENT[name]
    return certificates


def write_file(path: Path, data: bytes, mode: int) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _build_ca(name: str, key, parent: LoadedAuthority | None, now: datetime) -> x509.Certificate:
    public_key = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(authority_subject(name))
        .issuer_name(parent.certificate.subject if parent else authority_subject(name))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if parent is None else 0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if parent is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()), critical=False
        ).add_extension(
            x509.CRLDistributionPoints([
                x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url(parent.name))], None, None, None)
            ]),
            critical=False,
        )
    return builder.sign(parent.key if parent else key, hashes.SHA256())


def init_authorities(*, key_size: int | None = None) -> dict[str, bool]:
    """Create the missing authorities (idempotent); returns {name: created}.

    An existing authority is loaded, which proves the passphrase opens its key. A missing root
    under existing issuing authorities is an error: their certificates would no longer chain.
    """
    key_size = key_size or settings.PORTAL_PKI_CA_KEY_SIZE
    secret = passphrase()
    directory = pki_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    now = datetime.now(UTC).replace(microsecond=0)
    created = {}
    for name in (ROOT, PERSONS, ORGANISATIONS):
        key_path, cert_path = _paths(name)
        if key_path.exists() and cert_path.exists():
            load(name)
            created[name] = False
            continue
        if name == ROOT and any(_paths(child)[1].exists() for child in (PERSONS, ORGANISATIONS)):
            raise AuthorityUnavailable(
                f"La racine de test manque dans {directory} alors que des AC filles existent : "
                "restaurez-la ou videz le répertoire."
            )
        parent = load(PARENT[name]) if PARENT[name] else None
        key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        certificate = _build_ca(name, key, parent, now)
        encrypted = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret),
        )
        write_file(key_path, encrypted, 0o600)
        write_file(cert_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644)
        created[name] = True
    return created
