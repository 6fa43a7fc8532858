"""The portal through HTTP under concurrent load, against a bare Django "hello" in the same run.

    .venv/bin/python bench/http_load.py [--users 50] [--seconds 20] [--professionals 100000] [--cards 5000]

1. recreates a bench database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/esms_bench_http;
   its name must contain "bench"), migrates it, loads the demo (`load_demo`), --professionals published
   in the Annuaire Santé (COPY, bench/rpps_directory.py's loader) and --cards active cards in the
   demo organisation;
2. starts gunicorn from gunicorn.conf.py (GUNICORN_WORKERS=--workers, production settings: DEBUG off,
   a generated secret, persistent connections, Redis for cache and broker, PORTAL_NUM_PROXIES=1), and
   the bare app (bench/bare_app.py) on the same gunicorn and settings file;
3. runs locust headless (bench/locustfile.py, 127.0.0.1 only) for each scenario with --users users
   for --seconds seconds, each right after a run of the bare app (the machine is shared: a
   neighbour's load weighs on both of a pair alike); a scenario's ratio is to the bare run just
   before it, the bare figure shown is the median of these runs;
4. reports requests/s, p50/p95/p99 (locust's), CPU of the gunicorn workers per request, and the
   ratio of each to the bare app; stdout and bench/results/http_load-<time>.json.

The agents' second factor is off in this run (PORTAL_STAFF_2FA=false: locust cannot read a TOTP
app); the card-login requirement does not apply to the pages measured.
"""

import csv
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

from benchsetup import ROOT, arguments, bench_database, demo_with_cards, use_temporary_pki, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/esms_bench_http"
BIN = Path(sys.executable).parent
SCENARIOS = ["DirectoryPage", "DirectoryApi", "LoginPage", "Healthz", "OrganisationPages", "AgentQueue", "Mix",
             "MixLoggedIn"]


def load_data(professionals: int, cards: int) -> None:
    from rpps_directory import load

    demo_with_cards(cards)
    load(professionals, random.Random(7))


def server_env(url: str, workers: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "esms_portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
        "PORTAL_NUM_PROXIES": "1",
        "PORTAL_STAFF_2FA": "false",
        "DJANGO_STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", str(ROOT / "var" / "static")),
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_MAX_REQUESTS": "0",  # no worker recycling mid-run: its CPU counters would restart
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }


class Server:
    def __init__(self, app: str, port: int, env: dict, chdir: Path = ROOT):
        self.port = port
        self.log = Path(tempfile.mkdtemp(prefix="bench-gunicorn-")) / "server.log"
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--chdir", str(chdir), app],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log.open("w"), start_new_session=True,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except urllib.error.HTTPError:
                break  # answering (the bare app has no /healthz)
            except OSError:
                time.sleep(0.1)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def cpu_seconds(self) -> float:
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(30)


LOGINS = ["representant@demo.esms.example", "agent@demo.ans.example"]


