"""Reading a CPx card through PC/SC (pyscard), for the portal's reader view and the local card agent.

No Django here: the agent runs on a workstation without the portal. Every failure is a `CardError`
with a stable code and a French message, the same words in both deployments.

    with open_card(timeout=10) as card:
        card.identity, card.certificate_der
        card.verify_pin("1397")
        signature = card.sign(challenge)   # 32 bytes, see cards/apdu.py

Keep the session open from VERIFY to the signature: pcscd powers an idle card off at its next
poll, which clears the verified PIN (domain/PCSC.md).
"""

import time
from dataclasses import dataclass

from smartcard import scard

from . import apdu

REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_RESET_CARD,
           scard.SCARD_W_UNPOWERED_CARD, scard.SCARD_E_READER_UNAVAILABLE}
NO_SERVICE = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_F_COMM_ERROR,
              scard.SCARD_E_INVALID_HANDLE}


class CardError(Exception):
    """A failure of the card or of PC/SC. A subclass declares its code and message in its header,
    as the portal's errors do (esms_portal.core.errors, not imported: no Django here)."""

    code = "card_error"
    message = "Erreur de lecture de la carte."
    status = 503  # the HTTP status a page answers it with: the workstation's reader is unavailable

    def __init_subclass__(cls, *, code: str | None = None, message: str | None = None, status: int | None = None,
                          **kwargs):
        super().__init_subclass__(**kwargs)
        cls.code = code or cls.code
        cls.message = message or cls.message
        cls.status = status or cls.status

    def __init__(self, message: str | None = None, **details):
        self.message = message or self.message
        self.details = details
        super().__init__(self.message)


class NoPcscService(CardError, code="no_pcsc_service",
                    message="Le service de lecture des cartes de ce poste ne répond pas : redémarrez l'ordinateur ; "
                            "si le problème persiste, contactez votre service informatique."):
    pass


class NoReader(CardError, code="no_reader",
               message="Aucun lecteur de cartes n'est branché : branchez-le sur un port USB de l'ordinateur."):
    pass


class NoCard(CardError, code="no_card", status=409,
             message="Aucune carte dans le lecteur : insérez votre carte CPx dans le lecteur."):
    pass


class UnknownCard(CardError, code="unknown_card", status=403,
                  message="Cette carte n'est pas une carte CPx reconnue par le portail."):
    pass


class InvalidPinFormat(CardError, code="invalid_pin", status=400,
                       message="Le code porteur doit comporter de 4 à 8 chiffres."):
    pass


class WrongPin(CardError, code="wrong_pin", status=403):
    def __init__(self, tries_left: int):
        s = "s" if tries_left > 1 else ""
        super().__init__(f"Code porteur erroné : il reste {tries_left} essai{s} avant le blocage de la carte.",
                         tries_left=tries_left)
        self.tries_left = tries_left


class CardBlocked(CardError, code="card_blocked", status=403,
                  message="Carte bloquée après trois codes porteur erronés : déclarez un incident (F501) pour "
                          "recevoir de nouveaux codes."):
    pass


class CardRemoved(CardError, code="card_removed", status=409,
                  message="La carte a été retirée du lecteur : remettez-la, puis recommencez."):
    pass


class CardFailure(CardError, code="card_failure", status=409, message="La carte a refusé l'opération."):
    pass


def _context():
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoPcscService()
    return context


def _release(context) -> None:
    scard.SCardReleaseContext(context)


def _readers(context) -> list[str]:
    hresult, readers = scard.SCardListReaders(context, [])
    if hresult in NO_SERVICE:
        raise NoPcscService()
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE or not readers:
        raise NoReader()
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoPcscService()
    return list(readers)


def list_readers() -> list[str]:
    """The reader names; NoPcscService, NoReader."""
    context = _context()
    try:
        return _readers(context)
    finally:
        _release(context)


@dataclass(frozen=True)
class ReaderState:
    reader: str
    present: bool
    events: int  # pcsc-lite counts insertions and removals in the high 16 bits of the state

    @property
    def token(self) -> str:
        """Changes as soon as this card leaves the reader, even if another is put in."""
        return f"{self.reader}#{self.events}"


