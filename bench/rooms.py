"""Benchmark: live rooms on Passerelle against a bare `websockets` server and python-socketio.

    python -m bench.rooms [--quick] [--rounds 2] [--postgres URL --redis URL]

One run measures three servers, each a single process of its own on a free loopback port,
one at a time, in interleaved rounds (bare, socketio, Passerelle, bare, ...), each started
afresh for its turn: the bare server and python-socketio from `bench.rooms_peers`, Passerelle
with `python -m app.serve` on a database seeded once through its API (`bench.rooms_passerelle`,
SQLite and the memory broker unless `--postgres` and `--redis`). The clients are the
benchmark process (`bench.rooms_wire`). In each turn (`bench.rooms_phases`):

1. idle connections: open `--idle` connections spread over the classrooms, timed (for
   Passerelle: a ticket with an access token held since before the round, then the WebSocket),
   and the server's resident memory (VmRSS) before and after;
2. classrooms: `--rooms` rooms of `--size` members, one publisher each: p99 latency at
   `--fixed-rate` messages per second per room, then the ramp to the highest delivered rate
   with p99 under 200 ms;
3. lecture: one room of `--lecture` members, the ramp.

Prints markdown: the figures (median over the rounds) with the ratios Passerelle / socketio
and Passerelle / bare, the integrity counters of every run, and every step of every ramp.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.rooms_passerelle import Passerelle, seeded
from bench.rooms_phases import Connections, Integrity, Scenario, Step, connections, scenario
from bench.rooms_targets import Peer, Target
from bench.server_process import fresh_postgres


@dataclass
class Turn:
    connections: Connections | None  # only in the first `--idle-rounds` rounds
    classrooms: Scenario
    lecture: Scenario
    exit_status: int | None = None
    load: tuple[float, float] = (math.nan, math.nan)  # 1-minute load average, before and after


@dataclass
class Runs:
    target: Target
    turns: list[Turn] = field(default_factory=list)


STARTED = time.monotonic()


def cpu_waiting_seconds() -> float:
    """Time some task of the machine waited for a CPU since boot (pressure stall
    information), NaN where the kernel has none: other work competing for the two cores."""
    try:
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return math.nan
    return int(some.rsplit("total=", 1)[1]) / 1e6


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


async def turn(target: Target, args: argparse.Namespace, index: int) -> Turn:
    load = os.getloadavg()[0]
    await asyncio.to_thread(target.start)
    try:
        await target.prepare()
        idle = None
        if index < args.idle_rounds:
            idle = await connections(target, args.idle, args.rooms, args.concurrency)
            say(f"  {target.name}: {idle.opened} connections in {idle.seconds:.2f} s")
        classrooms = await scenario(
            target,
            list(range(args.rooms)),
            args.size,
            fixed_rate=args.fixed_rate,
            fixed_seconds=args.fixed_seconds,
            ramp=(args.classroom_start, args.max_steps),
            seconds=args.step_seconds,
            concurrency=args.concurrency,
        )
        say(f"  {target.name}: classrooms {best(classrooms)}")
        lecture = await scenario(
            target,
            [args.rooms],
            args.lecture,
            fixed_rate=None,
            fixed_seconds=0.0,
            ramp=(args.lecture_start, args.max_steps),
            seconds=args.step_seconds,
            concurrency=args.concurrency,
        )
        say(f"  {target.name}: lecture {best(lecture)}")
    finally:
        await target.release()
        code = await asyncio.to_thread(target.stop)
    return Turn(idle, classrooms, lecture, code, (load, os.getloadavg()[0]))


def best(run: Scenario) -> str:
    top = run.best
    return "no step passed" if top is None else f"{top.per_second:,.0f} msgs/s"


async def measure(targets: list[Target], args: argparse.Namespace) -> list[Runs]:
    runs = [Runs(t) for t in targets]
    for n in range(args.rounds):
        say(f"round {n + 1} of {args.rounds}")
        for run in runs:
            run.turns.append(await turn(run.target, args, n))
    return runs


# --- the report ---------------------------------------------------------------------------


def median(values: list[float]) -> float:
    present = [v for v in values if not math.isnan(v)]
    return statistics.median(present) if present else math.nan


def figures(args: argparse.Namespace) -> list[tuple[str, bool, Callable[[Turn], float]]]:
    """(figure, higher is better, how to read it from a turn)."""

    def top(run: Scenario) -> float:
        return run.best.per_second if run.best else math.nan

    def fixed(turn: Turn) -> float:
        step = turn.classrooms.fixed
        return step.p99 * 1000 if step and step.delivered == step.expected else math.nan

    def memory(turn: Turn) -> float:
        return turn.connections.kib_per_connection if turn.connections else math.nan

    def opening(turn: Turn) -> float:
        c = turn.connections
        return c.seconds if c and not c.integrity.refused else math.nan

    return [
        (
            f"classrooms ({args.rooms} x {args.size}): max delivered msgs/s, p99 < 200 ms",
            True,
            lambda t: top(t.classrooms),
        ),
        (f"classrooms: p99 latency at {args.fixed_rate:g} msgs/s per room (ms)", False, fixed),
        (f"lecture (1 x {args.lecture}): max delivered msgs/s", True, lambda t: top(t.lecture)),
        ("memory per idle connection (KiB)", False, memory),
        (f"time to open {args.idle:,} connections (s)", False, opening),
    ]


def number(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def main_table(runs: list[Runs], args: argparse.Namespace) -> str:
    bare, sio, ours = runs
    head = (
        f"| figure | {bare.target.label} | {sio.target.label} | {ours.target.label} "
        "| Passerelle / socketio | Passerelle / bare |\n|---|---:|---:|---:|---:|---:|"
    )
    rows = [head]
    for name, _, read in figures(args):
        values = [median([read(t) for t in r.turns]) for r in runs]
        ratios = [values[2] / v if v and not math.isnan(v) else math.nan for v in values[:2]]
        cells = [number(v) for v in values] + [
            "n/a" if math.isnan(r) else f"{r:.2f}" for r in (ratios[1], ratios[0])
        ]
        rows.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(rows)


def integrity_table(runs: list[Runs]) -> str:
    rows = [
        "| server | run | gaps | duplicates | reorders | disconnects | short | refused "
        "| error frames |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        for name in ("idle connections", "classrooms", "lecture"):
            total = sum((integrity_of(t, name) for t in run.turns), Integrity())
            cells = [
                total.gaps,
                total.duplicates,
                total.reorders,
                total.disconnects,
                total.short,
                total.refused,
                total.errors,
            ]
            rows.append(f"| {run.target.label} | {name} | {' | '.join(map(str, cells))} |")
    return "\n".join(rows)


def integrity_of(turn: Turn, name: str) -> Integrity:
    if name == "idle connections":
        return turn.connections.integrity if turn.connections else Integrity()
    return turn.classrooms.integrity if name == "classrooms" else turn.lecture.integrity


def step_line(step: Step) -> str:
    verdict = "ok" if step.ok else "FAIL"
    lost = "" if step.delivered == step.expected else f", {step.expected - step.delivered:,} late"
    return (
        f"{step.rate:g}/s/room: {step.per_second:,.0f} delivered/s, p50 {step.p50 * 1000:.1f} "
        f"p99 {step.p99 * 1000:.1f} ms, CPU server {step.server_cpu:.0%} client "
        f"{step.client_cpu:.0%}{lost} {verdict}"
    )


def details(runs: list[Runs]) -> str:
    lines = []
    for run in runs:
        for n, t in enumerate(run.turns, 1):
            c, idle = t.connections, ""
            if c:
                idle = (
                    f": {c.opened:,} connections in {c.seconds:.2f} s, RSS "
                    f"{c.rss_before_kib / 1024:.1f} -> {c.rss_after_kib / 1024:.1f} MiB"
                    + (f" (first refusal: {c.first_refusal})" if c.first_refusal else "")
                )
            lines.append(
                f"- {run.target.label}, round {n} (exit {t.exit_status}, load "
                f"{t.load[0]:.1f} -> {t.load[1]:.1f}){idle}"
            )
            for name, s in (("classrooms", t.classrooms), ("lecture", t.lecture)):
                joined = f"{s.joined:,} of {s.rooms * s.size:,} joined"
                lines.append(f"  - {name} ({joined}):")
                if s.fixed:
                    lines.append(f"    - fixed {step_line(s.fixed)}")
                lines += [f"    - {step_line(x)}" for x in s.steps]
        errors = run.target.errors()
        if errors:
            lines.append(f"- {run.target.label} logged {len(errors)} warnings or errors, first:")
            lines += [f"  - `{e[:200]}`" for e in errors[:3]]
    return "\n".join(lines)


# --- the command --------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--rounds", type=int, help="turns of each server (2; quick 1)")
    parser.add_argument("--rooms", type=int, help="classrooms (20; quick 3)")
    parser.add_argument("--size", type=int, help="members per classroom (30; quick 8)")
    parser.add_argument("--lecture", type=int, help="members of the lecture (300; quick 30)")
    parser.add_argument("--idle", type=int, help="idle connections (2000; quick 100)")
    parser.add_argument(
        "--idle-rounds", type=int, default=1, help="rounds that open the idle connections"
    )
    parser.add_argument("--step-seconds", type=float, help="sending time of a step (3; quick 1)")
    parser.add_argument("--max-steps", type=int, help="steps of a ramp at most (9; quick 4)")
    parser.add_argument("--fixed-rate", type=float, default=2.0, help="msgs/s per room")
    parser.add_argument("--fixed-seconds", type=float, help="(6; quick 2)")
    parser.add_argument("--classroom-start", type=float, default=1.0, help="msgs/s per room")
    parser.add_argument("--lecture-start", type=float, default=4.0, help="msgs/s")
    parser.add_argument("--concurrency", type=int, default=50, help="connections opening")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--postgres", metavar="URL", help="a fresh database on this server")
    parser.add_argument("--redis", metavar="URL", help="Passerelle's broker (memory://)")
    args = parser.parse_args()
    defaults = {
        "rounds": (2, 1),
        "rooms": (20, 3),
        "size": (30, 8),
        "lecture": (300, 30),
        "idle": (2000, 100),
        "step_seconds": (3.0, 1.0),
        "max_steps": (9, 4),
        "fixed_seconds": (6.0, 2.0),
    }
    for name, (full, quick) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    return args


def main() -> None:
    args = arguments()
    workdir = Path(tempfile.mkdtemp(prefix="passerelle-rooms-"))
    broker = args.redis or "memory://"
    prefix = f"bench-rooms-{secrets.token_hex(4)}:"
    ok = False
    try:
        with contextlib.ExitStack() as stack:
            database = stack.enter_context(fresh_postgres(args.postgres)) if args.postgres else None
            say("seeding Passerelle's rooms through its API")
            sizes = [args.size] * args.rooms + [args.lecture]
            server, rooms = seeded(workdir, sizes, database_url=database, broker_url=broker)
            where = "PostgreSQL + Redis" if args.postgres else "SQLite + memory broker"
            ours = Passerelle(server, rooms, f"Passerelle ({where})")
            ours.env["PASSERELLE_BROKER_KEY_PREFIX"] = prefix
            targets: list[Target] = [Peer("bare", workdir), Peer("socketio", workdir), ours]
            waited, began = cpu_waiting_seconds(), time.monotonic()
            runs = asyncio.run(measure(targets, args))
            waited = (cpu_waiting_seconds() - waited) / (time.monotonic() - began)
        print(
            f"\n### Live rooms: {args.rooms} x {args.size}, 1 x {args.lecture}, "
            f"{args.idle:,} idle ({args.rounds} rounds, medians)\n"
        )
        print(
            f"Measured in {time.monotonic() - STARTED:.0f} s; some task waited for a CPU "
            f"{waited:.0%} of the time (/proc/pressure/cpu).\n"
        )
        print(f"{main_table(runs, args)}\n\nIntegrity (all rounds):\n\n{integrity_table(runs)}")
        print(f"\nEvery turn:\n\n{details(runs)}")
        ok = True
    finally:
        if args.redis:
            forget_keys(args.redis, prefix)
        if args.keep or not ok:
            print(f"<!-- server logs and database kept in {workdir} -->")
        else:
            shutil.rmtree(workdir)


def forget_keys(url: str, prefix: str) -> None:
    """Drop the broker keys of this run (its own prefix)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
    finally:
        client.close()


if __name__ == "__main__":
    main()
