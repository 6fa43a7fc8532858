"""The address guard: outside DEBUG, https only and never a private, loopback, link-local or cloud
metadata address, checked at the subscription and again at each delivery."""

import pytest

from contracts import services as contract_services
from esms_portal.models import DeliveryState
from esms_portal.webhooks import addresses, services
from esms_portal.webhooks.addresses import AddressRefused
from tests.timed import run_due_steps

from .conftest import deliveries

REFUSED = [
    "https://127.0.0.1/hook",
    "https://127.8.9.10:8443/hook",
    "https://10.0.0.12/hook",
    "https://172.16.4.1/hook",
    "https://192.168.1.20/hook",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "https://100.100.100.200/",  # shared address space (Alibaba's metadata)
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00:ec2::254]/",  # AWS metadata over IPv6 (unique local)
    "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "https://0.0.0.0/",
    "https://localhost/hook",  # a name that resolves to 127.0.0.1
    "http://93.184.215.14/hook",  # http outside DEBUG, even to a public address
    "https://user:password@93.184.215.14/hook",
    "file:///etc/passwd",
    "gopher://93.184.215.14/",
    "https://",
    "https://93.184.215.14:99999/",
    "https://93.184.215.14/a b",
    "https://93.184.215.14/hook\r\nX-Injected: 1",
]


@pytest.mark.parametrize("url", REFUSED)
def test_the_guard_refuses(url, settings):
    settings.DEBUG = False
    with pytest.raises(AddressRefused):
        addresses.checked(url)


def test_a_public_https_address_is_accepted_and_pinned():
    target = addresses.checked("https://93.184.215.14:8443/hook?source=portail")
    assert (target.scheme, target.host, target.port, target.path, target.address) == (
        "https", "93.184.215.14", 8443, "/hook?source=portail", "93.184.215.14")


def test_a_non_ascii_path_travels_percent_encoded():
    assert addresses.checked("https://93.184.215.14/réception?événement=tous").path == (
        "/r%C3%A9ception?%C3%A9v%C3%A9nement=tous")


def test_a_name_is_resolved_once_and_the_delivery_connects_to_that_address(allow_private):
    target = addresses.checked("http://localhost:8080/hook")
    assert target.host == "localhost" and target.address in {"127.0.0.1", "::1"}


def test_the_setting_or_debug_lets_a_local_receiver_through(settings):
    settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE = True
    assert addresses.checked("http://127.0.0.1:9/").address == "127.0.0.1"
    settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE, settings.DEBUG = False, True
    assert addresses.checked("http://127.0.0.1:9/").address == "127.0.0.1"


@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "https://169.254.169.254/", "https://[::1]/",
                                 "https://localhost/", "http://93.184.215.14/"])
def test_subscribing_a_refused_address_writes_nothing(url, alice, alpha):
    with pytest.raises(AddressRefused):
        services.webhook_subscribe(actor=alice, organisation=alpha, url=url)


def test_the_address_is_checked_again_at_delivery(settings, subscribed, receiver, alice, alpha):
    contract_services.contract_start(actor=alice, structure=alpha)
    settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE = False  # the name would now lead to a private address
    assert run_due_steps() == ["done"]
    (delivery,) = deliveries()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_error.startswith("Adresse refusée")
    assert receiver.received == []
