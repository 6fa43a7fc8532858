"""Issuing benchmark of the IGC Santé test authority (esms_portal.pki) and of the certificate orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esms_bench_certs \
    .venv/bin/python bench/certificates_issue.py --certificates 1000 --revoked 100000

1. recreates the database (a dedicated one: it is dropped), creates the authorities in a
   temporary directory (RSA 4096 CAs, as in production, unless --ca-key-size) and loads the demo
   (`load_demo`: its organisation's accepted F413 and technical administrator order below);
2. prepares N CSRs (RSA 2048, from a pool of --keys key pairs: key generation is not measured);
3. times, in each of --rounds chunks and on the same CSRs: bare, the same certificates (same
   extensions, same CA key) signed with `cryptography` alone; `pki.issue_from_csr` for each CSR
   (checks, signature, one IssuedCertificate row each, autocommit); `pki.issue_from_csrs` by bulk
   orders of --batch CSRs (one INSERT and one COMMIT per order); the product's single order,
   `certificates.services.certificate_order` per CSR as the API calls it (permission, F413 scope,
   one certificate per type and software, issuance, order row, audit row, events, reminder, one
   transaction, and what runs on its commit: the EJ's onboarding row); and its bulk order,
   `certificate_order_bulk` by orders of --batch lines as the API calls it; rates and the median
   of the rounds' ratios to bare;
4. CRL: inserts --revoked revoked rows, then times `regenerate_crl` (query, build, sign, save).
Figures go to stdout and bench/results/certificates_issue-<time>.json.
"""

import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime

from benchsetup import ROOT, arguments, bench_database, use_temporary_pki, write_results

ORGANISATION_ID = "1010780054"


def make_csrs(count: int, keys: int) -> list[bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    pool = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(keys)]
    csrs = []
    for index in range(count):
        name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Logiciel DUI {index}"),
        ])
        csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(pool[index % keys], hashes.SHA256())
        csrs.append(csr.public_bytes(serialization.Encoding.PEM))
    return csrs


ORDER = {"organisation_name": "ASSOCIATION BENCH", "organisation_id": ORGANISATION_ID, "departement": "69"}


def bench_service(csrs) -> dict:
    from esms_portal import pki

    start = time.perf_counter()
    for csr in csrs:
        pki.issue_from_csr(csr, profile=pki.Profile.ORG_AUTH_CLI, **ORDER)
    elapsed = time.perf_counter() - start
    return {"certificates": len(csrs), "seconds": round(elapsed, 3), "per_s": round(len(csrs) / elapsed, 1)}


def bench_batch(csrs, batch: int) -> dict:
    """A bulk order: `pki.issue_from_csrs`, `batch` certificates per transaction (one INSERT, one COMMIT)."""
    from esms_portal import pki

    start = time.perf_counter()
    for first in range(0, len(csrs), batch):
        pki.issue_from_csrs(csrs[first:first + batch], profile=pki.Profile.ORG_AUTH_CLI, **ORDER)
    elapsed = time.perf_counter() - start
    return {"certificates": len(csrs), "seconds": round(elapsed, 3), "per_s": round(len(csrs) / elapsed, 1)}


def demo_administrator():
    """The demo's technical administrator of its organisation, as after her card login (R-CER-4)."""
    from contracts.models import Structure
    from esms_portal.models import User

    administrator = User.objects.get(email="representant@demo.esms.example")
    administrator.card_authenticated = True
    return administrator, Structure.objects.get(finess="0B1000013")


# R-CER-5: one ORG AUTH_CLI per software, so a new software per certificate (unique across runs too).
_software = (f"{secrets.token_hex(3)}-{n}" for n in range(10**9))


def bench_order(csrs, administrator, organisation) -> dict:
    """The product's single order, as the API's `POST /api/v1/certificates/` calls it."""
    from certificates import services
    from esms_portal import pki

    start = time.perf_counter()
    for csr in csrs:
        services.certificate_order(actor=administrator, organisation=organisation, profile=pki.Profile.ORG_AUTH_CLI,
                                   software_name=f"Logiciel {next(_software)}", common_name="", dns_names=[],
                                   csr=csr)
    elapsed = time.perf_counter() - start
    return {"certificates": len(csrs), "seconds": round(elapsed, 3), "per_s": round(len(csrs) / elapsed, 1)}


def bench_bulk_order(csrs, administrator, organisation, batch: int) -> dict:
    """The product's bulk order, as `POST /api/v1/certificates/bulk/` calls it, by orders of `batch` lines."""
    from certificates import services
    from esms_portal import pki

    start = time.perf_counter()
    for first in range(0, len(csrs), batch):
        lines = [services.OrderLine(csr=csr, profile="", software_name=f"Logiciel {next(_software)}", common_name="",
                                    dns_names=()) for csr in csrs[first:first + batch]]
        services.certificate_order_bulk(actor=administrator, organisation=organisation,
                                        profile=pki.Profile.ORG_AUTH_CLI, software_name="", lines=lines)
    elapsed = time.perf_counter() - start
    return {"certificates": len(csrs), "seconds": round(elapsed, 3), "per_s": round(len(csrs) / elapsed, 1)}


