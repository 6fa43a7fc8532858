"""A private pcscd with vpcd readers, for the tests, the benchmark and the demo (domain/PCSC.md).

The daemon ignores PCSCLITE_CSOCK_NAME; only clients read it (once per process). So the socket is
ours: we bind it and hand it to pcscd by socket activation (fd 3, LISTEN_PID/LISTEN_FDS), with a
private reader.conf.d whose vpcd listens on free ports. As root, `unshare -m` bind-mounts a private
/run/pcscd so that parallel daemons do not fight over /run/pcscd/pcscd.pid.

vpcd listens on 0.0.0.0 (anyone reaching the port can insert a card): development and CI only,
never on a production host.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

VPCD_DRIVER_PATHS = (
    "/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
    "/usr/lib/x86_64-linux-gnu/pcsc/drivers/serial/libifdvpcd.so",
)


def vpcd_driver() -> str | None:
    return next((p for p in VPCD_DRIVER_PATHS if os.path.exists(p)), None)


def missing_component() -> str | None:
    """Why a private PC/SC stack cannot run here (None when it can), in French for skip reasons."""
    if shutil.which("pcscd") is None:
        return "pcscd absent (apt-get install pcscd)"
    if vpcd_driver() is None:
        return "lecteur virtuel vpcd absent (apt-get install vsmartcard-vpcd)"
    if shutil.which("bash") is None:
        return "bash absent"
    return None


def _listener_of(port: int) -> str:
    """` (program name, pid N)` of the process listening on TCP `port`, when /proc tells (Linux,
    same user or root); empty otherwise."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for fields in (line.split() for line in lines):
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(f"socket:[{fields[9]}]")
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            if any(os.readlink(fd) in inodes for fd in fd_dir.iterdir()):
                return f" ({(fd_dir.parent / 'comm').read_text().strip()}, pid {fd_dir.parent.name})"
        except OSError:
            continue
    return ""


def port_problem(port: int) -> str | None:
    """Why vpcd cannot open its two readers on `port` and `port + 1` (None when it can), in French."""
    for taken in (port, port + 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a listener, not a closed connection
            try:
                probe.bind(("0.0.0.0", taken))
            except OSError:
                return (f"le port {taken} du lecteur virtuel est déjà utilisé par un autre programme"
                        f"{_listener_of(taken)} ; arrêtez-le ou choisissez un autre port (PORTAL_VPCD_PORT)")
    return None


def free_port_pair() -> int:
    """A port p with p and p+1 free: vpcd opens reader 00 on p and reader 01 on p+1."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("0.0.0.0", port))
                b.bind(("0.0.0.0", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free pair of TCP ports for vpcd")


class PrivatePcscd:
    """`with PrivatePcscd(tmpdir) as stack:` then `stack.environ()` for clients, `stack.port` for cards."""

    def __init__(self, directory: Path, *, port: int | None = None, debug: bool = False):
        self.directory = Path(directory)
        self.port = port or free_port_pair()
        self.debug = debug
        self.socket_path = self.directory / "pcscd.comm"
        self.process: subprocess.Popen | None = None
        self._listener: socket.socket | None = None

    @property
    def reader_names(self) -> tuple[str, str]:
        return ("Virtual PCD 00 00", "Virtual PCD 00 01")

    def environ(self) -> dict[str, str]:
        return {"PCSCLITE_CSOCK_NAME": str(self.socket_path)}

    def _write_config(self) -> Path:
        conf = self.directory / "reader.conf.d"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME   /dev/null:0x{self.port:04X}\n"
            f"LIBPATH      {vpcd_driver()}\n"
            f"CHANNELID    0x{self.port:04X}\n"
        )
        return conf

    def _command(self, conf: Path, fd: int) -> list[str]:
        flags = "--debug --apdu" if self.debug else ""
        move = "" if fd == 3 else f"exec 3<&{fd} {fd}<&-; "
        script = f'{move}export LISTEN_PID=$$ LISTEN_FDS=1; exec pcscd --foreground {flags} --config "{conf}"'
        if os.geteuid() == 0 and shutil.which("unshare"):
            run_dir = self.directory / "run"
            run_dir.mkdir(exist_ok=True)
            Path("/run/pcscd").mkdir(parents=True, exist_ok=True)
            script = f'mount --bind "{run_dir}" /run/pcscd && {script}'
            return ["unshare", "-m", "bash", "-c", script]
        return ["bash", "-c", script]

    def start(self, *, timeout: float = 10.0) -> "PrivatePcscd":
        self.directory.mkdir(parents=True, exist_ok=True)
        conf = self._write_config()
        if self.socket_path.exists():
            self.socket_path.unlink()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(str(self.socket_path))
        self._listener.listen(64)
        fd = self._listener.fileno()
        log = open(self.directory / "pcscd.log", "ab")  # noqa: SIM115 - kept for the daemon's life
        self.process = subprocess.Popen(
            self._command(conf, fd), pass_fds=(fd,), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pcscd exited ({self.process.returncode}): {self.log_tail()}")
            try:  # vpcd listens once pcscd has loaded the driver
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.5)  # our probe looked like a card: let vpcd see it leave (EMPTY again)
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("pcscd did not open its vpcd readers in time")

    def log_tail(self, size: int = 2000) -> str:
        try:
            return (self.directory / "pcscd.log").read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None) -> None:
    """`python -m cards.pcsc_stack var/pcsc --port 35963`: the demo's daemon, until SIGTERM."""
    import argparse
    import signal
    import threading

    parser = argparse.ArgumentParser(prog="python -m cards.pcsc_stack")
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=35963)
    parser.add_argument("--check", action="store_true", help="dire seulement si la pile peut démarrer")
    args = parser.parse_args(argv)
    reason = missing_component() or port_problem(args.port)
    if reason:
        raise SystemExit(f"Pile PC/SC indisponible : {reason}")
    if args.check:
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with PrivatePcscd(Path(args.directory).resolve(), port=args.port) as stack:
        print(f"pcscd privé : PCSCLITE_CSOCK_NAME={stack.socket_path}, lecteurs virtuels sur les ports "
              f"{stack.port} et {stack.port + 1}", flush=True)
        while not stop.wait(1):
            if stack.process is None or stack.process.poll() is not None:
                raise SystemExit(f"pcscd s'est arrêté : {stack.log_tail(500)}")


if __name__ == "__main__":
    main()
