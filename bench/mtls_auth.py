"""Mutual TLS authentication benchmark (esms_portal.auth.certificates): requests authenticated per
second by client certificate, against a token and against bare certificate parsing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esms_bench_mtls \
    .venv/bin/python bench/mtls_auth.py --certificates 100000 --requests 2000 --rounds 10

1. recreates the database (a dedicated one: it is dropped), creates the authorities in a temporary
   directory, an EJ, --certificates issued rows of other holders (so that the fingerprint lookup runs
   against a real index at size) and one real ORG AUTH_CLI of the EJ; the program account exists
   (first use is paid once, not measured);
2. service: `ClientCertificateAuthentication().authenticate(request)` for a request as nginx passes it
   (URL-encoded PEM, verdict SUCCESS, from a trusted proxy): parse, SHA-256, the certificate row, the
   program account (its EJ a subquery); token: `ExpiringTokenAuthentication` for a `Token` header (one
   query); bare: the PEM parsed and fingerprinted alone (no database). The three alternate over
   --rounds chunks; medians and the ratios service/token and service/bare are reported.
Figures go to stdout and bench/results/mtls_auth-<time>.json. Goal: service/token >= 0.4 (two
queries against one, and a PEM parsed).
"""

import os
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

from benchsetup import ROOT, arguments, bench_database, use_temporary_pki, write_results


def insert_certificates(count: int) -> None:
    from esms_portal.models import IssuedCertificate

    now = datetime.now(UTC)
    rows = (
        IssuedCertificate(
            authority="organisations", serial=str(secrets.randbits(159)), profile="ORG_AUTH_CLI",
            subject="CN=bench", common_name="bench", holder_id=f"1{index:09d}", not_before=now,
            not_after=now + timedelta(days=1000), der=b"-", fingerprint_sha256=secrets.token_hex(32),
        )
        for index in range(count)
    )
    IssuedCertificate.objects.bulk_create(rows, batch_size=5000)


def timed(function, requests) -> dict:
    start = time.perf_counter()
    for request in requests:
        assert function(request) is not None
    elapsed = time.perf_counter() - start
    return {"requests": len(requests), "seconds": round(elapsed, 3), "per_s": round(len(requests) / elapsed, 1)}


def main():
    args = arguments(__doc__, certificates=100_000, requests=2000, rounds=(10, "alternating rounds"))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set DATABASE_URL=postgres://... (a dedicated database)")
    use_temporary_pki()
    os.environ["PORTAL_MTLS_HEADER"] = "X-SSL-Client-Cert"
    os.environ["PORTAL_MTLS_PROXIES"] = "127.0.0.1"
    bench_database(url)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.db import connection
    from rest_framework.test import APIRequestFactory

    from contracts.models import Structure, StructureKind
    from esms_portal import pki
    from esms_portal.auth.certificates import ClientCertificateAuthentication
    from esms_portal.auth.tokens import ExpiringTokenAuthentication, api_token_create
    from esms_portal.models import User

    pki.init_authorities(key_size=2048)
    insert_certificates(args.certificates)
    ej = Structure(kind=StructureKind.EJ, finess="0B0000013", name="Association Bench", departement="75")
    ej.legal_entity = ej
    ej.save()
    from tests.kernel.pki_support import make_csr  # noqa: PLC0415  (the tests' CSR helper)

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issued = pki.issue_from_csr(make_csr(key, cn="DUI Bench"), profile=pki.Profile.ORG_AUTH_CLI,
                                organisation_name=ej.name, organisation_id="1" + ej.finess)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE esms_portal_issuedcertificate")
    factory = APIRequestFactory()
    header = quote(issued.pem, safe="")
    cert_request = factory.get("/api/v1/structures/", REMOTE_ADDR="127.0.0.1", HTTP_X_SSL_CLIENT_CERT=header,
                               HTTP_X_SSL_CLIENT_VERIFY="SUCCESS")
    certificates = ClientCertificateAuthentication()
    user, _ = certificates.authenticate(cert_request)  # the program account, made once
    _, token = api_token_create(user=User.objects.create_user(email="bench@bench.example"))
    token_request = factory.get("/api/v1/structures/", HTTP_AUTHORIZATION=f"Token {token}")
    tokens = ExpiringTokenAuthentication()

    def bare(_request):
        return x509.load_pem_x509_certificate(unquote(header).encode()).fingerprint(hashes.SHA256())

    kinds = {"bare": bare, "token": tokens.authenticate, "service": certificates.authenticate}
    requests = {"bare": [None] * args.requests, "token": [token_request] * args.requests,
                "service": [cert_request] * args.requests}
    for name, function in kinds.items():  # warm-up
        timed(function, requests[name][:20])
    size = max(1, args.requests // args.rounds)
    rounds = []
    for start in range(0, args.requests, size):
        row = {name: timed(function, requests[name][start:start + size]) for name, function in kinds.items()}
        row["service_per_token"] = round(row["service"]["per_s"] / row["token"]["per_s"], 3)
        row["service_per_bare"] = round(row["service"]["per_s"] / row["bare"]["per_s"], 3)
        rounds.append(row)
        print(f"round {len(rounds)}: bare {row['bare']['per_s']}/s, token {row['token']['per_s']}/s, "
              f"certificate {row['service']['per_s']}/s", flush=True)
    results = {"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(), "database": url,
               "certificates": args.certificates, "requests": args.requests, "rounds": rounds}
    for name in kinds:
        results[name] = {"per_s_median": statistics.median(r[name]["per_s"] for r in rounds)}
    results["service_per_token"] = round(statistics.median(r["service_per_token"] for r in rounds), 2)
    results["service_per_bare"] = round(statistics.median(r["service_per_bare"] for r in rounds), 2)
    print(f"median: bare {results['bare']['per_s_median']}/s, token {results['token']['per_s_median']}/s, "
          f"certificate {results['service']['per_s_median']}/s; certificate/token {results['service_per_token']} "
          f"(goal >= 0.4), certificate/bare {results['service_per_bare']}", flush=True)
    print(f"results: {write_results('mtls_auth', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