def _states(context, readers, timeout_ms: int, known=None):
    watch = [(r, (known or {}).get(r, scard.SCARD_STATE_UNAWARE)) for r in readers]
    hresult, states = scard.SCardGetStatusChange(context, timeout_ms, watch)
    if hresult == scard.SCARD_E_TIMEOUT:
        return None
    if hresult in NO_SERVICE:
        raise NoPcscService()
    if hresult != scard.SCARD_S_SUCCESS:
        raise NoReader()
    return {reader: (event & 0xFFFF, event >> 16) for reader, event, _atr in states}


def reader_state(reader: str) -> ReaderState:
    """Is a card in `reader` now (no waiting)?"""
    context = _context()
    try:
        if reader not in _readers(context):
            return ReaderState(reader, False, -1)
        flags, events = _states(context, [reader], 0)[reader]
        return ReaderState(reader, bool(flags & scard.SCARD_STATE_PRESENT), events)
    finally:
        _release(context)


def wait_for_card(*, timeout: float = 10.0, reader: str | None = None) -> str:
    """The first reader holding a card, waiting up to `timeout` seconds; NoCard after that."""
    context = _context()
    try:
        deadline = time.monotonic() + timeout
        known = None
        while True:
            readers = _readers(context) if reader is None else [reader]
            if reader is not None and reader not in _readers(context):
                raise NoReader(f"Le lecteur « {reader} » n'est pas branché.")
            states = _states(context, readers, 0 if known is None else 200, known)
            if states:
                for name, (flags, _events) in states.items():
                    if flags & scard.SCARD_STATE_PRESENT and not flags & scard.SCARD_STATE_MUTE:
                        return name
                known = {name: flags & ~scard.SCARD_STATE_CHANGED for name, (flags, _e) in states.items()}
            if time.monotonic() >= deadline:
                raise NoCard()
    finally:
        _release(context)