def bench_bare(csrs) -> dict:
    """The same certificates with cryptography alone: same CA key, extensions and subject shape."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    from esms_portal.pki import authorities

    ca = authorities.load(authorities.ORGANISATIONS)
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key())
    usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
    crl = x509.CRLDistributionPoints([x509.DistributionPoint(
        [x509.UniformResourceIdentifier(authorities.crl_url(ca.name))], None, None, None)])
    issuers, responder = x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, x509.oid.AuthorityInformationAccessOID.OCSP
    aia = x509.AuthorityInformationAccess([
        x509.AccessDescription(responder, x509.UniformResourceIdentifier(authorities.ocsp_url(ca.name))),
        x509.AccessDescription(issuers, x509.UniformResourceIdentifier(authorities.ca_url(ca.name))),
    ])
    policy = x509.CertificatePolicies([x509.PolicyInformation(
        x509.ObjectIdentifier("1.2.250.1.213.1.7.2.1.1.1.1"), ["http://igc-sante.esante.gouv.fr/PC%20TEST"])])
    start = time.perf_counter()
    for data in csrs:
        request = x509.load_pem_x509_csr(data)
        key = request.public_key()
        now = datetime.now(UTC).replace(microsecond=0)
        subject = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Rhône (69)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ASSOCIATION BENCH"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ORGANISATION_ID),
            request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0],
        ])
        (
            x509.CertificateBuilder().subject_name(subject).issuer_name(ca.certificate.subject).public_key(key)
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now.replace(year=now.year + 3))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
            .add_extension(aki, critical=False).add_extension(crl, critical=False)
            .add_extension(aia, critical=False).add_extension(policy, critical=False)
            .sign(ca.key, hashes.SHA256())
        )
    elapsed = time.perf_counter() - start
    return {"certificates": len(csrs), "seconds": round(elapsed, 3), "per_s": round(len(csrs) / elapsed, 1)}


def bench_crl(revoked: int) -> dict:
    from esms_portal.models import IssuedCertificate, RevocationReason
    from esms_portal.pki.revocation import regenerate_crl

    now = datetime.now(UTC)
    reasons = [RevocationReason.KEY_COMPROMISE, RevocationReason.SUPERSEDED, RevocationReason.UNSPECIFIED]
    rows = (
        IssuedCertificate(
            authority="organisations", serial=str(secrets.randbits(159)), profile="ORG_AUTH_CLI",
            subject="CN=bench", common_name="bench", holder_id=ORGANISATION_ID, not_before=now, not_after=now,
            der=b"-", fingerprint_sha256=secrets.token_hex(32), revoked_at=now, revocation_reason=reasons[i % 3],
        )
        for i in range(revoked)
    )
    IssuedCertificate.objects.bulk_create(rows, batch_size=5000)
    total = IssuedCertificate.objects.filter(authority="organisations", revoked_at__isnull=False).count()
    start = time.perf_counter()
    crl_row = regenerate_crl("organisations")
    elapsed = time.perf_counter() - start
    return {"revoked_entries": total, "seconds": round(elapsed, 3), "crl_bytes": len(bytes(crl_row.der))}


def main():
    args = arguments(__doc__, certificates=1000, keys=(20, "RSA 2048 key pairs behind the CSRs"), revoked=100_000,
                     ca_key_size=4096, rounds=(10, "alternating rounds of every path"),
                     batch=(100, "certificates per bulk order (pki.issue_from_csrs, certificate_order_bulk)"))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://... (a dedicated database)")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    os.environ.setdefault("PORTAL_PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-certs-"))  # the demo's files
    use_temporary_pki()
    bench_database(url)
    from esms_portal.pki import init_authorities

    init_authorities(key_size=args.ca_key_size)
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))
    administrator, organisation = demo_administrator()
    results = {"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(), "database": url,
               "ca_key_size": args.ca_key_size, "batch": args.batch}
    csrs = make_csrs(args.certificates, args.keys)
    bench_bare(csrs[:20])  # warm-up: decrypts the CA key, loads the code paths
    bench_order(csrs[:5], administrator, organisation)
    # The paths alternate by rounds, so that a noisy neighbour weighs on all alike; the ratio
    # reported is the median of the rounds' ratios.
    size = max(1, len(csrs) // args.rounds)
    paths = ("service", "batch", "order", "bulk_order")
    rounds = []
    for start in range(0, len(csrs), size):
        chunk = csrs[start:start + size]
        current = {"bare": bench_bare(chunk), "service": bench_service(chunk), "batch": bench_batch(chunk, args.batch),
                   "order": bench_order(chunk, administrator, organisation),
                   "bulk_order": bench_bulk_order(chunk, administrator, organisation, args.batch)}
        for name in paths:
            current[f"{name}_ratio"] = round(current[name]["per_s"] / current["bare"]["per_s"], 3)
        rounds.append(current)
        print(f"round {len(rounds)}: bare {current['bare']['per_s']}/s; "
              + "; ".join(f"{name} {current[name]['per_s']}/s ({current[f'{name}_ratio']})" for name in paths),
              flush=True)
    results["rounds"] = rounds
    for name in ("bare", *paths):
        results[name] = {"per_s_median": statistics.median(r[name]["per_s"] for r in rounds)}
    for name in paths:
        results[f"{name}_ratio"] = round(statistics.median(r[f"{name}_ratio"] for r in rounds), 2)
    print("median ratios to bare: pki one by one", results["service_ratio"], "; pki bulk of", args.batch,
          results["batch_ratio"], "; single order (service)", results["order_ratio"], "; bulk order of", args.batch,
          "(service)", results["bulk_order_ratio"], "(goal >= 0.5)", flush=True)
    if args.revoked:
        results["crl"] = bench_crl(args.revoked)
        print("CRL regeneration:", results["crl"], "(goal < 10 s)", flush=True)
    print(f"results: {write_results('certificates_issue', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
