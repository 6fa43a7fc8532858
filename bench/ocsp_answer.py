"""OCSP responder benchmark (esms_portal.pki.ocsp): answers per second against bare signing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esms_bench_ocsp \
    .venv/bin/python bench/ocsp_answer.py --certificates 100000 --questions 2000 --rounds 10

1. recreates the database (a dedicated one: it is dropped), creates the authorities in a temporary
   directory and inserts --certificates issued rows of the organisations' authority (one in ten
   revoked), so that the status lookup runs against a real index at size;
2. prepares --questions DER OCSP requests (SHA-1 CertIDs, a nonce each) for random serials of
   those rows, one in twenty a serial never issued;
3. service: `ocsp.answer(request)` for each (parse, issuer match, one indexed query, build, sign
   with the delegated responder's key, DER); bare: the same answers built and signed with
   `cryptography` alone from statuses known in advance (no parsing, no database), same responder
   key; the two alternate over --rounds chunks; the median of the rounds' ratios is reported.
Figures go to stdout and bench/results/ocsp_answer-<time>.json. Goal: ratio >= 0.5.
"""

import os
import random
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from benchsetup import ROOT, arguments, bench_database, use_temporary_pki, write_results

ORGANISATION_ID = "1010780054"


def insert_certificates(count: int) -> list[tuple[int, bool]]:
    """`count` issued rows (serial, revoked) of the organisations' authority, by bulk_create."""
    from esms_portal.models import IssuedCertificate

    now = datetime.now(UTC)
    serials = [(secrets.randbits(159), index % 10 == 0) for index in range(count)]
    rows = (
        IssuedCertificate(
            authority="organisations", serial=str(serial), profile="ORG_AUTH_CLI", subject="CN=bench",
            common_name="bench", holder_id=ORGANISATION_ID, not_before=now, not_after=now + timedelta(days=1000),
            der=b"-", fingerprint_sha256=secrets.token_hex(32), revoked_at=now if revoked else None,
            revocation_reason="key_compromise" if revoked else "",
        )
        for serial, revoked in serials
    )
    IssuedCertificate.objects.bulk_create(rows, batch_size=5000)
    return serials


def make_questions(serials, count: int) -> list[tuple[bytes, int, str]]:
    """(DER request, serial, expected status) for random known serials and some never issued."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    from esms_portal.pki.authorities import ca_certificate
    from esms_portal.pki.ocsp import _issuer_hashes

    name_hash, key_hash = _issuer_hashes(ca_certificate("organisations"), hashes.SHA1())
    questions = []
    for index in range(count):
        if index % 20 == 0:
            serial, status = secrets.randbits(159), "unknown"
        else:
            serial, revoked = random.choice(serials)
            status = "revoked" if revoked else "good"
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate_by_hash(name_hash, key_hash, serial, hashes.SHA1())
            .add_extension(x509.OCSPNonce(secrets.token_bytes(16)), critical=False)
            .build()
        )
        questions.append((request.public_bytes(serialization.Encoding.DER), serial, status))
    return questions


def bench_service(questions) -> dict:
    from cryptography.x509 import ocsp as x509_ocsp

    from esms_portal.pki import ocsp

    start = time.perf_counter()
    for der, _serial, _status in questions:
        answer = ocsp.answer(der, authority="organisations")
    elapsed = time.perf_counter() - start
    # Outside the timing: the last answer says what was expected.
    status = questions[-1][2]
    assert x509_ocsp.load_der_ocsp_response(answer).certificate_status.name.lower() == status
    return {"answers": len(questions), "seconds": round(elapsed, 3), "per_s": round(len(questions) / elapsed, 1)}


def bench_bare(questions) -> dict:
    """The same answers from known statuses: build and sign with cryptography alone."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    from esms_portal.pki.ocsp import _issuer_hashes, responder

    signer = responder("organisations")
    name_hash, key_hash = _issuer_hashes(signer.authority.certificate, hashes.SHA1())
    statuses = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED,
                "unknown": ocsp.OCSPCertStatus.UNKNOWN}
    start = time.perf_counter()
    for _der, serial, status in questions:
        now = datetime.now(UTC).replace(microsecond=0)
        revoked = status == "revoked"
        (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=name_hash, issuer_key_hash=key_hash, serial_number=serial,
                algorithm=hashes.SHA1(), cert_status=statuses[status], this_update=now,
                next_update=now + timedelta(hours=1), revocation_time=now if revoked else None,
                revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, signer.certificate)
            .certificates([signer.certificate])
            .add_extension(x509.OCSPNonce(secrets.token_bytes(16)), critical=False)
            .sign(signer.key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER)
        )
    elapsed = time.perf_counter() - start
    return {"answers": len(questions), "seconds": round(elapsed, 3), "per_s": round(len(questions) / elapsed, 1)}


def main():
    args = arguments(__doc__, certificates=100_000, questions=2000, ca_key_size=4096,
                     rounds=(10, "alternating bare/service rounds"))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://... (a dedicated database)")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    use_temporary_pki()
    bench_database(url)
    from django.db import connection

    from esms_portal.pki import init_authorities

    init_authorities(key_size=args.ca_key_size)
    serials = insert_certificates(args.certificates)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE esms_portal_issuedcertificate")
    questions = make_questions(serials, args.questions)
    results = {"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(), "database": url,
               "certificates": args.certificates, "questions": args.questions}
    bench_bare(questions[:20])  # warm-up: the responder made, its key decrypted, the code paths loaded
    bench_service(questions[:20])
    size = max(1, len(questions) // args.rounds)
    rounds = []
    for start in range(0, len(questions), size):
        chunk = questions[start:start + size]
        bare, service = bench_bare(chunk), bench_service(chunk)
        rounds.append({"bare": bare, "service": service, "ratio": round(service["per_s"] / bare["per_s"], 3)})
        print(f"round {len(rounds)}: bare {bare['per_s']}/s, service {service['per_s']}/s, "
              f"ratio {rounds[-1]['ratio']}", flush=True)
    results["rounds"] = rounds
    results["bare"] = {"per_s_median": statistics.median(r["bare"]["per_s"] for r in rounds)}
    results["service"] = {"per_s_median": statistics.median(r["service"]["per_s"] for r in rounds)}
    results["ratio"] = round(statistics.median(r["ratio"] for r in rounds), 2)
    print(f"median: bare {results['bare']['per_s_median']}/s, service {results['service']['per_s_median']}/s, "
          f"ratio service/bare {results['ratio']} (goal >= 0.5)", flush=True)
    print(f"results: {write_results('ocsp_answer', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
