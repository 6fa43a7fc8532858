"""The card-login cast: a private pcscd with vpcd readers for the whole session, and cards made by
the portal's card factory (issue_chip) that the emulator inserts into the first virtual reader."""

import os
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from cards import reader
from cards.emulator import Emulator, virtual_card_for
from cards.pcsc_stack import PrivatePcscd, missing_component
from esms_portal.models import Role, RoleGrant
from tests.conftest import _service_missing
from tests.factories import TEST_PIN, CardFactory

PIN = TEST_PIN
WRONG_PIN = "1357"


@pytest.fixture(scope="session")
def pcsc_stack(tmp_path_factory):
    reason = missing_component()
    if reason:
        _service_missing(f"pile PC/SC indisponible : {reason}")
    stack = PrivatePcscd(tmp_path_factory.mktemp("pcscd"))
    try:
        stack.start()
    except RuntimeError as error:
        _service_missing(f"pcscd privé impossible à démarrer : {error}")
    # The client library reads its socket path once per process, before the first pyscard call.
    os.environ.update(stack.environ())
    yield stack
    stack.stop()


def wait_reader(name: str, *, present: bool, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if reader.reader_state(name).present == present:
            return
        time.sleep(0.02)
    raise AssertionError(f"{name}: card {'never came' if present else 'still there'}")


class Slot:
    """The first virtual reader; `insert(card)` waits for PRESENT, `remove()` for EMPTY."""

    def __init__(self, stack: PrivatePcscd):
        self.stack = stack
        self.name = stack.reader_names[0]
        self.emulator: Emulator | None = None

    def insert(self, card_or_chip) -> Emulator:
        self.remove()
        chip = card_or_chip if hasattr(card_or_chip, "process") else virtual_card_for(card_or_chip)
        self.emulator = Emulator(chip, port=self.stack.port)
        self.emulator.insert()
        wait_reader(self.name, present=True)
        return self.emulator

    def remove(self) -> None:
        if self.emulator is not None:
            self.emulator.remove()
            self.emulator = None
            wait_reader(self.name, present=False)


@pytest.fixture
def slot(pcsc_stack, settings):
    settings.PORTAL_CARD_READER_MODE = True
    settings.PORTAL_CARD_READER = pcsc_stack.reader_names[0]
    settings.PORTAL_CARD_WAIT_SECONDS = 0.5
    wait_reader(pcsc_stack.reader_names[0], present=False)
    slot = Slot(pcsc_stack)
    yield slot
    slot.remove()


def card_with_chip(**fields):
    """An active card personalised by the card factory: P-256 key, certificate of the persons CA."""
    from cards.services.chip import issue_chip

    card = CardFactory(active=True, **fields)
    issue_chip(card)
    card.refresh_from_db()
    return card


@pytest.fixture
def gestionnaire(alpha):
    from tests.factories import UserFactory

    user = UserFactory(email="gaelle@alpha.example", first_name="Gaëlle", last_name="Roux")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    return user


@pytest.fixture
def gestionnaire_card(pki, gestionnaire, alpha):
    return card_with_chip(holder=gestionnaire, organisation=alpha, family="CPE", title="Gestionnaire RPPS+",
                          national_id=f"3{alpha.finess}/CPET00042")


def foreign_key():
    return ec.generate_private_key(ec.SECP256R1())
