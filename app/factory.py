"""`create_app()`: the application, its lifespan, middleware and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app import error_handlers
from app.accounts.auth import ensure_admin
from app.background import Background, background_for
from app.context import AppContext
from app.core.clock import Clock, system_clock
from app.core.db import create_engine, session_factory, unit_of_work
from app.core.limits import make_limiter
from app.core.logs import configure_logging
from app.core.metrics import Metrics
from app.core.security import passwords
from app.core.security.tokens import KeyRing
from app.core.settings import Settings, get_settings, resolve_secret
from app.http_metrics import MetricsMiddleware
from app.middleware import (
    BodyLimitMiddleware,
    CORSMiddleware,
    PublicOriginMiddleware,
    RequestContextMiddleware,
)
from app.nul_guard import NulGuardMiddleware
from app.realtime.broker import Retention, make_broker
from app.request_timeout import RequestTimeoutMiddleware
from app.routers import api_docs, openapi
from app.routers.api import API_PREFIX, include_routers
from app.routers.query_check import reject_unknown_query

log = logging.getLogger("passerelle")


def observe_state(metrics: Metrics, ctx: AppContext, background: Background) -> None:
    """The gauges read when `/metrics` is scraped: this process's rooms, connections and
    background loops."""
    metrics.read_at_scrape(
        "passerelle_rooms_open",
        "Rooms with a connection in this process",
        (),
        lambda: [((), float(len(ctx.hub.rooms)))],
    )
    metrics.read_at_scrape(
        "passerelle_ws_connections",
        "Room WebSockets open in this process",
        (),
        lambda: [((), float(ctx.hub.connection_count))],
    )
    metrics.read_at_scrape(
        "passerelle_background_loop_restarts",
        "Times a background loop's task died and was restarted",
        ("loop",),
        lambda: [((loop.name,), float(loop.restarts)) for loop in background.loops],
    )


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock) -> FastAPI:
    """The application; `clock` is the time live rooms and attendance read (tests move it)."""
    settings = resolve_secret(settings) if settings is not None else get_settings()
    configure_logging(json_lines=settings.log_json)
    passwords.configure(
        time_cost=settings.password_hash_time_cost, memory_kib=settings.password_hash_memory_kib
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(
            settings.database_url, connect_timeout_s=settings.database_connect_timeout_s
        )
        broker = make_broker(
            settings.broker_url,
            prefix=settings.broker_key_prefix,
            retention=Retention(settings.ws_history_events, settings.ws_history_seconds),
        )
        ctx = AppContext(
            settings=settings,
            engine=engine,
            db_factory=session_factory(engine),
            broker=broker,
            keys=KeyRing.from_secrets(
                settings.signing_keys(),
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
            ),
            clock=clock,
            metrics=metrics,
            limiter=make_limiter(settings.broker_url, prefix=f"{settings.broker_key_prefix}limit:"),
        )
        app.state.ctx = ctx
        background = background_for(ctx)
        app.state.background = background
        observe_state(metrics, ctx, background)
        try:
            if settings.admin_email and settings.admin_password:
                async with unit_of_work(ctx.db_factory) as db:
                    if await ensure_admin(
                        db, email=settings.admin_email, password=settings.admin_password
                    ):
                        log.info("bootstrap admin created", extra={"email": settings.admin_email})
            await background.start()
            await ctx.hub.start()
            yield
        finally:
            await ctx.hub.stop()
            await background.stop()
            await broker.close()
            await ctx.limiter.close()
            await engine.dispose()

    metrics = Metrics()
    docs = not settings.is_production
    app = FastAPI(
        title="Passerelle",
        version="1.0.0",
        summary="Virtual exchange between vocational schools in Europe",
        lifespan=lifespan,
        dependencies=[Depends(reject_unknown_query)],
        docs_url=None,  # served from local assets by app/routers/api_docs.py
        redoc_url=None,
    )
    error_handlers.install(app)
    app.add_middleware(RequestTimeoutMiddleware, seconds=settings.request_timeout_s)
    app.add_middleware(NulGuardMiddleware)  # inside the body limit: buffers bounded bodies
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.origins,
        allow_credentials=False,
        allow_methods=["*"],
        allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-ID"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=metrics, prefixes=("", API_PREFIX))
    if settings.public_base_url:  # inside the proxy headers: the configured origin wins
        app.add_middleware(PublicOriginMiddleware, base_url=settings.public_base_url)
    # outermost: behind a trusted proxy, the scheme and client address are the proxy's report,
    # so URLs the API answers are https:// (and the room's wss://) when the client used HTTPS
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    include_routers(app)
    openapi.install(app)
    if docs:
        app.include_router(api_docs.router)
    return app
