"""The webhooks' cast: a real HTTP receiver on 127.0.0.1 (a thread running http.server) that records
what it is sent and answers the statuses it is told, and alpha's subscription to it (the address
guard relaxed by PORTAL_WEBHOOKS_ALLOW_PRIVATE, as for a local receiver)."""

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.cache import cache
from standardwebhooks import Webhook

from esms_portal.models import WebhookDelivery
from esms_portal.webhooks import services

# The other apps' casts, for the events of their acts.
from tests.certificates.conftest import dave, f413, f413_accepted, org_auth  # noqa: F401
from tests.rpps_plus.conftest import sms_outbox  # noqa: F401


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes

    def verified(self, secret: str) -> dict:
        """The payload, once `standardwebhooks` has checked its signature and timestamp as the
        receiver did when the message arrived (tests move the clock between attempts)."""
        with time_machine.travel(int(self.headers["webhook-timestamp"]) + 1, tick=False):
            return Webhook(secret).verify(self.body, self.headers)

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        self.received: list[Received] = []
        self.statuses: list[int] = []  # answered in turn; 204 once spent
        self.default = 204
        self.delay = 0  # seconds before answering
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append(Received(self.path, dict(self.headers.items()), self.rfile.read(length)))
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.default
                answer = b'{"ok": false, "detail": "' + b"x" * 2000 + b'"}' if status >= 400 else b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/portail"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def allow_private(settings):
    settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def subscribed(alpha, alice, receiver, allow_private):
    """alpha's subscription to every event, at the receiver; `.secret_for_test` is its secret."""
    subscription, secret = services.webhook_subscribe(actor=alice, organisation=alpha, url=receiver.url)
    subscription.secret_for_test = secret
    return subscription


def deliveries(subscription=None):
    found = WebhookDelivery.objects.order_by("created_at", "pk")
    return list(found.filter(subscription=subscription) if subscription else found)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()

