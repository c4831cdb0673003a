"""The servers `bench.rooms` measures, each a child process on a free loopback port: what they
have in common (`Target`) and the two peers of `bench.rooms_peers`. Passerelle's target is in
`bench.rooms_passerelle`.

Rooms are numbered: `0 .. classrooms-1` are the classrooms, `classrooms` is the lecture hall.
A member is a room and an index in it; for Passerelle the index picks one of the room's users.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.rooms_wire import JsonMember, Member, SocketIOMember, Window, join
from bench.server_process import ROOT, free_port

START_TIMEOUT_S = 60.0


def rss_kib(pid: int) -> int:
    """Resident memory of a process (VmRSS), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for_port(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server on port {port} did not answer in {START_TIMEOUT_S:.0f} s")
        time.sleep(0.1)


def stop_process(process: subprocess.Popen[bytes]) -> int | None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


class Target:
    """One server under test. `start` and `stop` block (run them in a thread)."""

    name: str
    label: str

    @property
    def pid(self) -> int:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> int | None:
        raise NotImplementedError

    async def prepare(self) -> None:
        """Untimed work before the first measurement of a round (Passerelle: log in)."""

    async def release(self) -> None:
        """Undo `prepare` (close clients) at the end of a round."""

    async def member(self, room: int, index: int, window: Window) -> Member:
        """A connected member of `room` that has had its welcome."""
        raise NotImplementedError

    def errors(self) -> list[str]:
        """Warnings and errors the server logged."""
        return []


class Peer(Target):
    """The bare `websockets` server or python-socketio (`bench.rooms_peers`)."""

    def __init__(self, kind: str, workdir: Path) -> None:
        self.name = kind
        self.label = {"bare": "bare websockets", "socketio": "python-socketio"}[kind]
        self.log = workdir / f"{kind}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        self.port = free_port()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [sys.executable, "-m", "bench.rooms_peers", self.name, "--port", str(self.port)],
                cwd=ROOT,
                env=os.environ | {"PYTHONPATH": str(ROOT)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.process, self.port, self.log)

    def stop(self) -> int | None:
        return stop_process(self.process) if self.process is not None else None

    async def member(self, room: int, index: int, window: Window) -> Member:
        if self.name == "bare":
            return await join(JsonMember(room, f"/rooms/r{room}?member={index}", window), self.port)
        path, auth = (
            "/socket.io/?EIO=4&transport=websocket",
            {"room": f"r{room}", "member": str(index)},
        )
        return await join(SocketIOMember(room, path, window, auth), self.port)

    def errors(self) -> list[str]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(errors="replace").splitlines()
        return [x for x in lines if "Traceback" in x or "ERROR" in x or "Error" in x]
