"""The local card agent: `python -m cards.agent --origin https://portail.example`.

Runs on the gestionnaire's workstation, next to his PC/SC reader. It listens on 127.0.0.1 only and
answers only pages of the portal's origin (CORS, and the Host header against DNS rebinding). The
login page hands it the server's challenge and the PIN typed on this workstation; it asks the card
to verify the PIN and sign, and returns the certificate and the signature. The PIN goes to the card
and nowhere else: never logged, never sent on. After the login, it watches the card and tells the
portal when it leaves the reader, which ends the card-authenticated session.

Endpoints: GET /status, POST /sign {challenge (hex, 32 bytes), pin}, POST /watch {token, url}.
"""

import argparse
import base64
import json
import logging
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import apdu, reader

log = logging.getLogger("cards.agent")
DEFAULT_PORT = 8765


class Agent:
    def __init__(self, *, origin: str, reader_name: str | None = None, wait_seconds: float = 5.0):
        self.origin = origin.rstrip("/")
        self.reader_name = reader_name
        self.wait_seconds = wait_seconds
        self._card_lock = threading.Lock()
        self._presence: reader.ReaderState | None = None
        self._watch_stop: threading.Event | None = None

    def status(self) -> dict:
        readers: list[str] = []
        try:
            readers = reader.list_readers()
            name = reader.wait_for_card(timeout=0, reader=self.reader_name)
            with self._card_lock, reader.CardSession(name) as card:
                identity = card.identity
        except reader.CardError as error:
            return {"ready": False, "code": error.code, "message": error.message,
                    "readers": readers}
        return {
            "ready": True, "readers": readers, "reader": name,
            "identity": {"family": identity.family, "national_id": identity.national_id,
                         "name": f"{identity.given_names} {identity.surname}"},
            "message": f"Carte {identity.family} de {identity.given_names} {identity.surname} prête.",
        }

    def sign(self, challenge_hex: str, pin: str) -> dict:
        try:
            challenge = bytes.fromhex(challenge_hex or "")
        except ValueError:
            challenge = b""
        if len(challenge) != apdu.CHALLENGE_SIZE:
            raise reader.CardError("Défi de connexion invalide.")
        with self._card_lock:
            signed = reader.sign_challenge(challenge, pin, reader=self.reader_name, timeout=self.wait_seconds)
        self._presence = signed.presence
        return {
            "certificate": base64.b64encode(signed.certificate_der).decode(),
            "signature": base64.b64encode(signed.signature).decode(),
            "identity": signed.identity.as_dict(),
        }

    def watch(self, token: str, url: str) -> None:
        """Report the removal of the card that signed last to `url` (the portal's, nowhere else)."""
        if not url.startswith(self.origin + "/") or not token or self._presence is None:
            raise reader.CardError("Demande de surveillance refusée.")
        if self._watch_stop is not None:
            self._watch_stop.set()
        stop = self._watch_stop = threading.Event()
        presence = self._presence
        threading.Thread(target=self._report_removal, args=(presence, token, url, stop), daemon=True).start()

    @staticmethod
    def _report_removal(presence, token: str, url: str, stop: threading.Event) -> None:
        if not reader.wait_for_removal(presence, stop=stop):
            return
        body = json.dumps({"token": token}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=10).close()
            log.info("carte retirée : session carte terminée sur le portail")
        except OSError as error:
            log.warning("carte retirée, portail injoignable : %s", error)


class Handler(BaseHTTPRequestHandler):
    agent: Agent
    server_version = "esms-card-agent"

    def log_message(self, fmt, *args):  # the request line only: bodies (the PIN) are never logged
        log.debug("%s %s", self.address_string(), fmt % args)

    def _allowed(self) -> bool:
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        return (self.headers.get("Origin") == self.agent.origin
                and host in (f"127.0.0.1:{port}", f"localhost:{port}"))

    def _send(self, status: int, payload: dict | None = None) -> None:
        body = json.dumps(payload).encode() if payload is not None else b""
        self.send_response(status)
        if self._allowed():
            self.send_header("Access-Control-Allow-Origin", self.agent.origin)
            self.send_header("Vary", "Origin")
        self.send_header("Cache-Control", "no-store")
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self) -> None:
        self._send(403, {"code": "origin_refused", "message": "Origine non autorisée par l'agent de carte."})

    def do_OPTIONS(self):  # noqa: N802 - http.server naming
        if not self._allowed():
            return self._refuse()
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", self.agent.origin)
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # noqa: N802
        if not self._allowed():
            return self._refuse()
        if self.path != "/status":
            return self._send(404, {"code": "not_found", "message": "Inconnu."})
        self._send(200, self.agent.status())

    def do_POST(self):  # noqa: N802
        if not self._allowed():
            return self._refuse()
        try:
            length = min(int(self.headers.get("Content-Length") or 0), 16384)
            data = json.loads(self.rfile.read(length) or b"{}")
            if self.path == "/sign":
                return self._send(200, self.agent.sign(data.get("challenge", ""), str(data.get("pin", ""))))
            if self.path == "/watch":
                self.agent.watch(str(data.get("token", "")), str(data.get("url", "")))
                return self._send(200, {"watching": True})
        except ValueError:
            return self._send(400, {"code": "invalid", "message": "Requête illisible."})
        except reader.CardError as error:
            status = 503 if isinstance(error, reader.NoPcscService | reader.NoReader) else 400
            return self._send(status, {"code": error.code, "message": error.message, **error.details})
        self._send(404, {"code": "not_found", "message": "Inconnu."})


def make_server(agent: Agent, *, port: int = DEFAULT_PORT) -> ThreadingHTTPServer:
    handler = type("AgentHandler", (Handler,), {"agent": agent})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)  # loopback only, by design


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cards.agent", description="Agent de carte CPx du portail ESMS")
    parser.add_argument("--origin", required=True, help="origine du portail, ex. https://portail.example")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--reader", default=None, help="nom du lecteur (par défaut : le premier avec une carte)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    server = make_server(Agent(origin=args.origin, reader_name=args.reader), port=args.port)
    print(f"Agent de carte à l'écoute sur http://127.0.0.1:{args.port}/ pour {args.origin}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
