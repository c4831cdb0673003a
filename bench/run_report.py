"""What `bench.responsiveness` measured during one run, and its markdown tables."""

from __future__ import annotations

import json
import math
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.api_seed import World
from bench.latency import Series
from bench.server_process import Server, machine_busy_seconds

MACHINE = "all processes"
PATH = re.compile(r"(?<![\w.])/(?:[\w.-]+/)+(?=[\w.-]+\.py\b)")  # a source file's folders


@dataclass
class RunReport:
    status: str = ""
    error: str | None = None
    post_seconds: float = math.nan
    observed: dict[str, float] = field(default_factory=dict)  # status -> first seen (s)
    started: float = math.nan  # the server's started_at, in seconds since the phase began
    finished: float = math.nan  # its finished_at: the worker returned, storing begins
    polls: Series = field(default_factory=Series)
    last_poll: float = math.nan
    last_poll_bytes: int = 0
    proposals: int = 0
    unmatched: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_wall: float = math.nan  # seconds between the two CPU readings

    @property
    def stages(self) -> dict[str, tuple[float, float]]:
        """Stages of the run, as (from, to) seconds since the phase began: before the
        server's `started_at`; from it to `finished_at` (loading the pool, then the worker
        process); from `finished_at` until the poller saw `done` (storing the proposals)."""
        end = self.observed.get(self.status, math.inf)
        return {
            "queued": (0.0, self.started),
            "loading, then solving in the worker": (self.started, self.finished),
            "storing": (self.finished, end),
        }


@dataclass
class Result:
    idle: dict[str, Series]
    during: dict[str, Series]
    report: RunReport
    world: World
    load: list[str]


def cpu_totals() -> dict[str, float]:
    """CPU seconds of this process (the benchmark's client) and of the whole machine."""
    busy = machine_busy_seconds()
    return {"benchmark client": time.process_time()} | ({} if busy is None else {MACHINE: busy})


def ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:,.1f} ms"


def ratio(during: float, idle: float) -> str:
    return "—" if math.isnan(during) or math.isnan(idle) or not idle else f"{during / idle:.1f}x"


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main_table(result: Result) -> str:
    header = ["probe", "phase", "samples", "errors", "p50", "p95", "p99", "max"]
    header += ["p50 during / idle", "p99 during / idle", "slowest 3 during the run (at)"]
    lines = [row(header), "|---|---|" + "---:|" * (len(header) - 2)]
    polls = {"GET /api/v1/matching/runs/{id} (admin, polling)": (Series(), result.report.polls)}
    rows = {name: (result.idle[name], result.during[name]) for name in result.idle} | polls
    for name, (before, while_) in rows.items():
        for phase, s in (("idle", before), ("during the run", while_)):
            if not s.samples and not s.errors:
                continue
            cells = [name, phase, f"{len(s.samples)}", f"{len(s.errors)}"]
            cells += [ms(s.percentile(q)) for q in (0.5, 0.95, 0.99)] + [ms(s.worst()[1])]
            if phase == "idle":
                cells += ["", "", ""]
            else:
                cells.append(ratio(s.percentile(0.5), before.percentile(0.5)))
                cells.append(ratio(s.percentile(0.99), before.percentile(0.99)))
                slowest = sorted(s.samples, key=lambda x: -x[1])[:3]
                cells.append(", ".join(f"{ms(x)} ({at:.1f} s)" for at, x in slowest))
            lines.append(row(cells))
    return "\n".join(lines)


def stage_table(result: Result) -> str:
    """p50 / p99 / max of each probe in each stage of the run; a sample belongs to the stage
    in which its answer arrived."""
    stages = result.report.stages
    header = ["probe"] + [f"{k} ({max(0.0, b - a):.0f} s)" for k, (a, b) in stages.items()]
    lines = [row(header), "|---|" + "---:|" * len(stages)]
    for name, series in result.during.items():
        cells = [name]
        for low, high in stages.values():
            part = Series([x for x in series.samples if low <= x[0] + x[1] < high])
            cells.append(
                f"{len(part.samples)}: {ms(part.percentile(0.5))} / "
                f"{ms(part.percentile(0.99))} / {ms(part.worst()[1])}"
                if part.samples
                else "—"
            )
        lines.append(row(cells))
    return "\n".join(lines)


def summary(result: Result, server: Server) -> str:
    report, world = result.report, result.world
    seen = ", ".join(f"{k} at {v:.1f} s" for k, v in report.observed.items())
    cpu = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(report.cpu.items()) if k != MACHINE)
    if MACHINE in report.cpu:
        known = sum(v for k, v in report.cpu.items() if k != MACHINE)
        cores = os.cpu_count() or 1
        wall = report.cpu_wall
        cpu += (
            f"; all processes {report.cpu[MACHINE]:.1f} s of {cores * wall:.0f} s"
            f" ({cores} cores x {wall:.1f} s), of which"
            f" {max(0.0, report.cpu[MACHINE] - known):.1f} s outside this benchmark"
        )
    seeding = ", ".join(f"{k} {v:.1f} s" for k, v in world.seconds.items())
    errors = server.logged_errors()
    lines = [
        f"- classes: {world.classes:,} (seeded through the API: {seeding})",
        f"- run: **{report.status}**{f' ({report.error})' if report.error else ''}, "
        f"{report.proposals:,} proposals, {report.unmatched:,} unmatched",
        f"- run duration as the server recorded it (started_at to finished_at): "
        f"{report.finished - report.started:.1f} s; seen by the poller: {seen}",
        f"- POST /api/v1/matching/runs answered in {ms(report.post_seconds)}; "
        f"the last poll (the finished run with its proposals, "
        f"{report.last_poll_bytes / 1024:,.0f} KiB) in {ms(report.last_poll)}",
        f"- CPU time used during the run: {cpu or 'not measured (no /proc)'}",
        f"- load average (1 min) before the idle phase / after the run: {' / '.join(result.load)}",
        f"- errors and warnings in the server log: {len(errors)}",
    ]
    lines += [f"    - `{describe(line)}`" for line in errors[:10]]
    for phase, named in (("idle", result.idle), ("during the run", result.during)):
        for name, series in named.items():
            for error, count in Counter(series.errors).items():
                lines.append(f"- {name}, {phase}: {count} x `{error}`")
    return "\n".join(lines)


def describe(line: str) -> str:
    """A server log line in short: for a JSON record its time, logger, message and the
    exception's last line; never a folder of this machine."""
    try:
        record = json.loads(line)
    except ValueError:
        return PATH.sub("", line)[:300]
    text = f"{record.get('time', '')[11:23]} {record.get('logger')}: {record.get('message')}"
    causes = [x for x in str(record.get("exception", "")).splitlines() if "Error: " in x]
    if causes:
        text += f" ({causes[-1].strip()})"
    return PATH.sub("", text)[:300]
