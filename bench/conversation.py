"""Benchmark, not a test: the CPU and SQL queries of a request's conversation (esms_portal.dialogue) as its
number of messages grows, against a bare Django view measured the same way in the same run.

    .venv/bin/python bench/conversation.py [--messages 200] [--requests 20] [--batches 5] [--reuse]

Same setting as page_cpu.py (whose measure it uses): a dedicated database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/esms_bench_conversation, dropped and recreated unless --reuse), production
settings, `load_demo`. On the demo contract that waits in the agents' queue, --messages messages are posted
through the service (alternately by the organisation and the agent, every other one with two PDF attachments);
the agent then reads the contract's page, the conversation page and the API's first page of messages, at 10 and
at --messages messages; and the back office's unread counts for 100 cases (`unread_counts_for_agents`).
"""

import os
import statistics
import time

import page_cpu
from benchsetup import (
    ROOT,
    arguments,
    bench_database,
    configure_django,
    demo_with_cards,
    use_temporary_pki,
    write_results,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_conversation"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def post_messages(contract, count: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from esms_portal.dialogue.services import message_post
    from esms_portal.models import Message, Role, RoleGrant, User

    already = Message.objects.filter(request_type="contrats", request_pk=str(contract.pk)).count()
    representative = RoleGrant.objects.get(organisation_id=contract.organisation_id,
                                           role=Role.LEGAL_REPRESENTATIVE).user
    agent = User.objects.get(email=page_cpu.AGENT)
    for n in range(already, count):
        files = [SimpleUploadedFile(f"piece-{n}-{k}.pdf", PDF) for k in range(2)] if n % 2 else []
        message_post(actor=representative if n % 2 else agent, obj=contract, body=f"Message {n}", files=files)


def unread_counts_cpu(batches: int) -> float:
    from esms_portal.dialogue import unread_counts_for_agents

    refs = [f"contrats:{n}" for n in range(100)]
    per_call = []
    for _ in range(batches):
        started = time.process_time()
        for _ in range(20):
            unread_counts_for_agents(refs)
        per_call.append(1000 * (time.process_time() - started) / 20)
    return round(statistics.median(per_call), 3)


def main() -> None:
    args = arguments(__doc__, messages=200, requests=20, batches=5, reuse=(False, "reuse the loaded bench database"))
    os.environ.update({"DJANGO_DEBUG": "false", "PORTAL_STAFF_2FA": "false", "PORTAL_CARD_LOGIN_REQUIRED": "false",
                       "PORTAL_NUM_PROXIES": "1",
                       "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    os.environ.setdefault("DJANGO_STATIC_ROOT", page_cpu.STATIC_ROOT)
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/10")
    os.environ.setdefault("PORTAL_PRIVATE_MEDIA_ROOT", "/tmp/bench-conversation-media")
    use_temporary_pki()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if args.reuse:
        configure_django(url)
    else:
        bench_database(url)
        demo_with_cards(0)
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import clear_url_caches, include, path

    from contracts.models import Contract, ContractState

    if not (page_cpu.Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", verbosity=0)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    page_cpu.urlpatterns[:] = [path("bare/", page_cpu.bare), path("", include(settings.ROOT_URLCONF))]
    settings.ROOT_URLCONF = "page_cpu"
    clear_url_caches()

    contract = Contract.objects.filter(state=ContractState.SUBMITTED).order_by("pk").first()
    agent = page_cpu.clients()[page_cpu.AGENT]
    pages = {"contract page": f"/contrats/{contract.pk}/",
             "conversation page": f"/demandes/contrats/{contract.pk}/messages/",
             "messages API, first 100": f"/api/v1/requests/contrats/{contract.pk}/messages/?page_size=100"}
    results = {"requests": args.requests, "batches": args.batches, "rows": []}
    bare = page_cpu.measure(page_cpu.clients()[None], "/bare/", args.requests, args.batches)
    results["rows"].append({"label": "bare Django view", "messages": 0, **bare})
    for count in (10, args.messages):
        post_messages(contract, count)
        for label, page in pages.items():
            figures = page_cpu.measure(agent, page, args.requests, args.batches)
            results["rows"].append({"label": label, "messages": count, **figures})
            print(label, count, figures, flush=True)
    results["unread_counts_100_cases_cpu_ms"] = unread_counts_cpu(args.batches)
    print("\n| page | messages | CPU ms/request | SQL queries | bare / page |")
    print("|---|---|---|---|---|")
    for row in results["rows"]:
        row["ratio"] = round(bare["cpu_ms"] / row["cpu_ms"], 3)
        print(f"| {row['label']} | {row['messages']} | {row['cpu_ms']} | {row['queries']} | {row['ratio']} |")
    print(f"unread_counts_for_agents, 100 cases: {results['unread_counts_100_cases_cpu_ms']} ms CPU per call")
    print(f"results: {write_results('conversation', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
