"""A PostgreSQL cluster of a test's own, in a temporary folder on a free port (`initdb` then
`pg_ctl`), which the test stops and starts at will; never the shared server."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.realtime.server_process import free_port


def _tool(name: str) -> str:
    """`initdb`/`pg_ctl`: from PATH, else from `pg_config --bindir` (Debian keeps them there)."""
    found = shutil.which(name)
    if found:
        return found
    bindir = subprocess.run(
        ["pg_config", "--bindir"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return str(Path(bindir) / name)


class ThrowawayPostgres:
    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="passerelle-pg-"))
        self.data = self.root / "data"
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root: run the cluster as `postgres`
            shutil.chown(self.root, "postgres", "postgres")
            self._as_postgres = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        # no pipes: the server pg_ctl starts would hold them open (its output goes to `-l`)
        subprocess.run(  # noqa: S603 (fixed tools, our own arguments)
            [*self._as_postgres, *args],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self._run(_tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-N")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c full_page_writes=off"  # commits reach the WAL: a crash keeps them
        )
        log = str(self.root / "server.log")
        self._run(
            _tool("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            log,
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self) -> None:
        """As a crash or a lost server would: no goodbye to the clients."""
        self._run(_tool("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
