"""Card login latency through the real PC/SC stack (issue #8: goal p95 < 300 ms).

    .venv/bin/python bench/card_login.py                 # 100 logins per mode
    .venv/bin/python bench/card_login.py --logins 20     # a quick look

1. recreates a dedicated database (its name must contain 'bench'; default
   postgres://postgres@127.0.0.1:5432/esms_bench_card_login), creates the test authorities in a
   temporary directory (RSA 4096, as in production) and a card through the card factory (issue_chip);
2. starts a private pcscd with vpcd (cards/pcsc_stack.py) and inserts the card with the emulator,
   whose PIN counter goes through the portal (cards.emulator.PortalPin);
3. reader mode: N times, a fresh browser session POSTs the PIN to /connexion/carte/lecteur/
   (Django test client, in process): challenge, card opened through pcscd, identity, certificate,
   VERIFY, MSE SET, INTERNAL AUTHENTICATE, chain + dates + revocation, signature, card state, login,
   session, audit row. Timed from the POST to the redirect;
4. agent mode: POST /defi/, the card signs through pcscd as the agent does (cards.reader), POST
   /agent/; timed end to end; the card part alone is the baseline of the same run.
The first login of an insertion is reported apart: the emulated chip checks the PIN once against the
portal's Django hash (PBKDF2, hundreds of ms), then compares in memory as a chip does.
Figures to stdout and bench/results/card_login-<time>.json.
"""

import base64
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchsetup import ROOT, arguments, bench_database, p95, use_temporary_pki, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_card_login"
PIN = "4826"


def make_card():
    from django.contrib.auth.hashers import make_password

    from cards.services.chip import issue_chip
    from esms_portal import pki
    from esms_portal.models import Role, RoleGrant
    from tests.factories import CardFactory, StructureFactory, UserFactory

    pki.init_authorities()
    organisation = StructureFactory(ej=True, name="Association Banc d'essai")
    holder = UserFactory(email="gestionnaire@bench.example", first_name="Gaëlle", last_name="Roux")
    RoleGrant.objects.create(user=holder, role=Role.GESTIONNAIRE_RPPS, organisation=organisation)
    card = CardFactory(active=True, holder=holder, organisation=organisation, pin_hash=make_password(PIN))
    issue_chip(card)
    card.refresh_from_db()
    return card


def summary(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values), 2), "p95_ms": round(p95(values), 2),
            "min_ms": round(min(values), 2), "max_ms": round(max(values), 2)}


def reader_login(client) -> float:
    start = time.perf_counter()
    response = client.post("/connexion/carte/lecteur/", {"pin": PIN, "next": "/"})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.content.decode()[-600:]
    return elapsed


def agent_login(client) -> tuple[float, float]:
    from cards import reader

    start = time.perf_counter()
    challenge = client.post("/connexion/carte/defi/").json()
    card_start = time.perf_counter()
    signed = reader.sign_challenge(bytes.fromhex(challenge["challenge"]), PIN, timeout=1)
    card_ms = (time.perf_counter() - card_start) * 1000
    response = client.post("/connexion/carte/agent/", json.dumps({
        "nonce": challenge["nonce"], "certificate": base64.b64encode(signed.certificate_der).decode(),
        "signature": base64.b64encode(signed.signature).decode(),
    }), content_type="application/json")
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.content
    return elapsed, card_ms


def main() -> None:
    args = arguments(__doc__, logins=100)
    # Plain HTTP for the test client: DEBUG relaxes the HTTPS redirect and the secure cookies.
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ["PORTAL_CARD_READER_MODE"] = "true"
    os.environ["PORTAL_CARD_WAIT_SECONDS"] = "1"
    use_temporary_pki()
    bench_database(os.environ.get("DATABASE_URL", DEFAULT_URL))
    from django.test import Client

    from cards.emulator import Emulator, virtual_card_for
    from cards.pcsc_stack import PrivatePcscd

    card = make_card()
    with PrivatePcscd(Path(tempfile.mkdtemp(prefix="bench-pcscd-"))) as stack:
        os.environ.update(stack.environ())
        from django.conf import settings

        settings.PORTAL_CARD_READER = stack.reader_names[0]
        emulator = Emulator(virtual_card_for(card), port=stack.port)
        emulator.insert()
        from cards import reader

        reader.wait_for_card(timeout=3, reader=stack.reader_names[0])
        first = reader_login(Client())
        reader_times = [reader_login(Client()) for _ in range(args.logins)]
        agent = [agent_login(Client()) for _ in range(args.logins)]
        emulator.remove()
    results = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "logins": args.logins,
        "first_login_of_insertion_ms": round(first, 1),
        "reader_mode": summary(reader_times),
        "agent_mode": summary([total for total, _card in agent]),
        "agent_mode_card_part_baseline": summary([card_ms for _total, card_ms in agent]),
    }
    print(json.dumps(results, indent=2))
    print(f"results: {write_results('card_login', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
