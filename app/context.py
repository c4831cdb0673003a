"""What the lifespan owns for the life of the process."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.clock import Clock, system_clock
from app.domain.rate_limit import FailureWindow
from app.realtime.broker import Broker
from app.realtime.hub import Hub
from app.security.tokens import KeyRing
from app.services.matching import MatchingRunner
from app.settings import Settings


@dataclass
class LoginGuard:
    """Failed logins per account and per client address (this process's view)."""

    by_account: FailureWindow
    by_address: FailureWindow


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: Broker
    keys: KeyRing
    clock: Clock = system_clock
    login_guard: LoginGuard = field(init=False)
    matching: MatchingRunner = field(init=False)
    hub: Hub = field(init=False)

    def __post_init__(self) -> None:
        self.matching = MatchingRunner(self.sessions, budget_s=self.settings.matching_time_budget_s)
        window = self.settings.login_failure_window_seconds
        self.login_guard = LoginGuard(FailureWindow(window), FailureWindow(window))
        self.hub = Hub(
            settings=self.settings,
            sessions=self.sessions,
            broker=self.broker,
            keys=self.keys,
            clock=self.clock,
        )
