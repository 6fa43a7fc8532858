"""A CPx card emulator speaking the profile of `cards/apdu.py` to vsmartcard's vpcd.

vpcd (a pcscd reader driver) listens on TCP; inserting the card is connecting to it, removing it is
closing the socket (domain/PCSC.md). Frames both ways: 2-byte big-endian length, then the payload;
a 1-byte payload from vpcd is a control (0 power off, 1 power on, 2 reset, 4 get ATR), anything
longer a command APDU answered with data + SW1 SW2.

`VirtualCard` is the chip (pure Python). Its PIN counter lives behind a `pin` object so that the
portal's card keeps its tries across insertions (`PortalPin`, through `card_verify_pin`), like a
real chip that stays blocked. `virtual_card_for(card)` personalises a chip from a portal card.
"""

import hashlib
import hmac
import os
import socket
import struct
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from . import apdu

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963  # vpcd's first reader, "Virtual PCD 00 00"


def _sw(sw: int) -> bytes:
    return struct.pack(">H", sw)


@dataclass
class MemoryPin:
    """A PIN held by the chip alone (tests of the profile, benchmarks without a database)."""

    pin: str
    tries: int = apdu.PIN_TRIES

    def tries_left(self) -> int:
        return self.tries

    def verify(self, pin: str) -> tuple[bool, int]:
        if self.tries == 0:
            return False, 0
        if hmac.compare_digest(pin.encode(), self.pin.encode()):
            self.tries = apdu.PIN_TRIES
            return True, self.tries
        self.tries -= 1
        return False, self.tries


class PortalPin:
    """The PIN counter of a portal card, through the cards service (blocked stays blocked).

    The portal keeps a Django password hash of the PIN (hundreds of ms of PBKDF2 per check); a
    chip compares in microseconds. Once a PIN has been accepted by the service, this chip keeps a
    salted SHA-256 of it for the insertion's lifetime and compares against that, still reading the
    counter from the portal so that a block or an F501 reset elsewhere is seen.
    """

    def __init__(self, card_id):
        self.card_id = card_id
        self._salt = os.urandom(16)
        self._verifier: bytes | None = None

    def _digest(self, pin: str) -> bytes:
        return hashlib.sha256(self._salt + pin.encode()).digest()

    def tries_left(self) -> int:
        from .models import Card

        return Card.objects.values_list("pin_tries_left", flat=True).get(pk=self.card_id)

    def verify(self, pin: str) -> tuple[bool, int]:
        from esms_portal.core.errors import InvalidInput

        from .services.cards import CardBlocked, WrongPin, card_verify_pin

        if self._verifier and hmac.compare_digest(self._verifier, self._digest(pin)):
            if self.tries_left() == apdu.PIN_TRIES:
                return True, apdu.PIN_TRIES
        try:
            card_verify_pin(card_id=self.card_id, pin=pin)
        except WrongPin as exc:
            return False, exc.details["tries_left"]
        except CardBlocked:
            return False, 0
        except InvalidInput:
            # Opposed or ended: the chip does not know; the server refuses its certificate.
            if not self._check_hash(pin):
                return False, self.tries_left()
        self._verifier = self._digest(pin)
        return True, apdu.PIN_TRIES

    def _check_hash(self, pin: str) -> bool:
        from django.contrib.auth.hashers import check_password

        from .models import Card

        return check_password(pin, Card.objects.values_list("pin_hash", flat=True).get(pk=self.card_id))


