"""Production refuses unsafe combinations at start-up, each named: wildcard or plain-http
origins (local ones excepted), several workers on SQLite or on the memory broker, a short
metrics token, webhooks allowed to reach private addresses, a wildcard of trusted proxies.
Development starts with any of them. The interactive docs are never served in production: no
setting turns them on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from app.core.settings import ConfigurationError, Settings, resolve_secret, unsafe_in_production
from app.factory import create_app

SECRET = "a-production-secret-that-is-long-enough-0123456789"
SAFE: dict[str, object] = {
    "env": "production",
    "secret_key": SECRET,
    "database_url": "postgresql+asyncpg://passerelle@db/passerelle",
    "broker_url": "redis://redis:6379/0",
    "allowed_origins": "https://school.example,http://localhost:8000",
    "workers": 4,
    "metrics_token": "a-scraper-token-long-enough-000",
}


def production(**changes: object) -> Settings:
    return Settings.model_validate(SAFE | changes)


def test_a_safe_production_configuration_starts() -> None:
    assert unsafe_in_production(production()) == []
    assert resolve_secret(production()).workers == 4
    create_app(production())


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"allowed_origins": "*"}, "not a wildcard"),
        ({"allowed_origins": "https://*.example"}, "not a wildcard"),
        ({"allowed_origins": "http://school.example"}, "https://"),
        ({"database_url": "sqlite+aiosqlite:///./p.db"}, "need PostgreSQL"),
        ({"broker_url": "memory://"}, "need Redis"),
        ({"metrics_token": "short"}, "PASSERELLE_METRICS_TOKEN"),
        ({"webhook_allow_private_urls": True}, "PASSERELLE_WEBHOOK_ALLOW_PRIVATE_URLS"),
        ({"forwarded_allow_ips": "*"}, "PASSERELLE_FORWARDED_ALLOW_IPS"),
        ({"forwarded_allow_ips": "10.0.0.1, *"}, "PASSERELLE_FORWARDED_ALLOW_IPS"),
    ],
)
def test_each_unsafe_combination_is_refused_by_name(changes: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        create_app(production(**changes))


def test_one_worker_may_use_sqlite_and_the_memory_broker() -> None:
    single = production(
        workers=1, database_url="sqlite+aiosqlite:///./p.db", broker_url="memory://"
    )
    assert unsafe_in_production(single) == []


def test_development_starts_with_any_of_them() -> None:
    loose = production(env="development", allowed_origins="*", workers=3, broker_url="memory://")
    create_app(loose)


def test_trusted_proxies_may_be_listed_in_production() -> None:
    assert unsafe_in_production(production(forwarded_allow_ips="10.0.0.1,10.1.0.0/16")) == []


async def docs_statuses(settings: Settings) -> set[int]:
    """What `/docs` and `/redoc` answer (they need no database: no lifespan is run)."""
    transport = ASGITransport(app=create_app(settings))
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        return {(await http.get(path)).status_code for path in ("/docs", "/redoc")}


async def test_the_interactive_docs_are_off_in_production_whatever_the_settings() -> None:
    assert await docs_statuses(production(env="development")) == {200}
    assert await docs_statuses(production()) == {404}


@pytest.mark.parametrize("file", ["Dockerfile", "compose.yaml"])
def test_the_shipped_container_settings_pass_the_guard(file: str) -> None:
    text = (Path(__file__).resolve().parents[2] / file).read_text()
    found = re.search(r"PASSERELLE_FORWARDED_ALLOW_IPS[=:] *\"?([^\"\s]+)", text)
    assert found is not None
    assert unsafe_in_production(production(forwarded_allow_ips=found.group(1))) == []