def wait_for_removal(state: ReaderState, *, timeout: float | None = None, stop=None) -> bool:
    """Block until the card seen in `state` leaves its reader (True), or `timeout`/`stop` (False)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while deadline is None or time.monotonic() < deadline:
        if stop is not None and stop.is_set():
            return False
        try:
            now = reader_state(state.reader)
        except NoReader:
            return True
        if not now.present or now.events != state.events:
            return True
        time.sleep(0.2)
    return False


class CardSession:
    """One connection to a CPx card: identity, certificate, PIN, signature."""

    def __init__(self, reader: str):
        self.reader = reader
        self._context = _context()
        hresult, self._card, self._protocol = scard.SCardConnect(
            self._context, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult != scard.SCARD_S_SUCCESS:
            _release(self._context)
            raise self._error(hresult, default=NoCard)
        self.state = reader_state(reader)
        self.atr = self._status_atr()
        if not apdu.atr_is_cpx(self.atr):
            self.close()
            raise UnknownCard()
        sw = self._transmit(apdu.select_aid())[1]
        if sw != apdu.SW_OK:
            self.close()
            raise UnknownCard()
        self._identity: apdu.Identity | None = None
        self._certificate: bytes | None = None

    @staticmethod
    def _error(hresult, *, default=CardFailure) -> CardError:
        if hresult in NO_SERVICE:
            return NoPcscService()
        if hresult in REMOVED:
            return CardRemoved() if default is not NoCard else NoCard()
        return default()

    def _status_atr(self) -> bytes:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._card)
        if hresult != scard.SCARD_S_SUCCESS:
            raise self._error(hresult)
        return bytes(atr)

    def _transmit(self, command: list[int]) -> tuple[bytes, int]:
        pci = scard.SCARD_PCI_T0 if self._protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        hresult, response = scard.SCardTransmit(self._card, pci, command)
        if hresult == scard.SCARD_E_NOT_TRANSACTED and self._removed_soon():
            raise CardRemoved()
        if hresult != scard.SCARD_S_SUCCESS or len(response) < 2:
            raise self._error(hresult)
        data, sw = bytes(response[:-2]), (response[-2] << 8) | response[-1]
        if sw >> 8 == 0x61:  # T=0: the answer waits for GET RESPONSE
            more, sw = self._transmit([0x00, 0xC0, 0x00, 0x00, sw & 0xFF])
            data += more
        elif sw >> 8 == 0x6C:  # T=0: wrong Le, the card tells the right one
            return self._transmit([*command[:-1], sw & 0xFF])
        return data, sw

    def _read_file(self, fid: int) -> bytes:
        if self._transmit(apdu.select_file(fid))[1] != apdu.SW_OK:
            raise UnknownCard()
        content = b""
        while True:
            data, sw = self._transmit(apdu.read_binary(len(content), apdu.MAX_RESPONSE))
            if sw == apdu.SW_WRONG_P1P2:
                break
            if sw not in (apdu.SW_OK, 0x6282):
                raise CardFailure()
            content += data
            if len(data) < apdu.MAX_RESPONSE:
                break
        return content

    @property
    def identity(self) -> apdu.Identity:
        if self._identity is None:
            try:
                self._identity = apdu.decode_identity(self._read_file(apdu.FID_IDENTITY))
            except ValueError:
                raise UnknownCard() from None
        return self._identity

    @property
    def certificate_der(self) -> bytes:
        if self._certificate is None:
            self._certificate = self._read_file(apdu.FID_AUTH_CERTIFICATE)
        return self._certificate

    def pin_tries_left(self) -> int:
        """Tries left, without spending one (empty VERIFY); 3 once verified."""
        sw = self._transmit(apdu.verify(None))[1]
        return self._tries(sw)

    @staticmethod
    def _tries(sw: int) -> int:
        if sw == apdu.SW_OK:
            return apdu.PIN_TRIES
        if sw >> 4 == 0x63C:
            return sw & 0x0F
        if sw in (apdu.SW_AUTH_BLOCKED, apdu.SW_CPS2TER_PIN_LOCKED):
            return 0
        raise CardFailure()

    def verify_pin(self, pin: str) -> None:
        """VERIFY: WrongPin(tries_left), CardBlocked (a third wrong code blocks the card)."""
        if not (pin and pin.isdigit() and 4 <= len(pin) <= apdu.PIN_BLOCK_SIZE):
            raise InvalidPinFormat()
        sw = self._transmit(apdu.verify(pin))[1]
        tries = self._tries(sw)
        if sw == apdu.SW_OK:
            return
        if tries == 0:
            raise CardBlocked()
        raise WrongPin(tries)

    def _algorithm(self) -> int:
        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import rsa

        try:
            key = x509.load_der_x509_certificate(self.certificate_der).public_key()
        except ValueError:
            raise UnknownCard() from None
        return apdu.ALG_RSA_SHA256 if isinstance(key, rsa.RSAPublicKey) else apdu.ALG_ECDSA_SHA256

    def sign(self, challenge: bytes) -> bytes:
        """INTERNAL AUTHENTICATE over a 32-byte challenge, after a verified PIN."""
        if self._transmit(apdu.mse_set_authentication(self._algorithm()))[1] != apdu.SW_OK:
            raise CardFailure()
        signature, sw = self._transmit(apdu.internal_authenticate(challenge))
        if sw == apdu.SW_SECURITY_NOT_SATISFIED:
            raise CardFailure("La carte demande d'abord le code porteur.")
        if sw != apdu.SW_OK:
            raise CardFailure()
        return signature

    def _removed_soon(self) -> bool:
        # vpcd fails a transmit at once when the card leaves, pcscd notices at its next poll (400 ms).
        for _ in range(8):
            if not self.is_present():
                return True
            time.sleep(0.1)
        return False

    def is_present(self) -> bool:
        hresult = scard.SCardStatus(self._card)[0]
        return hresult == scard.SCARD_S_SUCCESS

    def close(self) -> None:
        if self._card is not None:
            scard.SCardDisconnect(self._card, scard.SCARD_LEAVE_CARD)
            self._card = None
        if self._context is not None:
            _release(self._context)
            self._context = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_card(*, reader: str | None = None, timeout: float = 0.0) -> CardSession:
    """Connect to the CPx card of `reader` (the first with a card), waiting up to `timeout` s."""
    return CardSession(wait_for_card(timeout=timeout, reader=reader))


@dataclass(frozen=True)
class Signed:
    """What the server needs from a card to open a card session (no PIN: it stays with the card)."""

    certificate_der: bytes
    signature: bytes
    identity: apdu.Identity
    presence: ReaderState


def sign_challenge(challenge: bytes, pin: str, *, reader: str | None = None, timeout: float = 0.0) -> Signed:
    """The whole card side of a login: one connection from VERIFY to INTERNAL AUTHENTICATE."""
    with open_card(reader=reader, timeout=timeout) as card:
        identity, certificate = card.identity, card.certificate_der
        card.verify_pin(pin)
        signature = card.sign(challenge)
        return Signed(certificate, signature, identity, card.state)
