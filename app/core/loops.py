"""One shape for every background loop: start, a step every interval, stop with a grace.

`stop()` lets the step that is running finish (at most `grace` seconds) before it cancels it:
a step cancelled in the middle of a database call leaves the driver's thread working for a
loop that may be gone (aiosqlite then fails in its thread). A step that raises is logged and
the loop goes on at the next interval, so one bad sweep never ends the loop. If the loop's task
dies all the same (a `CancelledError` leaking out of a step that nobody stopped, say), the death
is logged and a new task takes over after one interval: only `stop()` ends a loop.
`app.background` starts and stops every loop of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("passerelle.loops")


class Loop:
    def __init__(
        self,
        name: str,
        step: Callable[[], Awaitable[object]],
        *,
        interval: float,
        grace: float = 5.0,
        first_delay: float = 0.0,
    ) -> None:
        self.name = name
        self._step = step
        self._interval = interval
        self._grace = grace
        self._first_delay = first_delay
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.restarts = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._spawn(self._first_delay)

    def _spawn(self, delay: float) -> None:
        task = asyncio.create_task(self._run(delay), name=self.name)
        task.add_done_callback(self._ended)
        self._task = task

    def _ended(self, task: asyncio.Task[None]) -> None:
        """A loop's task ended: fine when stopped; otherwise it died, and is restarted."""
        if self._stopping.is_set() or task is not self._task:
            return
        error = None if task.cancelled() else task.exception()
        log.error(
            "background loop died; restarting",
            extra={"loop": self.name, "restarts": self.restarts + 1},
            exc_info=error,
        )
        self.restarts += 1
        if not task.get_loop().is_closed():
            self._spawn(self._interval)

    def wake(self) -> None:
        """Run the next step now instead of at the end of the interval."""
        self._wake.set()

    async def stop(self) -> None:
        self._stopping.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), self._grace)
        except TimeoutError:
            log.warning("background loop overran its grace; cancelled", extra={"loop": self.name})
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _pause(self, seconds: float) -> None:
        if seconds <= 0:
            return
        waiters = [
            asyncio.ensure_future(self._stopping.wait()),
            asyncio.ensure_future(self._wake.wait()),
        ]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        self._wake.clear()

    async def _run(self, delay: float) -> None:
        await self._pause(delay)
        while not self._stopping.is_set():
            try:
                await self._step()
            except Exception:
                log.exception("background loop step failed", extra={"loop": self.name})
            await self._pause(self._interval)
