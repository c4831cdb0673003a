"""The pure webhook rules: backoff and outcomes, which URLs and addresses may be called, the
event filter and the body."""

from __future__ import annotations

import ipaddress
import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from app.webhooks.rules import addresses, events, retry
from app.webhooks.rules.addresses import UrlRefused


def test_backoff_doubles_from_a_minute_and_is_capped() -> None:
    waits = [retry.backoff(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert all(later >= earlier for earlier, later in itertools.pairwise(waits))
    assert retry.backoff(40) == retry.BACKOFF_MAX == timedelta(hours=6)
    assert retry.backoff(0) == timedelta(minutes=1)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, "delivered"),
        (204, "delivered"),
        (299, "delivered"),
        (500, "retry"),
        (503, "retry"),
        (408, "retry"),
        (429, "retry"),
        (None, "retry"),
        (400, "failed"),
        (401, "failed"),
        (404, "failed"),
        (410, "failed"),
        (301, "failed"),
        (302, "failed"),
    ],
)
def test_outcome_of_an_answer(status: int | None, outcome: str) -> None:
    assert retry.outcome_of(status) == outcome


def test_a_retryable_failure_gives_up_after_the_last_attempt() -> None:
    assert retry.after_failure("retry", 1) == "retry"
    assert retry.after_failure("retry", retry.MAX_ATTEMPTS - 1) == "retry"
    assert retry.after_failure("retry", retry.MAX_ATTEMPTS) == "failed"
    assert retry.after_failure("failed", 1) == "failed"


def test_disable_after_the_limit() -> None:
    assert not retry.should_disable(4, 5)
    assert retry.should_disable(5, 5)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address refused, not bound)
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "64:ff9b::a00:1",
        "2002:a00:1::",
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert not addresses.is_public(ip)
    with pytest.raises(UrlRefused, match="non-public"):
        addresses.check_addresses([ipaddress.ip_address("93.184.215.14"), ip])


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.215.14"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert addresses.is_public(ip)
    assert addresses.check_addresses([ip]) == ip


def test_a_host_that_resolves_to_nothing_is_refused() -> None:
    with pytest.raises(UrlRefused, match="does not resolve"):
        addresses.check_addresses([])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example/x", "https"),
        ("ftp://hooks.example/x", "https"),
        ("https:///x", "no host"),
        ("https://user:pw@hooks.example/x", "user or password"),
        ("https://hooks.example:99999/x", "valid URL"),
        ("hooks.example/x", "https"),
    ],
)
def test_urls_refused_in_production(url: str, reason: str) -> None:
    with pytest.raises(UrlRefused, match=reason):
        addresses.parse_url(url, allow_private=False)


def test_parsing_a_url() -> None:
    target = addresses.parse_url("https://[::ffff:127.0.0.1]:8443/h", allow_private=False)
    assert (target.host, target.port) == ("::ffff:127.0.0.1", 8443)
    assert target.literal == ipaddress.ip_address("::ffff:127.0.0.1")
    plain = addresses.parse_url("http://localhost/h", allow_private=True)
    assert (plain.scheme, plain.port, plain.literal) == ("http", 80, None)


def test_the_filter_and_the_body() -> None:
    assert events.wants([], "session.ended")
    assert events.wants(["session.ended"], "session.ended")
    assert not events.wants(["session.ended"], "attendance.sealed")
    assert events.wants(["session.ended"], events.PING)
    at = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    body = json.loads(events.body("session.ended", at, {"session": {"id": "x"}}))
    assert body == {
        "type": "session.ended",
        "timestamp": "2027-03-01T09:30:00Z",
        "data": {"session": {"id": "x"}},
    }
