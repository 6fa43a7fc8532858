"""Webhook delivery benchmark (esms_portal.webhooks) against a bare POST of the same bytes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esms_bench_webhooks \
    .venv/bin/python bench/webhooks_delivery.py --events 2000 --subscribers 2

1. recreates the database (a dedicated one: it is dropped) on production settings, one EJ, its
   legal representative and --subscribers subscriptions to a receiver on 127.0.0.1 (http.server in
   a thread of this process, answering 204; PORTAL_WEBHOOKS_ALLOW_PRIVATE for it);
2. queue: --events times, alternating, a bare transaction (one INSERT and its COMMIT: an act's
   own) and the same with `events.emit` (what an act pays: the deliveries and their steps
   written); the medians and their difference;
3. drain: the engine's claim and `run_step` in this process (address check, signature, POST,
   delivery log, step done), timed; bare: the same number of signed bodies POSTed with http.client
   alone, one connection each, to the same receiver in the same run; the ratio service / bare.
Figures go to stdout and bench/results/webhooks_delivery-<time>.json.
"""

import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from benchsetup import arguments, bench_database, organisation_with_sites, write_results


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def receiver() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def setup(subscribers: int, url: str):
    from esms_portal.models import Role, RoleGrant, User
    from esms_portal.webhooks import services

    ej, _ = organisation_with_sites("0B9", 0)
    user = User.objects.create(email="representant@bench.example")
    RoleGrant.objects.create(user=user, role=Role.LEGAL_REPRESENTATIVE, organisation=ej)
    for _ in range(subscribers):
        services.webhook_subscribe(actor=user, organisation=ej, url=url)
    return ej


def bench_queue(ej, events: int) -> dict:
    """Per event, alternating: a bare transaction (one INSERT, COMMIT) and the same with `emit`."""
    from django.db import connection, transaction

    from esms_portal.webhooks.events import emit

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_act (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
    bare, service = [], []
    for _ in range(events):
        for times, with_event in ((bare, False), (service, True)):
            start = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_act DEFAULT VALUES")
                if with_event:
                    emit("request.state_changed", ej, state="submitted", previous_state="draft", act="submit")
            times.append(time.perf_counter() - start)
    bare_ms, service_ms = statistics.median(bare) * 1000, statistics.median(service) * 1000
    return {"events": events, "bare_median_ms": round(bare_ms, 2), "median_ms": round(service_ms, 2),
            "added_ms": round(service_ms - bare_ms, 2)}


def bench_drain() -> dict:
    from django.utils import timezone

    from esms_portal.steps.services import claim_due_steps, run_step

    done, start = 0, time.perf_counter()
    while ids := claim_due_steps(timezone.now(), 500):
        done += sum(run_step(step_id) == "done" for step_id in ids)
    elapsed = time.perf_counter() - start
    return {"deliveries": done, "seconds": round(elapsed, 3), "per_s": round(done / elapsed, 1)}


def bench_bare(count: int, port: int) -> dict:
    import http.client

    from django.utils import timezone

    from esms_portal.models import WebhookDelivery
    from esms_portal.webhooks import signing

    sample = WebhookDelivery.objects.first()
    secret, body = sample.subscription.secret, signing.body_of(sample.payload)
    start = time.perf_counter()
    for _ in range(count):
        headers = signing.signed_headers(secrets=[secret], message_id=signing.new_message_id(), at=timezone.now(),
                                         body=body)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/hooks", body=body.encode(), headers={"Content-Type": "application/json",
                                                                          **headers})
        connection.getresponse().read()
        connection.close()
    elapsed = time.perf_counter() - start
    return {"posts": count, "seconds": round(elapsed, 3), "per_s": round(count / elapsed, 1)}


def main():
    args = arguments(__doc__, events=(2000, "events queued"), subscribers=(2, "subscriptions of the EJ"))
    os.environ["PORTAL_WEBHOOKS_ALLOW_PRIVATE"] = "true"
    server = receiver()
    url = f"http://127.0.0.1:{server.server_port}/hooks"
    bench_database(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/esms_bench_webhooks"))
    ej = setup(args.subscribers, url)
    queue = bench_queue(ej, args.events)
    print(f"queue: {queue['events']:,} events x {args.subscribers} subscribers: median transaction "
          f"{queue['median_ms']} ms with the event, {queue['bare_median_ms']} ms without (+{queue['added_ms']} ms)")
    drain = bench_drain()
    bare = bench_bare(drain["deliveries"], server.server_port)
    ratio = round(drain["per_s"] / bare["per_s"], 2)
    print(f"drain: {drain['deliveries']:,} deliveries in {drain['seconds']} s, {drain['per_s']}/s")
    print(f"bare:  {bare['posts']:,} signed POSTs in {bare['seconds']} s, {bare['per_s']}/s")
    print(f"ratio service / bare: {ratio}")
    out = write_results("webhooks_delivery", {"subscribers": args.subscribers, "queue": queue, "drain": drain,
                                              "bare": bare, "ratio": ratio})
    print(f"results: {out}")
    server.shutdown()


if __name__ == "__main__":
    main()
