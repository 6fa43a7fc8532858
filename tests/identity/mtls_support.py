"""A real nginx in front of the live server, rendered from deploy/nginx/portal.conf.template, and curl
as the program: the mutual TLS tests' harness (Debian's nginx-light, bin/bootstrap installs it)."""

import json
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from esms_portal.models import CertificateProfile
from esms_portal.pki import authorities
from esms_portal.pki.issue import build_certificate
from tests.kernel.faults_support import free_port

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "portal.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def escaped(certificate: x509.Certificate) -> str:
    """What nginx's $ssl_client_escaped_cert holds: the PEM, URL-encoded."""
    return quote(pem(certificate).decode(), safe="")


def render(template: str, values: dict[str, str]) -> str:
    """The envsubst of the nginx image: only the named ${VARIABLES}, nginx's own $variables kept."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    return template


def server_certificate(directory: Path) -> tuple[Path, Path]:
    """An SSL_SERVEUR certificate for localhost from the test authority (no database row needed)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC).replace(microsecond=0)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    certificate = build_certificate(
        authorities.load(authorities.ORGANISATIONS), subject=subject, public_key=key.public_key(),
        profile=CertificateProfile.SSL_SERVEUR, not_before=now - timedelta(minutes=1),
        not_after=now + timedelta(days=1), dns_names=["localhost"],
    )
    cert_path, key_path = directory / "server.crt.pem", directory / "server.key.pem"
    cert_path.write_bytes(pem(certificate) + pem(authorities.ca_certificate(authorities.ORGANISATIONS)))
    key_path.write_bytes(pem_key(key))
    return cert_path, key_path


class Nginx:
    """nginx as a foreground child process with its own prefix, on 127.0.0.1 and a free port."""

    def __init__(self, directory: Path, *, upstream: str, ca_bundle: Path):
        self.directory = directory
        self.port = free_port()
        cert_path, key_path = server_certificate(directory)
        (directory / "portal.conf").write_text(render(TEMPLATE.read_text(), {
            "PORTAL_UPSTREAM": upstream,
            "PORTAL_TLS_LISTEN": f"127.0.0.1:{self.port}",
            "PORTAL_TLS_CERTIFICATE": str(cert_path),
            "PORTAL_TLS_CERTIFICATE_KEY": str(key_path),
            "PORTAL_MTLS_CA_BUNDLE": str(ca_bundle),
        }))
        temp = {name: directory / name for name in ("body", "proxy")}
        for path in temp.values():
            path.mkdir()
        user = "user root;\n" if os.geteuid() == 0 else ""  # its workers read our 0700 temporary directory
        (directory / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
            f"error_log {directory}/error.log info;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n access_log {directory}/access.log;\n client_body_temp_path {temp['body']};\n"
            f" proxy_temp_path {temp['proxy']};\n include {directory}/portal.conf;\n}}\n"
        )
        self.process = None

    def start(self):
        command = [NGINX, "-p", str(self.directory), "-e", str(self.directory / "error.log"),
                   "-c", str(self.directory / "nginx.conf")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(command)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {self.errors()}")
            if (self.directory / "nginx.pid").exists() and self._listening():
                return self
            time.sleep(0.05)
        raise AssertionError(f"nginx did not listen: {self.errors()}")

    def _listening(self) -> bool:
        import socket

        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", self.port)) == 0

    def errors(self) -> str:
        path = self.directory / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.port}"


def curl(url: str, *, ca_bundle: Path | None = None, port: int | None = None, cert: Path | None = None,
         key: Path | None = None, headers: dict[str, str] | None = None, interface: str = "",
         data: dict | None = None) -> tuple[int, dict]:
    """One GET (a JSON POST with `data`) with curl; (status, JSON body or {})."""
    command = ["curl", "-sS", "--max-time", "20", "-H", "Accept: application/json", "-w", "\n%{http_code}"]
    if ca_bundle:
        command += ["--cacert", str(ca_bundle), "--resolve", f"localhost:{port}:127.0.0.1"]
    if cert:
        command += ["--cert", str(cert), "--key", str(key)]
    if interface:
        command += ["--interface", interface]
    if data is not None:
        command += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(data)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    try:
        data = json.loads(body) if body else {}
    except json.JSONDecodeError:
        data = {"raw": body}
    return int(status), data
