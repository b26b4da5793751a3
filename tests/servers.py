"""Throwaway servers for the test suite: a private PostgreSQL with PostGIS on 127.0.0.1."""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run scripts/bootstrap test")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    """initdb into a temporary folder, start on a private port, create a PostGIS database."""

    def __init__(self):
        self.bin = _pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="cps-pg-"))
        self.port = _free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str, **kw) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

    def start(self) -> str:
        """Start the server; return a SQLAlchemy URL for its `cps_test` database."""
        if self.user:
            uid = pwd.getpwnam(self.user)
            os.chown(self.dir, uid.pw_uid, uid.pw_gid)
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", "cps", "-A", "trust",
                  "-E", "UTF8", "--no-locale")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-w",
                  "-l", str(self.dir / "log"), "start")
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "cps", "cps_test")
        self.psql("CREATE EXTENSION postgis")
        return f"postgresql+psycopg://cps@127.0.0.1:{self.port}/cps_test"

    def psql(self, sql: str, db: str = "cps_test") -> str:
        """Run SQL as the superuser and return its output."""
        return self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                         "-U", "cps", "-d", db, "-tAc", sql).stdout

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m",
                      "immediate", "stop")
        except subprocess.CalledProcessError:
            time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A private redis-server on 127.0.0.1 that tests can stop, restart, pause and resume."""

    def __init__(self):
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        """Start (or restart) the server on its port; return its URL once it answers."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: run scripts/bootstrap test")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self.url
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        """Stop the server (its data is gone: nothing is saved)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def pause(self) -> None:
        """Freeze the server: connections are accepted by the kernel but never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)
