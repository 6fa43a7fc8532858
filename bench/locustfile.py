"""Users of bench/http_load.py (locust, headless, against 127.0.0.1 only); one class per scenario.

Each request comes from its own address (X-Forwarded-For behind PORTAL_NUM_PROXIES=1), as from
many clients, so that the per-address throttles do not cap the benchmark; the TLS proxy's
X-Forwarded-Proto is sent too.
"""

import os
import random
import re

from locust import FastHttpUser, constant, tag, task  # noqa: F401

PREFIXES = ["MA", "RO", "LE", "DU", "BER", "NAR", "PE", "TI", "GAR", "MON", "LA", "FON"]
PASSWORD = "demo-esms-2026"


def set_cookies(response) -> str:
    """Every Set-Cookie of a response in one string (the client gives a list when there are several)."""
    value = response.headers.get("Set-Cookie", "")
    return "; ".join(value) if isinstance(value, list) else value


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self):
        address = ".".join(str(random.randrange(1, 255)) for _ in range(3))
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.{address}"}

    def get(self, url, name=None):
        # Every request from another address: the measure is of the pages, not of the per-address
        # throttles (30 directory searches a minute), which would answer most of them with a 429.
        address = ".".join(str(random.randrange(1, 255)) for _ in range(3))
        return self.client.get(url, headers={**self.headers, "X-Forwarded-For": f"10.{address}"}, name=name or url)

    def log_in(self, email):
        """The session http_load.py opened before the run (`BENCH_COOKIE_<email>`), shared by the users:
        50 logins inside the measured window would be 50 password hashes (PBKDF2, 1,000,000
        iterations, ~0.6 s of CPU each), most of the window's CPU. Without it, the login form as a
        browser posts it; cookies sent by hand (they are Secure, we speak HTTP)."""
        opened = os.environ.get(f"BENCH_COOKIE_{email}")
        if opened:
            self.headers["Cookie"] = opened
            return
        page = self.client.get("/connexion/", headers=self.headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        csrf = re.search(r"csrftoken=([^;]+)", set_cookies(page)).group(1)
        self.headers["Cookie"] = f"csrftoken={csrf}"
        answer = self.client.post("/connexion/", data={"username": email, "password": PASSWORD,
                                                        "csrfmiddlewaretoken": token},
                                  headers={**self.headers, "Referer": f"https://{self.host.split('//')[1]}/connexion/"},
                                  allow_redirects=False)
        session = re.search(r"sessionid=([^;]+)", set_cookies(answer))
        assert session, f"login of {email} failed: {answer.status_code}"
        self.headers["Cookie"] = f"csrftoken={csrf}; sessionid={session.group(1)}"


class Bare(PortalUser):
    @task
    def hello(self):
        self.get("/hello")


class DirectoryPage(PortalUser):
    @task
    def search(self):
        self.get(f"/rpps/annuaire/?name={random.choice(PREFIXES)}", name="/rpps/annuaire/?name=")


class DirectoryApi(PortalUser):
    @task
    def search(self):
        self.get(f"/api/v1/rpps/annuaire/?name={random.choice(PREFIXES)}", name="/api/v1/rpps/annuaire/?name=")


class LoginPage(PortalUser):
    @task
    def page(self):
        self.get("/connexion/")


class Healthz(PortalUser):
    @task
    def healthz(self):
        self.get("/healthz")


class OrganisationPages(PortalUser):
    """The demo's legal representative: her card list (5,000 cards) and her timeline."""

    def on_start(self):
        super().on_start()
        self.log_in("representant@demo.esms.example")
        # http_load.py asks once where her home leads; without it, each user asks (in the measured window).
        self.timeline = os.environ.get("BENCH_TIMELINE") or self.client.get("/", headers=self.headers).url

    @task
    def cards(self):
        self.get("/cartes/")

    @task
    def timeline(self):
        self.get(self.timeline, name="/embarquement/<organisation>/")


class AgentQueue(PortalUser):
    def on_start(self):
        super().on_start()
        self.log_in("agent@demo.ans.example")

    @task
    def queue(self):
        self.get("/back-office/")


class Mix(PortalUser):
    """A day's blend, each request from whom it comes from in use: the public searching the Annuaire
    Santé (page and API) and opening the login page, anonymous; an organisation's representative
    on her cards list, logged in; the load balancer's probe on /healthz. Weights as before: 8
    directory, 2 cards, 1 login page, 1 probe (the agents have their own scenario, AgentQueue).
    Until 2026-12-04 every request of the mix came from the logged-in representative, the
    directory's too, which no visitor of the Annuaire is."""

    public_logged_in = False  # MixLoggedIn: the public's requests sent by the representative too

    def on_start(self):
        super().on_start()
        anonymous = dict(self.headers)  # no cookie
        self.log_in("representant@demo.esms.example")
        self.representative = self.headers
        self.public = self.headers = self.representative if self.public_logged_in else anonymous

    def get_as(self, headers, url, name=None):
        self.headers = headers
        try:
            return self.get(url, name=name)
        finally:
            self.headers = self.public

    @task(5)
    def directory_page(self):
        self.get(f"/rpps/annuaire/?name={random.choice(PREFIXES)}", name="/rpps/annuaire/?name=")

    @task(3)
    def directory_api(self):
        self.get(f"/api/v1/rpps/annuaire/?name={random.choice(PREFIXES)}", name="/api/v1/rpps/annuaire/?name=")

    @task(1)
    def login_page(self):
        self.get("/connexion/")

    @task(2)
    def cards(self):
        self.get_as(self.representative, "/cartes/")

    @task(1)
    def healthz(self):
        self.get("/healthz")


class MixLoggedIn(Mix):
    """The mix as measured until 2026-12-04: the same requests, all from the logged-in representative
    (her directory pages are rendered for her, never served from the anonymous cache)."""

    public_logged_in = True
