"""Each test starts with no abuse-limit counts: in memory they die with the app's lifespan; in
a test Redis they are deleted (this run's keys only)."""

from __future__ import annotations

from redis.asyncio import Redis

from app.core.settings import Settings


async def forget_limits(settings: Settings) -> None:
    if not settings.broker_url.startswith("redis"):
        return
    client: Redis = Redis.from_url(settings.broker_url)
    try:
        keys = [k async for k in client.scan_iter(match=f"{settings.broker_key_prefix}limit:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
