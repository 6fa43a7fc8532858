"""Benchmark, not a test: what a decision's attestation costs the decision (issue #19).

    .venv/bin/python bench/attestations.py [--decisions 30]

The attestation is rendered inside the decision's transaction, under its row lock (its SHA-256 goes
in the decision's audit row). This measures, on production settings:

1. the bare rendering of one attestation (WeasyPrint, HTML template to PDF bytes);
2. the agent's acceptance of an adhesion contract through `contract_accept` (lock, guards,
   transition, audit, mails after commit), with the attestation listener connected;
3. baseline of the same run: the same acceptance with the listener disconnected.

Medians over `--decisions` contracts each (one organisation per contract: one live contract per EJ).
The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/esms_bench_attest);
it is dropped and recreated. Files go to a temporary private media root.
"""

import os
import statistics
import tempfile
import time

from benchsetup import arguments, bench_database, p95

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_attest"


def in_instruction_contracts(count: int, start: int):
    from contracts import services
    from contracts.models import Structure, StructureKind
    from esms_portal.core.identifiers import finess_with_check_digit
    from esms_portal.models import Role, RoleGrant, User

    agent, _ = User.objects.get_or_create(email="agent@bench.example", defaults={"is_staff": True})
    contracts = []
    for n in range(start, start + count):
        ej = Structure(finess=finess_with_check_digit(f"0B{n:06d}"), kind=StructureKind.EJ, name=f"BENCH EJ {n}",
                       departement="69", region="84")
        ej.legal_entity = ej
        ej.save()
        representative = User.objects.create(email=f"rep{n}@bench.example")
        RoleGrant.objects.create(user=representative, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
        contract = services.contract_start(actor=representative, structure=ej)
        services.contract_update(actor=representative, contract_pk=contract.pk, cgu_accepted=True, data={
            "representative_last_name": "Bench", "representative_first_names": "Rep",
            "representative_email": representative.email, "capacity": "director"})
        services.contract_submit(actor=representative, contract_pk=contract.pk)
        services.contract_start_instruction(actor=agent, contract_pk=contract.pk)
        contracts.append(contract.pk)
    return agent, contracts


def time_acceptances(agent, contracts) -> list[float]:
    from contracts import services

    times = []
    for pk in contracts:
        start = time.perf_counter()
        services.contract_accept(actor=agent, contract_pk=pk)
        times.append(time.perf_counter() - start)
    return times


def time_renders(runs: int) -> list[float]:
    from esms_portal.dialogue import attestation_pdf
    from esms_portal.models import Attestation

    attestation = Attestation.objects.first()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        attestation_pdf.render(attestation)
        times.append(time.perf_counter() - start)
    return times


def main():
    options = arguments(__doc__, decisions=(30, "contracts accepted with, and as many without, the attestation"))
    os.environ["PORTAL_PRIVATE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-attest-")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    bench_database(os.environ.get("DATABASE_URL", DEFAULT_URL))
    from esms_portal.dialogue.attestations import on_act_recording
    from esms_portal.workflow.events import act_recording

    agent, with_listener = in_instruction_contracts(options.decisions, 1)
    _, without_listener = in_instruction_contracts(options.decisions, 1 + options.decisions)
    with_times = time_acceptances(agent, with_listener)
    act_recording.disconnect(on_act_recording, dispatch_uid="dialogue.attestations")
    bare_times = time_acceptances(agent, without_listener)
    render_times = time_renders(options.decisions)

    rows = [("render one attestation (WeasyPrint)", render_times),
            ("baseline: contract_accept, no attestation", bare_times),
            ("contract_accept with its attestation", with_times)]
    print(f"{options.decisions} decisions each, times in ms")
    for label, times in rows:
        print(f"{label:45} median {statistics.median(times) * 1000:7.1f}  p95 {p95(times) * 1000:7.1f}")
    ratio = statistics.median(with_times) / statistics.median(bare_times)
    print(f"acceptance with / without attestation: {ratio:.2f}x")


if __name__ == "__main__":
    main()
