"""What the lifespan owns for the life of the process."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from app.accounts.auth import LoginGuard, TokenIssuer
from app.core.clock import Clock, system_clock
from app.core.limits import Limiter, MemoryLimiter
from app.core.metrics import Metrics
from app.core.security.tokens import KeyRing
from app.core.settings import Settings
from app.hosting.runner import HostMatchingRunner
from app.matching.runner import MatchingRunner
from app.realtime.broker import Broker
from app.realtime.hub import Hub


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    db_factory: async_sessionmaker[AsyncSession]
    broker: Broker
    keys: KeyRing
    clock: Clock = system_clock
    metrics: Metrics = field(default_factory=Metrics)
    login_guard: LoginGuard = field(init=False)
    limiter: Limiter = field(default_factory=MemoryLimiter)
    matching: MatchingRunner = field(init=False)
    hosting: HostMatchingRunner = field(init=False)
    hub: Hub = field(init=False)
    tokens: TokenIssuer = field(init=False)

    def __post_init__(self) -> None:
        self.matching = MatchingRunner(
            self.db_factory,
            budget_s=self.settings.matching_time_budget_s,
            heartbeat_s=self.settings.matching_heartbeat_seconds,
            metrics=self.metrics,
        )
        self.hosting = HostMatchingRunner(
            self.db_factory,
            budget_s=self.settings.matching_time_budget_s,
            heartbeat_s=self.settings.matching_heartbeat_seconds,
            metrics=self.metrics,
        )
        self.login_guard = LoginGuard(
            self.limiter,
            self.settings.login_failure_window_seconds,
            max_verifying=self.settings.login_max_concurrent_verifications,
        )
        self.tokens = TokenIssuer(self.keys, self.settings)
        self.hub = Hub(
            settings=self.settings,
            db_factory=self.db_factory,
            broker=self.broker,
            keys=self.keys,
            clock=self.clock,
            metrics=self.metrics,
        )
