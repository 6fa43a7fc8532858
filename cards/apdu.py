"""The card profile the portal reads: ISO 7816-4 APDUs over PC/SC, shaped on the CPS3 (IAS-ECC).

Shared by the card emulator (`cards/emulator.py`), the reader (`cards/reader.py`) and the local
card agent; pure Python, no Django, so that the agent runs on a workstation without the portal.

The profile (domain/REFERENCE.md §6 for the real CPS3; departures marked DEPARTURE):

ATR       CPS3 contact `3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00` (T=0). The reader
          accepts it under the CPS3 mask, and the CPS4 ATRs, then proves the profile by SELECT.
SELECT    `00 A4 04 0C 0D E8 28 BD 08 0F 80 25 00 00 01 FF 00 10`: the PKCS#15 application of the
          CPS3/CPS4 (contact). 9000; an unknown AID answers 6A82.
          Elementary files under it, by identifier: `00 A4 02 0C 02 <FID>`; 6A82 when absent.
  D003    EF.SN.ICC, 12 bytes: `80 25 00 00 01` (the ANS issuer prefix) then 7 bytes of the card
          serial. DEPARTURE: the real file sits under 3F00; we keep every file in the application.
  D101    Holder identity (DEPARTURE: the CPS2ter holder objects CPS_ID_CARD / CPS_NAME_PS have a
          private ASN.1 layout, not public): BER-TLV, template `A1`, UTF-8 values
            80 card family (CPS, CPE, CDE...)      81 national identifier, as printed on line 1 (R-CRD-18)
            82 surname    83 given names           84 profession or function label
            85 structure name                      86 structure identifier (idNat_Struct)
            87 portal card id (16 bytes, UUID)
  C001    The authentication certificate (DER, X.509) issued at production by the persons authority
          of the IGC Santé test PKI. Its CN is the national identifier (REFERENCE.md §5), which the
          server trusts, not the D101 copy.
READ      `00 B0 <offset hi> <offset lo> <Le>`, at most 0xE7 bytes per response (as the CPS3 driver).
          6B00 past the end of the file; 6986 with no file selected.
VERIFY    `00 20 00 81 08 <PIN in ASCII digits, padded with FF to 8 bytes>`: 9000; a wrong PIN 63Cx
          (x = tries left, 3 at the start); 6983 once blocked (DEPARTURE: the CPS2ter face answers
          9840; the reader reads both). An empty VERIFY `00 20 00 81` tells the state: 9000 when
          verified, 63Cx otherwise. Unblocking is an incident (F501), never an APDU of this profile.
MSE SET   `00 22 41 A4 06 80 01 <alg> 84 01 81`: the authentication key 81 with algorithm 02
          (ECDSA-SHA256, P-256) or 01 (RSA PKCS#1 v1.5 SHA-256, 2048 bits).
INT AUTH  `00 88 00 00 20 <32 bytes> 00`: the card signs the 32-byte challenge with the
          authentication key (ECDSA: DER signature; RSA: 256 bytes); 6982 before the PIN is
          verified. DEPARTURE: the CPS3 signs raw (the host pads a DigestInfo); this card hashes
          the challenge itself with SHA-256, like the PSO HASH + PSO CDS pair, in one command.
State     Selection and PIN state are lost on power off, power on and reset, like a chip.
"""

from dataclasses import dataclass

CPS3_ATR = bytes.fromhex("3BAC00402A00122500648000031000 9000".replace(" ", ""))
# (ATR, mask) pairs of the CPx cards (REFERENCE.md §6): CPS3 contact, CPS3 contactless, CPS4.
CPX_ATRS = (
    (CPS3_ATR, bytes.fromhex("FF00000000FFFFFFFFFFFF000000FFFFFF")),
    (bytes.fromhex("3B8F800100 31B86404B0ECC173940180829000 0E".replace(" ", "")),
     bytes.fromhex("FFFFFFFFFFFFFFFF0000FFC0FFFFFFFFFFFFFFFF")),
    (bytes.fromhex("3B9B18800100122500648004010000 9044".replace(" ", "")),
     bytes.fromhex("FFFFFFFFFFFFFFFFFFFFFFFFFF0000FFFF")),
)
AID_PKCS15 = bytes.fromhex("E828BD080F8025000001FF0010")
FID_SERIAL = 0xD003
FID_IDENTITY = 0xD101
FID_AUTH_CERTIFICATE = 0xC001
PIN_REFERENCE = 0x81
AUTH_KEY_REFERENCE = 0x81
ALG_RSA_SHA256 = 0x01
ALG_ECDSA_SHA256 = 0x02
PIN_BLOCK_SIZE = 8
MAX_RESPONSE = 0xE7
CHALLENGE_SIZE = 32
ISSUER_PREFIX = bytes.fromhex("8025000001")
PIN_TRIES = 3

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_BLOCKED = 0x6983
SW_CPS2TER_PIN_LOCKED = 0x9840
SW_NO_FILE_SELECTED = 0x6986
SW_WRONG_DATA = 0x6A80
SW_NOT_FOUND = 0x6A82
SW_WRONG_P1P2 = 0x6B00
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00