class VirtualCard:
    """The chip: files, PIN state, authentication key. State is lost on every power event."""

    def __init__(self, *, identity: apdu.Identity, certificate_der: bytes, private_key, pin, serial: bytes = b""):
        self.identity = identity
        self.private_key = private_key
        self.pin = pin
        serial = (serial or bytes.fromhex(identity.card_id or "00" * 16))[-7:].rjust(7, b"\0")
        self.files = {
            apdu.FID_SERIAL: apdu.ISSUER_PREFIX + serial,
            apdu.FID_IDENTITY: apdu.encode_identity(identity),
            apdu.FID_AUTH_CERTIFICATE: certificate_der,
        }
        self.atr = apdu.CPS3_ATR
        self.algorithm = apdu.ALG_RSA_SHA256 if isinstance(private_key, rsa.RSAPrivateKey) else apdu.ALG_ECDSA_SHA256
        self.power_off()

    def power_off(self) -> None:
        self.application_selected = False
        self.current_file: int | None = None
        self.pin_verified = False

    def process(self, command: bytes) -> bytes:
        if len(command) < 4:
            return _sw(apdu.SW_WRONG_LENGTH)
        cla, ins, p1, p2 = command[:4]
        body = command[4:]
        if cla != 0x00:
            return _sw(apdu.SW_CLA_NOT_SUPPORTED)
        handler = {0xA4: self._select, 0xB0: self._read_binary, 0x20: self._verify,
                   0x22: self._mse_set, 0x88: self._internal_authenticate}.get(ins)
        if handler is None:
            return _sw(apdu.SW_INS_NOT_SUPPORTED)
        return handler(p1, p2, body)

    @staticmethod
    def _data(body: bytes) -> bytes:
        # Case 3/4 short APDU: Lc, data[, Le]; case 1/2: nothing or Le alone.
        if len(body) <= 1:
            return b""
        return body[1:1 + body[0]]

    def _select(self, p1, p2, body):
        data = self._data(body)
        if p1 == 0x04:
            if data != apdu.AID_PKCS15:
                return _sw(apdu.SW_NOT_FOUND)
            self.application_selected, self.current_file = True, None
            return _sw(apdu.SW_OK)
        if p1 in (0x00, 0x02) and len(data) == 2 and self.application_selected:
            fid = int.from_bytes(data, "big")
            if fid not in self.files:
                return _sw(apdu.SW_NOT_FOUND)
            self.current_file = fid
            return _sw(apdu.SW_OK)
        return _sw(apdu.SW_NOT_FOUND)

    def _read_binary(self, p1, p2, body):
        if self.current_file is None:
            return _sw(apdu.SW_NO_FILE_SELECTED)
        content = self.files[self.current_file]
        offset = ((p1 & 0x7F) << 8) | p2
        if offset >= len(content):
            return _sw(apdu.SW_WRONG_P1P2)
        wanted = (body[0] or 256) if len(body) == 1 else 256
        return content[offset:offset + min(wanted, apdu.MAX_RESPONSE)] + _sw(apdu.SW_OK)

    def _verify(self, p1, p2, body):
        if p2 != apdu.PIN_REFERENCE:
            return _sw(apdu.SW_NOT_FOUND)
        data = self._data(body)
        if not data:
            tries = self.pin.tries_left()
            if tries == 0:
                return _sw(apdu.SW_AUTH_BLOCKED)
            return _sw(apdu.SW_OK if self.pin_verified else 0x63C0 | tries)
        if self.pin.tries_left() == 0:
            return _sw(apdu.SW_AUTH_BLOCKED)
        ok, tries = self.pin.verify(apdu.pin_from_block(data))
        self.pin_verified = ok
        if ok:
            return _sw(apdu.SW_OK)
        return _sw(apdu.SW_AUTH_BLOCKED if tries == 0 else 0x63C0 | tries)

    def _mse_set(self, p1, p2, body):
        data = self._data(body)
        if p1 != 0x41 or p2 != 0xA4 or bytes([0x80, 0x01, self.algorithm]) not in data:
            return _sw(apdu.SW_WRONG_DATA)
        return _sw(apdu.SW_OK)

    def _internal_authenticate(self, p1, p2, body):
        if not self.pin_verified:
            return _sw(apdu.SW_SECURITY_NOT_SATISFIED)
        challenge = self._data(body)
        if len(challenge) != apdu.CHALLENGE_SIZE:
            return _sw(apdu.SW_WRONG_LENGTH)
        if self.algorithm == apdu.ALG_ECDSA_SHA256:
            signature = self.private_key.sign(challenge, ec.ECDSA(hashes.SHA256()))
        else:
            signature = self.private_key.sign(challenge, padding.PKCS1v15(), hashes.SHA256())
        return signature + _sw(apdu.SW_OK)


class Emulator:
    """Inserts a `VirtualCard` into a vpcd reader (connects) until `remove()` (closes)."""

    def __init__(self, card: VirtualCard, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT):
        self.card, self.host, self.port = card, host, port
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.apdus = 0

    def insert(self, *, background: bool = True) -> None:
        """Connect to vpcd: ConnectionRefusedError when no vpcd reader listens on the port."""
        self._sock = socket.create_connection((self.host, self.port), timeout=5)
        self._sock.settimeout(None)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if background:
            self._thread = threading.Thread(target=self.serve, name=f"cpx-emulator-{self.port}", daemon=True)
            self._thread.start()
        else:
            self.serve()

    def remove(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None

    def _recv_exactly(self, sock: socket.socket, size: int) -> bytes | None:
        data = b""
        while len(data) < size:
            # vpcd writes length and payload separately with Nagle on: without QUICKACK each APDU
            # waits for a delayed ACK (~40 ms). The flag resets itself, so set it before every recv.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            chunk = sock.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def serve(self) -> None:
        sock = self._sock
        try:
            while sock is not None:
                header = self._recv_exactly(sock, 2)
                if header is None:
                    return
                payload = self._recv_exactly(sock, struct.unpack(">H", header)[0])
                if payload is None:
                    return
                reply = self._handle(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError:
            return  # removed: our socket closed under us
        finally:
            self._close_db()

    def _handle(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            if payload[0] == 0x04:
                return self.card.atr
            self.card.power_off()  # power off, power on, reset: the chip starts afresh
            return None
        self.apdus += 1
        return self.card.process(payload)

    @staticmethod
    def _close_db() -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - outside Django, or Django not configured
            pass


def virtual_card_for(card, *, pin=None) -> VirtualCard:
    """Personalise a chip from a portal card that went through production (issue_chip)."""
    from esms_portal.models import IssuedCertificate

    from .services.chip import chip_private_key

    if not card.certificate_serial:
        raise ValueError("Cette carte n'a pas encore de puce : elle n'est pas passée en fabrication.")
    organisation = card.organisation
    identity = apdu.Identity(
        family=card.family, national_id=card.national_id, surname=card.holder_last_name,
        given_names=card.holder_first_names, title=card.title, structure_name=organisation.name,
        structure_id=f"1{organisation.finess}" if organisation.finess else f"3{organisation.siret}",
        card_id=card.pk.hex,
    )
    issued = IssuedCertificate.objects.get(authority="personnes", serial=card.certificate_serial)
    return VirtualCard(
        identity=identity, certificate_der=bytes(issued.der),
        private_key=chip_private_key(card), pin=pin or PortalPin(card.pk),
    )
