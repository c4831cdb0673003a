"""Benchmark: is the API responsive during a large matching run? (see docs/benchmarks.md)

    python -m bench.responsiveness [--classes 3000] [--seed 1] [--samples 300]

Starts the real server (`python -m app.serve`) on a fresh migrated SQLite file in a temporary
folder, builds through its public API a network of `--classes` classes from `bench.generator`
(the seed of `bench.matching`) and one live room with a teacher and a learner on the real
`websockets` client, then measures four probes: `GET /healthz`, an authenticated
`GET /api/v1/exchanges/{id}` (the teacher's live exchange), a chat message from the teacher
until the learner receives it, and a `ping` until its `pong`. First idle (`--samples` each),
then, in the same run, while a matching run over the whole network (`group_size` 2) is queued
and running, polling it every half second until it is done. Prints markdown: the latencies
of each probe idle and during the run, the same by stage of the run (queued, loading and
solving in the worker, storing the proposals), and a summary (the run, CPU time per process,
errors in the server log).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from bench.api_seed import World, call, seed
from bench.generator import generate
from bench.latency import (
    Probe,
    RoomClient,
    Series,
    chat_round_trip,
    ping_pong,
    probe_loop,
)
from bench.run_report import Result, RunReport, cpu_totals, main_table, stage_table, summary
from bench.server_process import ORIGIN, Server, fresh_postgres, start_server

# probe name -> period in seconds (the chat and the ping stay under the room's 5 commands/s)
PERIODS = {
    "GET /healthz": 0.1,
    "GET /api/v1/exchanges/{id} (teacher)": 0.1,
    "live room: chat message, teacher to learner": 0.25,
    "live room: ping to pong": 0.25,
}
WARM_UP = 5
POLL_S = 0.5  # how often the run is polled; also the precision of the "storing" stage


def probes(
    http: httpx.AsyncClient, world: World, teacher: RoomClient, learner: RoomClient
) -> dict[str, Probe]:
    async def health() -> None:
        (await http.get("/healthz")).raise_for_status()

    async def exchange() -> None:
        path = f"/api/v1/exchanges/{world.exchange_id}"
        (await http.get(path, headers=world.teacher)).raise_for_status()

    names = list(PERIODS)
    return {
        names[0]: health,
        names[1]: exchange,
        names[2]: chat_round_trip(teacher, learner),
        names[3]: ping_pong(learner),
    }


async def idle_phase(checks: dict[str, Probe], samples: int) -> dict[str, Series]:
    never = asyncio.Event()
    for probe in checks.values():
        for _ in range(WARM_UP):
            await probe()
    series = {name: Series() for name in checks}
    origin = time.perf_counter()
    await asyncio.gather(
        *(
            probe_loop(checks[n], PERIODS[n], series[n], origin, never, target=samples)
            for n in checks
        )
    )
    return series


async def run_phase(
    http: httpx.AsyncClient, server: Server, world: World, checks: dict[str, Probe]
) -> tuple[dict[str, Series], RunReport]:
    series = {name: Series() for name in checks}
    report = RunReport()
    stop = asyncio.Event()
    origin, origin_wall = time.perf_counter(), time.time()
    loops = [
        asyncio.create_task(probe_loop(checks[n], PERIODS[n], series[n], origin, stop))
        for n in checks
    ]
    cpu_before, cpu_began = server.cpu_seconds() | cpu_totals(), time.perf_counter()
    body = {"network_id": world.network_id, "group_size": 2}
    began = time.perf_counter()
    run = await call(http, "POST", "/api/v1/matching/runs", world.admin, 202, body)
    report.post_seconds = time.perf_counter() - began
    report.observed[run["status"]] = time.perf_counter() - origin
    while run["status"] not in ("done", "failed"):
        await asyncio.sleep(POLL_S)
        began = time.perf_counter()
        response = await http.get(f"/api/v1/matching/runs/{run['id']}", headers=world.admin)
        spent = time.perf_counter() - began
        response.raise_for_status()
        run, report.last_poll_bytes = response.json(), len(response.content)
        report.polls.samples.append((began - origin, spent))
        report.observed.setdefault(run["status"], time.perf_counter() - origin)
    report.last_poll = report.polls.samples[-1][1] if report.polls.samples else math.nan
    stop.set()
    await asyncio.gather(*loops)
    cpu_after = server.cpu_seconds() | cpu_totals()
    report.cpu_wall = time.perf_counter() - cpu_began
    report.cpu = {k: v - cpu_before.get(k, 0.0) for k, v in cpu_after.items()}
    report.status, report.error = run["status"], run["error"]
    report.proposals, report.unmatched = len(run["proposals"]), len(run["unmatched"])
    for name in ("started", "finished"):
        if run[f"{name}_at"]:
            at = datetime.fromisoformat(run[f"{name}_at"]).timestamp() - origin_wall
            setattr(report, name, at)
    return series, report


async def measure(server: Server, args: argparse.Namespace) -> Result:
    profiles = generate(args.classes, args.seed)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120.0) as http:
        world = await seed(http, server, profiles, args.concurrency)
        rooms = []
        for headers in (world.teacher, world.learner):
            path = f"/api/v1/sessions/{world.session_id}/tickets"
            ticket = (await call(http, "POST", path, headers, 201))["ticket"]
            rooms.append(await RoomClient.open(server.ws_url(world.session_id, ticket), ORIGIN))
        checks = probes(http, world, *rooms)
        load = [f"{os.getloadavg()[0]:.2f}"]
        idle = await idle_phase(checks, args.samples)
        during, report = await run_phase(http, server, world, checks)
        load.append(f"{os.getloadavg()[0]:.2f}")
        for room in rooms:
            await room.close()
    return Result(idle, during, report, world, load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--classes", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1, help="bench.generator seed")
    parser.add_argument("--samples", type=int, default=300, help="idle samples per probe")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight (seeding)")
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run on a fresh database created on this PostgreSQL server (dropped afterwards)",
    )
    parser.add_argument("--broker", default="memory://", help="e.g. redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(fresh_postgres(args.postgres)) if args.postgres else None
        run_once(args, database)


def run_once(args: argparse.Namespace, database: str | None) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="passerelle-responsiveness-"))
    try:
        server = start_server(workdir, database_url=database, broker_url=args.broker)
    except BaseException:
        print(f"<!-- server log and database kept in {workdir} -->")
        raise
    result: Result | None = None
    try:
        result = asyncio.run(measure(server, args))
    finally:
        code = server.stop()
        if result is not None:
            print(f"\n### {args.classes:,} classes, pairs (server exit status {code})\n")
            print(f"{main_table(result)}\n\nBy stage of the run (samples: p50 / p99 / max):\n")
            print(f"{stage_table(result)}\n\n{summary(result, server)}")
        if args.keep or result is None:
            print(f"<!-- server log and database kept in {workdir} -->")
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
