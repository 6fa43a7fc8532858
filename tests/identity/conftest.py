"""A Pro Santé Connect stand-in started by the tests: the OpenID-certified `oidc-provider` (Node.js)
of `psc_provider/`, run on 127.0.0.1, configured with PSC's claims; `bin/bootstrap` installs it
(`npm ci`). The portal's settings point at it; the browser's side of the provider (its cookies, its
login page) is a `requests` session, the portal's side Django's test client."""

import json
import os
import re
import select
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.rpps_plus.conftest import contracts_accepted, empty_cache, gina, site, sms_outbox  # noqa: F401

PROVIDER = Path(__file__).parent / "psc_provider"
CALLBACK = "http://testserver/connexion/psc/retour/"
AFTER_LOGOUT = "http://testserver/connexion/"


class Provider:
    def __init__(self, **env):
        if shutil.which("node") is None or not (PROVIDER / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("The PSC test provider is not installed: run bin/bootstrap "
                        "(npm ci in tests/identity/psc_provider).")
        self.process = subprocess.Popen(
            ["node", "provider.js"], cwd=PROVIDER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PSC_REDIRECT_URIS": CALLBACK, "PSC_POST_LOGOUT_REDIRECT_URIS": AFTER_LOGOUT,
                 **{key: str(value) for key, value in env.items()}},
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 20)
        if not ready:
            self.stop()
            pytest.fail("The PSC test provider did not start.")
        self.issuer = json.loads(self.process.stdout.readline())["issuer"]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="session")
def psc():
    provider = Provider()
    yield provider
    provider.stop()


@pytest.fixture
def start_provider():
    """Start a provider with the given environment (misbehaviours of provider.js); stopped after the test."""
    started = []

    def start(**env):
        started.append(Provider(**env))
        return started[-1]

    yield start
    for provider in started:
        provider.stop()


def configure(settings, provider):
    settings.PORTAL_PSC_ISSUER = provider.issuer
    settings.PORTAL_PSC_CLIENT_ID = "esms-portal"
    settings.PORTAL_PSC_CLIENT_SECRET = "esms-portal-secret"


@pytest.fixture
def psc_on(settings, psc):
    configure(settings, psc)
    return psc


@pytest.fixture
def browser():
    """The browser's side of the provider: its cookies (the PSC session)."""
    with requests.Session() as session:
        yield session


def follow(browser, url: str):
    """Follow the provider's redirections until a page or the way back to the portal."""
    response = browser.get(url, allow_redirects=False, timeout=10)
    while response.status_code in (302, 303) and not response.headers["Location"].startswith("http://testserver"):
        response = browser.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=10)
    return response


def at_provider(browser, url: str, identifier: str) -> str:
    """What the professional does at PSC: its login page, his identifier (his card or e-CPS), unless
    his PSC session is still open; answers the URL PSC sends him back to (the portal's callback)."""
    response = follow(browser, url)
    if response.status_code == 200 and "/interaction/" in response.url:
        action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
        response = browser.post(urljoin(response.url, action), data={"identifier": identifier},
                                allow_redirects=False, timeout=10)
        response = follow(browser, urljoin(response.url, response.headers["Location"]))
    assert response.status_code in (302, 303), response.text[:500]
    return response.headers["Location"]


def psc_log_in(client, browser, identifier: str):
    """The whole login: the portal's redirection, PSC, the portal's callback (its response)."""
    response = client.get("/connexion/psc/")
    assert response.status_code == 302
    return client.get(at_provider(browser, response["Location"], identifier))
