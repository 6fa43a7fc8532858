import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # DRF throttles count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """`api(user)`: a client that authenticates as `user` with his token, as a program would."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
        return client

    return client_for