IDENTITY_TAGS = {
    0x80: "family", 0x81: "national_id", 0x82: "surname", 0x83: "given_names",
    0x84: "title", 0x85: "structure_name", 0x86: "structure_id", 0x87: "card_id",
}


def atr_is_cpx(atr: bytes) -> bool:
    return any(
        len(atr) == len(ref) and all((a & m) == (r & m) for a, r, m in zip(atr, ref, mask, strict=False))
        for ref, mask in CPX_ATRS
    )


@dataclass(frozen=True)
class Identity:
    """The holder data of file D101."""

    family: str
    national_id: str
    surname: str
    given_names: str
    title: str = ""
    structure_name: str = ""
    structure_id: str = ""
    card_id: str = ""  # hex of the portal's UUID

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _tlv(tag: int, value: bytes) -> bytes:
    length = len(value)
    if length < 0x80:
        return bytes([tag, length]) + value
    if length < 0x100:
        return bytes([tag, 0x81, length]) + value
    return bytes([tag, 0x82, length >> 8, length & 0xFF]) + value


def _read_tlvs(data: bytes):
    i = 0
    while i < len(data):
        tag, length = data[i], data[i + 1]
        i += 2
        if length == 0x81:
            length, i = data[i], i + 1
        elif length == 0x82:
            length, i = int.from_bytes(data[i:i + 2], "big"), i + 2
        yield tag, data[i:i + length]
        i += length


def encode_identity(identity: Identity) -> bytes:
    body = b""
    for tag, name in IDENTITY_TAGS.items():
        value = getattr(identity, name)
        if name == "card_id":
            raw = bytes.fromhex(value) if value else b""
        else:
            raw = value.encode()
        if raw:
            body += _tlv(tag, raw)
    return _tlv(0xA1, body)


def decode_identity(data: bytes) -> Identity:
    """Parse file D101; ValueError when it is not our template."""
    try:
        (outer_tag, body), = list(_read_tlvs(data))
        if outer_tag != 0xA1:
            raise ValueError("not an identity template")
        fields = {}
        for tag, value in _read_tlvs(body):
            name = IDENTITY_TAGS.get(tag)
            if name == "card_id":
                fields[name] = value.hex()
            elif name:
                fields[name] = value.decode()
        return Identity(**fields)
    except (IndexError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed identity file: {exc}") from None


def pin_block(pin: str) -> bytes:
    raw = pin.encode("ascii")
    if len(raw) > PIN_BLOCK_SIZE:
        raise ValueError("PIN too long")
    return raw + b"\xff" * (PIN_BLOCK_SIZE - len(raw))


def pin_from_block(block: bytes) -> str:
    return block.rstrip(b"\xff").decode("ascii", errors="replace")


# Command APDUs, built in one place for the reader, the emulator's tests and the documentation.
def select_aid(aid: bytes = AID_PKCS15) -> list[int]:
    return [0x00, 0xA4, 0x04, 0x0C, len(aid), *aid]


def select_file(fid: int) -> list[int]:
    return [0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF]


def read_binary(offset: int, length: int) -> list[int]:
    return [0x00, 0xB0, offset >> 8, offset & 0xFF, length & 0xFF]


def verify(pin: str | None) -> list[int]:
    if pin is None:
        return [0x00, 0x20, 0x00, PIN_REFERENCE]
    return [0x00, 0x20, 0x00, PIN_REFERENCE, PIN_BLOCK_SIZE, *pin_block(pin)]


def mse_set_authentication(algorithm: int) -> list[int]:
    return [0x00, 0x22, 0x41, 0xA4, 0x06, 0x80, 0x01, algorithm, 0x84, 0x01, AUTH_KEY_REFERENCE]


def internal_authenticate(challenge: bytes) -> list[int]:
    return [0x00, 0x88, 0x00, 0x00, len(challenge), *challenge, 0x00]
