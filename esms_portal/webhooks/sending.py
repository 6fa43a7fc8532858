"""One HTTP POST of a signed message, with a short timeout, to the address `addresses.checked`
approved (the Host header and the TLS name stay the URL's own). The standard library's http.client:
no redirect is followed, and no new dependency."""

import http.client
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from esms_portal.webhooks import addresses, signing

USER_AGENT = "PortailESMS-Webhooks/1.0"
READ_LIMIT = 64 * 1024  # what is read of an answer
KEPT = 500  # what the delivery log keeps of it


@dataclass(frozen=True)
class Answer:
    status: int | None
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: addresses.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: addresses.Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, secrets: list[str], message_id: str, payload: dict, at: datetime) -> Answer:
    try:
        target = addresses.checked(url)
    except addresses.AddressRefused as refused:
        return Answer(None, error=f"Adresse refusée : {refused.message}")
    body = signing.body_of(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signing.signed_headers(secrets=secrets, message_id=message_id, at=at, body=body),
    }
    timeout = settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout)
    try:
        connection.request("POST", target.path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        text = response.read(READ_LIMIT).decode("utf-8", "replace")
        return Answer(response.status, body=text[:KEPT])
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timeout, TLS, malformed answer
        return Answer(None, error=f"{type(exc).__name__}: {exc}"[:300])
    finally:
        connection.close()