def open_session(port: int, email: str) -> str:
    """Log `email` in once, as locustfile.PortalUser.log_in does, and return its Cookie header."""
    import http.cookies
    import re
    import urllib.parse

    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9"}
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(urllib.request.Request(f"http://127.0.0.1:{port}/connexion/", headers=headers))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    jar = http.cookies.SimpleCookie()
    for value in page.headers.get_all("Set-Cookie"):
        jar.load(value)
    body = urllib.parse.urlencode({"username": email, "password": "demo-esms-2026",
                                   "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/connexion/", data=body, headers={
        **headers, "Cookie": f"csrftoken={jar['csrftoken'].value}",
        "Referer": f"https://127.0.0.1:{port}/connexion/"})
    try:
        answer = opener.open(request)
    except urllib.error.HTTPError as redirect:
        answer = redirect
    for value in answer.headers.get_all("Set-Cookie") or []:
        jar.load(value)
    assert "sessionid" in jar, f"login of {email} failed: {answer.status}"
    return f"csrftoken={jar['csrftoken'].value}; sessionid={jar['sessionid'].value}"


def home_of(port: int, cookie: str) -> str:
    """The path the portal's home redirects a session to."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9", "Cookie": cookie})
    try:
        answer = urllib.request.build_opener(NoRedirect).open(request)
    except urllib.error.HTTPError as redirect:
        answer = redirect
    return answer.headers["Location"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def run_locust(scenario: str, server: Server, users: int, seconds: int, out: Path) -> dict:
    prefix = out / scenario
    before = server.cpu_seconds()
    subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{server.port}", "--csv", str(prefix),
         "--only-summary", "--loglevel", "WARNING", scenario],
        cwd=ROOT, stdout=subprocess.DEVNULL,  # locust exits 1 on failures: they are counted below
    )
    cpu = server.cpu_seconds() - before
    with open(f"{prefix}_stats.csv") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    requests, failures = int(row["Request Count"]), int(row["Failure Count"])
    return {
        "requests": requests, "failures": failures, "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]),
        "cpu_ms_per_request": round(1000 * cpu / max(requests, 1), 2),
    }


def main() -> None:
    args = arguments(__doc__, users=50, seconds=20, professionals=100_000, cards=5000, workers=2,
                     skip_load=(False, "reuse the bench database as it is"),
                     only=("", "comma-separated scenarios to run (default: all)"))
    scenarios = [name for name in args.only.split(",") if name] or SCENARIOS
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # no SMTP here
    use_temporary_pki()
    bench_database(url, recreate=not args.skip_load)
    if not args.skip_load:
        load_data(args.professionals, args.cards)
    env = server_env(url, args.workers)
    if not args.skip_load or not (Path(env["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                       check=True)  # minutes on a busy machine: --skip-load keeps the files collected before
    out = Path(tempfile.mkdtemp(prefix="bench-http-"))
    results = {"when": datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
               "users": args.users, "seconds": args.seconds, "workers": args.workers,
               "professionals": args.professionals, "cards": args.cards, "scenarios": {}}
    # BENCH_PORT (default 8391) and the next one: several sessions may bench the same machine at once.
    port = int(os.environ.get("BENCH_PORT", "8391"))
    bare = Server("bare_app:application", port, env, chdir=ROOT / "bench")
    portal = Server("esms_portal.wsgi:application", port + 1, env)
    try:
        for email in LOGINS:  # once, before the measures (see locustfile.PortalUser.log_in)
            os.environ[f"BENCH_COOKIE_{email}"] = open_session(portal.port, email)
        # Where the representative's home leads (her timeline), asked once here rather than by each user
        # inside the measured window.
        os.environ["BENCH_TIMELINE"] = home_of(portal.port, os.environ[f"BENCH_COOKIE_{LOGINS[0]}"])
        bare_runs = []
        for scenario in scenarios:
            bare_runs.append(run_locust("Bare", bare, args.users, args.seconds, out))
            figures = run_locust(scenario, portal, args.users, args.seconds, out)
            figures["bare_rps"] = bare_runs[-1]["rps"]
            figures["ratio"] = round(figures["rps"] / figures["bare_rps"], 3)
            results["scenarios"][scenario] = figures
            print(scenario, figures, flush=True)
    finally:
        bare.stop()
        portal.stop()
    baseline = {key: statistics.median(run[key] for run in bare_runs)
                for key in ("rps", "p95_ms", "cpu_ms_per_request")}
    results["bare"] = {"runs": bare_runs, **baseline}
    print("\n| scenario | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | bare req/s just before | ratio to bare |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| bare Django hello (median) | {baseline['rps']} | | {baseline['p95_ms']} | | "
          f"{baseline['cpu_ms_per_request']} | | 1 |")
    for scenario, figures in results["scenarios"].items():
        print(f"| {scenario} | {figures['rps']} | {figures['p50_ms']} | {figures['p95_ms']} | {figures['p99_ms']} | "
              f"{figures['cpu_ms_per_request']} | {figures['bare_rps']} | {figures['ratio']} |"
              + (f" ({figures['failures']} failures)" if figures["failures"] else ""))
    print(f"results: {write_results('http_load', results).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
