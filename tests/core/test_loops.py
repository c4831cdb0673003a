"""Background loops: a failing step is logged and the loop goes on; a loop whose task dies is
logged and restarted; `stop()` lets a running step finish within its grace, then cancels it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from app.core.loops import Loop


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    for _ in range(int(within / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the condition did not hold in time")


async def test_a_step_that_raises_does_not_end_the_loop(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    async def step() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("first sweep fails")

    loop = Loop("flaky", step, interval=0.01)
    loop.start()
    await _until(lambda: calls >= 3)
    await loop.stop()
    assert loop.restarts == 0
    assert "background loop step failed" in caplog.text


async def test_a_loop_whose_task_dies_is_restarted(caplog: pytest.LogCaptureFixture) -> None:
    calls = 0

    async def step() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # a cancellation nobody asked for leaks out of the step
            raise asyncio.CancelledError

    loop = Loop("dying", step, interval=0.01)
    with caplog.at_level(logging.ERROR, logger="passerelle.loops"):
        loop.start()
        await _until(lambda: calls >= 4)
    assert loop.running
    await loop.stop()
    assert loop.restarts == 1
    assert not loop.running
    assert [r.message for r in caplog.records].count("background loop died; restarting") == 1


async def test_stop_lets_the_running_step_finish_within_its_grace() -> None:
    finished: list[str] = []
    entered = asyncio.Event()

    async def step() -> None:
        entered.set()
        await asyncio.sleep(0.05)
        finished.append("step")

    loop = Loop("patient", step, interval=10.0, grace=2.0)
    loop.start()
    await entered.wait()
    await loop.stop()
    assert finished == ["step"]
    assert loop.restarts == 0


async def test_stop_cancels_a_step_that_overruns_its_grace() -> None:
    entered = asyncio.Event()
    cancelled = asyncio.Event()

    async def step() -> None:
        entered.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    loop = Loop("stuck", step, interval=10.0, grace=0.05)
    loop.start()
    await entered.wait()
    await loop.stop()
    assert cancelled.is_set()
    assert loop.restarts == 0
    assert not loop.running
