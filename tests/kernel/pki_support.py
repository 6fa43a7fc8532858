"""Keys, CSRs and the openssl binary for the PKI tests (keys are generated once per process)."""

import subprocess
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

FINESS_ID = "1010780054"  # idNat_Struct: 1 + FINESS


@cache
def rsa_key(bits: int = 2048, index: int = 0):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_key(curve_name: str = "secp256r1"):
    return ec.generate_private_key(getattr(ec, curve_name.upper())())


def make_csr(key=None, *, cn="Logiciel DUI", ou=None, dns=(), pem=True, extra_san=()) -> bytes:
    key = key or rsa_key()
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]
    if cn:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    if ou:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    builder = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(attributes))
    names = [x509.DNSName(d) for d in dns] + list(extra_san)
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    csr = builder.sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM if pem else serialization.Encoding.DER)


def openssl(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], input=input, capture_output=True, check=False)


def x509_text(issued) -> str:
    return openssl("x509", "-noout", "-text", input=issued.pem.encode()).stdout.decode()


def verify_with_crl(tmp_path, pki_dir, issued, crl_der: bytes) -> subprocess.CompletedProcess:
    leaf = tmp_path / "leaf.pem"
    leaf.write_text(issued.pem)
    crl = tmp_path / "crl.der"
    crl.write_bytes(crl_der)
    crl_pem = tmp_path / "crl.pem"
    subprocess.run(["openssl", "crl", "-inform", "DER", "-in", crl, "-out", crl_pem], check=True)
    bundle = str(pki_dir / "ca-bundle.pem")
    return openssl("verify", "-crl_check", "-CAfile", bundle, "-CRLfile", str(crl_pem), str(leaf))
