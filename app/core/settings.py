"""Settings read from `PASSERELLE_*` environment variables (and an optional `.env`)."""

from __future__ import annotations

import logging
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

MIN_SECRET_BYTES = 32
DEV_SECRET_FILE = Path(".passerelle-secret")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PASSERELLE_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite+aiosqlite:///./passerelle.db"
    broker_url: str = "memory://"
    secret_key: str = ""
    # Keys that verify tokens signed before a rotation (comma-separated); never used to sign.
    previous_secret_keys: str = ""
    # `GET /metrics` (Prometheus) answers only with `Authorization: Bearer <this>`; unset: off
    metrics_token: str = ""
    admin_email: str | None = None
    admin_password: str | None = None
    # `python -m app.serve --port N` makes the default follow N (see app/serve.py)
    allowed_origins: str = "http://localhost:8000,http://127.0.0.1:8000"
    # where a guardian's invitation link points, `{token}` replaced (a school's own frontend);
    # unset: this app's invitation page, /invite/{token}
    invite_link_url: str | None = Field(default=None, pattern=r"^https?://[^\s]*\{token\}[^\s]*$")
    # where clients reach this API (`https://host[:port]`, no path): every URL it answers (feeds,
    # tickets, invitations) is built under it instead of the request's Host header; unset: Host
    public_base_url: str | None = None
    # addresses of reverse proxies whose X-Forwarded-Proto/-For are believed ("*": any)
    forwarded_allow_ips: str = "127.0.0.1"
    smtp_url: str | None = None
    outbox_poll_seconds: float = Field(default=5.0, gt=0)  # e-mail outbox (docs/families.md)
    # Web Push (docs/clients.md): on only when all three are set. The private key as
    # base64url (the raw 32-byte P-256 scalar, or DER) or PEM; the public key as the
    # base64url uncompressed point browsers take as `applicationServerKey`; the subject a
    # `mailto:` or `https:` URL the push services can reach the operator at.
    vapid_private_key: str | None = None
    vapid_public_key: str | None = None
    vapid_subject: str | None = Field(default=None, pattern=r"^(mailto:|https://)\S+$")
    push_poll_seconds: float = Field(default=5.0, gt=0)  # the push sender's poll
    # Webhooks (docs/webhooks.md): the sender's poll, how long a partner system has to answer,
    # and after how many consecutive failed attempts a subscription is disabled. Allowing
    # private URLs (http, and hosts on private, loopback or link-local addresses) is for
    # development and tests only: production refuses it.
    webhook_poll_seconds: float = Field(default=5.0, gt=0)
    webhook_timeout_s: float = Field(default=5.0, gt=0, le=30)
    webhook_disable_after_failures: int = Field(default=15, ge=1, le=1000)
    webhook_allow_private_urls: bool = False

    jwt_issuer: str = "passerelle"
    jwt_audience: str = "passerelle-api"
    access_token_minutes: int = Field(default=15, ge=1, le=60)
    refresh_token_days: int = Field(default=14, ge=1, le=90)
    # a used refresh token presented again this soon is a client's race, not a theft
    refresh_reuse_grace_seconds: float = Field(default=10.0, ge=0, le=60)

    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_failure_window_seconds: int = Field(default=900, ge=1)
    # Argon2 verifications running at once in one process; a login beyond them answers 429
    login_max_concurrent_verifications: int = Field(default=4, ge=1)
    # Failed token refreshes and failed invitation acceptances (guardian, host) from one client
    # address in their window; exports (CSV reports, the mobility export, a user's data export)
    # one account may ask for in its window. 429 `rate_limited` beyond (docs/operations.md).
    refresh_max_failures_per_address: int = Field(default=30, ge=1)
    refresh_failure_window_seconds: int = Field(default=900, ge=1)
    invite_max_failures_per_address: int = Field(default=20, ge=1)
    invite_failure_window_seconds: int = Field(default=900, ge=1)
    export_max_per_account: int = Field(default=30, ge=1)
    export_window_seconds: int = Field(default=600, ge=1)

    # Argon2id cost; the defaults are argon2-cffi's (RFC 9106 "low memory" profile).
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=1024)

    matching_time_budget_s: float = Field(default=30.0, gt=0, le=600)
    # A running matching run's process writes a heartbeat this often; at start-up, runs left
    # queued or running with no heartbeat for `matching_stale_seconds` are failed.
    matching_heartbeat_seconds: float = Field(default=10.0, gt=0, le=300)
    matching_stale_seconds: float = Field(default=60.0, gt=0, le=3600)

    # Live rooms (docs/realtime.md). Broker keys are prefixed, so deployments can share a Redis.
    broker_key_prefix: str = Field(default="passerelle:", max_length=64)
    ws_ticket_seconds: int = Field(default=30, ge=5, le=300)
    # ticket requests one user may make for one session per minute (429 beyond)
    ws_tickets_per_minute: int = Field(default=20, ge=1)
    ws_room_opens_minutes_before: int = Field(default=15, ge=0, le=24 * 60)
    ws_room_grace_minutes: int = Field(default=15, ge=0, le=24 * 60)
    ws_max_frame_bytes: int = Field(default=64 * 1024, ge=1024, le=1024 * 1024)
    ws_chat_max_chars: int = Field(default=2000, ge=1, le=4000)
    ws_rate_per_second: float = Field(default=5.0, gt=0)
    ws_rate_burst: int = Field(default=20, ge=1)
    # a teacher's room controls (end, remove, mute, delete, poll, breakout, activity): own budget
    ws_control_rate_per_second: float = Field(default=2.0, gt=0)
    ws_control_burst: int = Field(default=10, ge=1)
    ws_rate_strikes: int = Field(default=20, ge=1)  # refused commands in the window -> 4008
    ws_rate_strike_window_s: float = Field(default=10.0, gt=0)
    ws_max_connections_per_user: int = Field(default=3, ge=1)
    ws_outbound_queue: int = Field(default=256, ge=2)  # frames waiting for one slow client
    ws_ping_interval_s: float = Field(default=20.0, gt=0)
    ws_ping_timeout_s: float = Field(default=20.0, gt=0)
    ws_close_timeout_s: float = Field(default=10.0, gt=0)
    ws_history_events: int = Field(default=1000, ge=1)
    ws_history_seconds: int = Field(default=600, ge=1)
    ws_presence_heartbeat_s: float = Field(default=20.0, gt=0)
    ws_presence_stale_s: float = Field(default=60.0, gt=0)
    ws_sweep_interval_s: float = Field(default=5.0, gt=0)

    # Attendance (issue: attendance from live presence): a learner online at least this share
    # of the session is present; late when first joined more than this many minutes after the
    # start; a participation certificate once this many contact hours in one exchange.
    attendance_present_share: float = Field(default=0.75, gt=0, le=1)
    attendance_late_after_minutes: int = Field(default=10, ge=0, le=600)
    certificate_min_hours: float = Field(default=10.0, gt=0, le=1000)
    # Open Badges (docs/activities.md): a badge once a learner reaches, in one exchange, these
    # contact hours, sessions attended and reflections. The signing key is a private P-256
    # JWK (JSON, ES256); development: generated into `.passerelle-badge-key.json`;
    # production: required.
    badge_min_hours: float = Field(default=10.0, gt=0, le=1000)
    badge_min_sessions: int = Field(default=3, ge=1, le=1000)
    badge_min_reflections: int = Field(default=1, ge=0, le=1000)
    badge_signing_key: str = ""
    # how often each process looks for ended sessions whose absences are to be announced
    absence_alerts_poll_seconds: float = Field(default=30.0, gt=0)
    # retention: chat (messages and room events) and presence details, in days after a
    # session's end; sealed attendance records stay
    retention_chat_days: int = Field(default=30, ge=1, le=3650)
    retention_presence_days: int = Field(default=90, ge=1, le=3650)
    retention_purge_seconds: float = Field(default=3600.0, gt=0)

    # Mobility (docs/mobility.md): a check-in unanswered this many hours after it fell due is
    # missed; how often each process sweeps (missed and due check-ins, overdue checklist
    # items); days after a mobility's end before its check-in notes, reflection and incident
    # descriptions are purged.
    checkin_grace_hours: float = Field(default=24.0, gt=0, le=24 * 14)
    mobility_sweep_seconds: float = Field(default=60.0, gt=0)
    retention_mobility_days: int = Field(default=365, ge=1, le=3650)

    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # an HTTP request whose answer has not started within this many seconds gets 503
    # `request_timeout` (its work is cancelled); a started answer (a CSV stream) is not cut
    request_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    # a database server that does not answer a new connection within this: 503
    # `database_unavailable` (PostgreSQL; SQLite is a file)
    database_connect_timeout_s: float = Field(default=2.0, gt=0, le=60)
    # how many server processes share this configuration (`python -m app.serve --workers`)
    workers: int = Field(default=1, ge=1, le=256)
    log_json: bool = True

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        return value

    @field_validator("public_base_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.rstrip("/")
        if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+", value):
            raise ValueError("give a scheme and host (and port) only, e.g. https://api.example")
        return value

    @property
    def origins(self) -> list[str]:
        return [o.strip() for o in self.allowed_origins.split(",") if o.strip()]

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    def signing_keys(self) -> list[str]:
        """The current key first, then keys that only verify."""
        previous = [k.strip() for k in self.previous_secret_keys.split(",") if k.strip()]
        return [self.secret_key, *previous]


MIN_METRICS_TOKEN = 24


class ConfigurationError(RuntimeError):
    """Start-up refuses a configuration that is unsafe or unusable."""


def _is_local(origin: str) -> bool:
    host = origin.removeprefix("http://").split(":", 1)[0]
    return host in ("localhost", "127.0.0.1", "[::1]")


def unsafe_in_production(settings: Settings) -> list[str]:
    """What a production configuration must not combine (empty: nothing)."""
    problems = []
    if any("*" in origin for origin in settings.origins):
        problems.append("PASSERELLE_ALLOWED_ORIGINS must list origins, not a wildcard")
    plain = [o for o in settings.origins if o.startswith("http://") and not _is_local(o)]
    if plain:
        problems.append(f"PASSERELLE_ALLOWED_ORIGINS must be https:// (or local): {plain}")
    several = settings.workers > 1
    if several and settings.database_url.startswith("sqlite"):
        problems.append("several workers need PostgreSQL, not SQLite (PASSERELLE_DATABASE_URL)")
    if several and settings.broker_url.startswith("memory"):
        problems.append("several workers need Redis to share the rooms (PASSERELLE_BROKER_URL)")
    if any(h.strip() == "*" for h in settings.forwarded_allow_ips.split(",")):
        problems.append(
            "PASSERELLE_FORWARDED_ALLOW_IPS must list the proxies' addresses or networks, not *: "
            "any client could then choose its address and escape the per-address limits"
        )
    if settings.metrics_token and len(settings.metrics_token) < MIN_METRICS_TOKEN:
        problems.append(f"PASSERELLE_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters")
    if settings.webhook_allow_private_urls:
        problems.append("PASSERELLE_WEBHOOK_ALLOW_PRIVATE_URLS lets webhooks reach private hosts")
    return problems


def check_production(settings: Settings) -> None:
    problems = unsafe_in_production(settings)
    if problems:
        raise ConfigurationError("unsafe production settings: " + "; ".join(problems))


def resolve_secret(settings: Settings) -> Settings:
    """Check the signing key; in development generate one and keep it in a local file."""
    key = settings.secret_key
    if settings.is_production:
        if len(key.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"PASSERELLE_SECRET_KEY must be set to at least {MIN_SECRET_BYTES} bytes "
                "in production"
            )
        check_production(settings)
        return settings
    if key:
        if len(key.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(
                f"PASSERELLE_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes"
            )
        return settings
    if DEV_SECRET_FILE.exists():
        key = DEV_SECRET_FILE.read_text().strip()
    if len(key.encode()) < MIN_SECRET_BYTES:
        key = secrets.token_urlsafe(48)
        DEV_SECRET_FILE.write_text(key)
        DEV_SECRET_FILE.chmod(0o600)
    log.warning("no PASSERELLE_SECRET_KEY set: using a development key kept in %s", DEV_SECRET_FILE)
    return settings.model_copy(update={"secret_key": key})


@lru_cache
def get_settings() -> Settings:
    return resolve_secret(Settings())
