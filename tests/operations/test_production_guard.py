"""Production refuses unsafe combinations at start-up, each named: wildcard or plain-http
origins (local ones excepted), several workers on SQLite or on the memory broker, a short
metrics token, webhooks allowed to reach private addresses. Development starts with any
of them."""

from __future__ import annotations

import pytest

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
