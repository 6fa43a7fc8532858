"""Throttles read the client's address from the proxies we trust, never from the client's own header."""

import pytest
from django.test import RequestFactory, override_settings

from esms_portal.core.client import client_address


def _request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(PORTAL_NUM_PROXIES=0)
def test_without_trusted_proxy_the_header_is_ignored():
    assert client_address(_request(forwarded="1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged first hop is not believed
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (3, "203.0.113.7", "203.0.113.7"),  # fewer hops than proxies: the first one
        (1, " , ", "10.0.0.9"),
    ],
)
def test_behind_trusted_proxies_the_client_is_their_hop(proxies, forwarded, expected):
    with override_settings(PORTAL_NUM_PROXIES=proxies):
        assert client_address(_request(forwarded=forwarded)) == expected
