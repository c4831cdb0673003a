"""Notifications: the in-app feed through the API, and e-mail through a real local SMTP server
(aiosmtpd) — exactly once per recipient, also when the sender restarts mid-drain."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

import app.notifications.outbox
from app.core.settings import Settings
from app.factory import create_app
from app.notifications.outbox import OutboxSender, backoff, parse_smtp_url
from app.notifications.rules import Facts, language_for, render
from tests.factories import Actor, Api
from tests.family_world import (
    API,
    Exchange,
    error_code,
    exchange_between,
    guardian_of,
    learner,
    schedule,
    school,
)


class Sink:
    """What a local SMTP server received; it can answer slowly, or refuse."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Condition()
        self.begun = 0  # DATA commands received
        self.delay = 0.0
        self.refuse: list[str] = []  # replies for the next DATA commands, e.g. "451 later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.begun += 1
            self.lock.notify_all()
            refusal = self.refuse.pop(0) if self.refuse else None
        if self.delay:
            await asyncio.sleep(self.delay)
        if refusal:
            return refusal
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 OK"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def wait_begun(self, count: int, timeout: float = 10.0) -> bool:
        with self.lock:
            return self.lock.wait_for(lambda: self.begun >= count, timeout)

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.begun = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def sink() -> Iterator[tuple[Sink, str]]:
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, f"smtp://127.0.0.1:{port}?from=exchange@passerelle.example"
    finally:
        controller.stop()


@pytest.fixture
def settings(settings: Settings, sink: tuple[Sink, str]) -> Settings:
    # The lifespan's own sender polls once an hour here: each test drains explicitly.
    return settings.model_copy(update={"smtp_url": sink[1], "outbox_poll_seconds": 3600.0})


def sender(application: FastAPI, url: str) -> OutboxSender:
    """A fresh sender, as a new process would start one."""
    return OutboxSender(application.state.ctx.db_factory, parse_smtp_url(url))


async def feed(client: AsyncClient, actor: Actor, **params: Any) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/notifications", params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def franco_german(api: Api, client: AsyncClient) -> tuple[Exchange, dict[str, Actor]]:
    fr = await school(api, "FR", "Europe/Paris")
    de = await school(api, "DE", "Europe/Berlin")
    camille = await learner(api, fr, 16, display_name="Camille Durand")
    lena = await learner(api, de, 14, display_name="Lena Vogelsang")
    petra = await guardian_of(api, lena, display_name="Petra Vogelsang")
    exchange = await exchange_between(client, api, [fr, de], [[camille], [lena]])
    people = {
        "t_fr": fr.teacher,
        "t_de": de.teacher,
        "camille": camille,
        "lena": lena,
        "petra": petra,
    }
    return exchange, people


async def settle(application: FastAPI, sink: tuple[Sink, str]) -> None:
    """Send what is queued so far (the exchange's announcements) and forget it."""
    assert await sender(application, sink[1]).drain() == 3  # proposed x2, accepted x1
    sink[0].reset()


def next_week() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=7)


async def test_a_moved_session_is_emailed_once_per_recipient_across_a_restart(
    api: Api, client: AsyncClient, application: FastAPI, sink: tuple[Sink, str]
) -> None:
    smtp, url = sink
    exchange, people = await franco_german(api, client)
    await settle(application, sink)
    created = await schedule(client, exchange, next_week(), title="Menus of our regions")
    moved = await client.patch(
        f"{API}/sessions/{created['id']}",
        json={"starts_at": (next_week() + timedelta(hours=1)).isoformat()},
        headers=people["t_fr"].headers,
    )
    assert moved.status_code == 200, moved.text
    recipients = {people[k].email for k in ("t_de", "camille", "lena", "petra")}

    # The first sender stops (a deploy, a crash of the task) while a message is in flight.
    smtp.delay = 0.3
    first = asyncio.create_task(sender(application, url).drain())
    assert await asyncio.to_thread(smtp.wait_begun, 3)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    assert len(smtp.received()) == 3  # the message in flight was finished, then it stopped

    smtp.delay = 0.0
    assert await sender(application, url).drain() == 5
    assert await sender(application, url).drain() == 0

    mails = smtp.received()
    assert len(mails) == 8  # scheduled + moved, to four people (not the teacher who did it)
    per_recipient = Counter((str(m["To"]), str(m["Subject"]).split(":")[0]) for m in mails)
    assert set(per_recipient.values()) == {1}
    assert {to for to, _ in per_recipient} == recipients
    assert len({m["Message-ID"] for m in mails}) == 8
    by_address = {
        str(m["To"]): m
        for m in mails
        if str(m["Subject"]).startswith(("Sitzung verschoben", "Séance déplacée"))
    }
    assert set(by_address) == recipients
    # In the recipient's language, at the recipient's school's local time.
    starts = datetime.fromisoformat(moved.json()["starts_at"])
    berlin = starts.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%d %H:%M")
    paris = starts.astimezone(ZoneInfo("Europe/Paris")).strftime("%Y-%m-%d %H:%M")
    for address in (people["petra"].email, people["lena"].email, people["t_de"].email):
        mail = by_address[address]
        assert str(mail["Subject"]) == "Sitzung verschoben: Menus of our regions"
        assert f"{berlin} (Europe/Berlin)" in mail.get_content()
        assert mail["Content-Language"] == "de"
    camille_mail = by_address[people["camille"].email]
    assert str(camille_mail["Subject"]) == "Séance déplacée : Menus of our regions"
    assert f"{paris} (Europe/Paris)" in camille_mail.get_content()
    assert all(str(m["From"]) == "exchange@passerelle.example" for m in mails)
    # Nothing about anyone else: a guardian's e-mail names no learner.
    for mail in mails:
        for name in ("Camille Durand", "Lena Vogelsang", "Petra Vogelsang"):
            assert name not in mail.get_content()


async def test_failures_back_off_and_are_retried_once(
    api: Api,
    client: AsyncClient,
    application: FastAPI,
    sink: tuple[Sink, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    smtp, url = sink
    exchange, people = await franco_german(api, client)
    await settle(application, sink)
    created = await schedule(client, exchange, next_week())
    cancelled = await client.post(
        f"{API}/sessions/{created['id']}/cancel",
        json={"reason": "strike"},
        headers=people["t_de"].headers,
    )
    assert cancelled.status_code == 200
    # 4 scheduled (all but t_fr) + 4 cancelled (all but t_de): 8 e-mails to send.

    smtp.refuse = ["451 4.3.0 try again later"]
    assert await sender(application, url).drain() == 0  # a temporary failure: stop for now
    assert smtp.received() == []
    assert await sender(application, url).drain() == 7  # the others; the first waits
    assert await sender(application, url).drain() == 0  # its retry is not due yet
    later = datetime.now(UTC) + backoff(1) + timedelta(seconds=1)
    monkeypatch.setattr(app.notifications.outbox, "utcnow", lambda: later)
    assert await sender(application, url).drain() == 1  # retried once, sent once
    assert smtp.begun == 9
    pairs = Counter((str(m["To"]), str(m["Subject"])) for m in smtp.received())
    assert len(pairs) == 8
    assert set(pairs.values()) == {1}

    # A permanent refusal is never retried.
    monkeypatch.undo()
    await schedule(client, exchange, next_week() + timedelta(days=1), title="Second")
    smtp.refuse = ["550 5.1.1 no such mailbox"]
    assert await sender(application, url).drain() == 3
    much_later = datetime.now(UTC) + timedelta(days=1)
    monkeypatch.setattr(app.notifications.outbox, "utcnow", lambda: much_later)
    assert await sender(application, url).drain() == 0
    assert smtp.begun == 13
    assert len(smtp.received()) == 11
    cancel_mail = next(
        m
        for m in smtp.received()
        if str(m["To"]) == people["camille"].email and "annulée" in str(m["Subject"])
    )
    assert "Motif : strike" in cancel_mail.get_content()


async def test_the_in_app_feed(api: Api, client: AsyncClient) -> None:
    exchange, people = await franco_german(api, client)
    created = await schedule(client, exchange, next_week(), title="Kitchen tour")
    cancelled = await client.post(
        f"{API}/sessions/{created['id']}/cancel",
        json={"reason": "Grève"},
        headers=people["t_fr"].headers,
    )
    assert cancelled.status_code == 200

    petra = await feed(client, people["petra"])
    assert [(n["event"], n["language"], n["title"]) for n in petra] == [
        ("session.cancelled", "de", "Sitzung abgesagt: Kitchen tour"),
        ("session.scheduled", "de", "Neue Sitzung: Kitchen tour"),
    ]
    assert petra[1]["data"]["session_ids"] == [created["id"]]
    assert petra[0]["read_at"] is None
    camille = await feed(client, people["camille"])
    assert camille[0]["title"] == "Séance annulée : Kitchen tour"
    assert "Motif : Grève" in camille[0]["body"]
    # The teacher who scheduled and cancelled hears nothing of it; the partner teacher hears
    # of the exchange and the sessions.
    assert {n["event"] for n in await feed(client, people["t_fr"])} == {
        "exchange.proposed",
        "exchange.accepted",
    }
    partner = await feed(client, people["t_de"])
    assert [n["event"] for n in partner] == [
        "session.cancelled",
        "session.scheduled",
        "exchange.proposed",
    ]  # t_de accepted last: the acceptance was their own doing
    assert partner[2]["title"] == "Neue Partnerklassen vorgeschlagen"

    read = await client.post(
        f"{API}/notifications/{petra[0]['id']}/read", headers=people["petra"].headers
    )
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    again = await client.post(
        f"{API}/notifications/{petra[0]['id']}/read", headers=people["petra"].headers
    )
    assert again.json()["read_at"] == read.json()["read_at"]
    assert [n["id"] for n in await feed(client, people["petra"], unread=True)] == [petra[1]["id"]]
    assert [n["id"] for n in await feed(client, people["petra"], unread=False)] == [petra[0]["id"]]
    foreign = await client.post(
        f"{API}/notifications/{petra[0]['id']}/read", headers=people["lena"].headers
    )
    assert foreign.status_code == 404
    assert error_code(foreign) == "not_found"
    for item in petra:  # a guardian's feed names no other family or school's people
        assert "Camille" not in item["body"]
        assert people["camille"].email not in str(item)


async def test_the_background_sender_delivers(
    settings: Settings,
    sink: tuple[Sink, str],
    api: Api,
    client: AsyncClient,
    application: FastAPI,
) -> None:
    smtp, _ = sink
    exchange, _people = await franco_german(api, client)
    await settle(application, sink)
    # A second process of the same deployment, whose sender polls often.
    other = create_app(settings.model_copy(update={"outbox_poll_seconds": 0.05}))
    async with LifespanManager(other):
        transport = ASGITransport(app=other)
        async with AsyncClient(transport=transport, base_url="http://test") as other_client:
            await schedule(other_client, exchange, next_week())
            for _ in range(200):
                if len(smtp.received()) == 4:
                    break
                await asyncio.sleep(0.05)
    assert len(smtp.received()) == 4
    await asyncio.sleep(0.2)
    assert len(smtp.received()) == 4


def test_languages_and_fallbacks() -> None:
    assert [language_for(c) for c in ("FR", "IT", "DE", "AT", "ES", "FI", "PL", None)] == [
        "fr",
        "it",
        "de",
        "de",
        "es",
        "fi",
        "en",
        "en",
    ]
    facts = Facts(
        title="Menus",
        starts_at=datetime(2027, 3, 16, 10, tzinfo=ZoneInfo("Europe/Rome")),
        zone="Europe/Rome",
        count=6,
    )
    italian = render("session.scheduled", "it", facts)
    assert italian.subject == "Nuova sessione: Menus"
    assert "2027-03-16 10:00 (Europe/Rome) (la prima di 6)" in italian.body
    fallback = render("session.scheduled", "pl", facts)
    assert fallback.language == "en"
    assert fallback.subject == "New session: Menus"
    braces = render("session.rescheduled", "en", Facts(title="{when} {0}"))
    assert braces.subject == "Session moved: {when} {0}"


def test_smtp_urls_and_backoff() -> None:
    plain = parse_smtp_url("smtp://user%40x:p%3Ass@mail.example:2525")
    assert (plain.host, plain.port, plain.username, plain.password) == (
        "mail.example",
        2525,
        "user@x",
        "p:ss",
    )
    assert plain.implicit_tls is False
    assert plain.sender == "no-reply@mail.example"
    tls = parse_smtp_url("smtps://mail.example?from=team@school.example")
    assert (tls.port, tls.implicit_tls, tls.sender) == (465, True, "team@school.example")
    with pytest.raises(ValueError, match="smtp://"):
        parse_smtp_url("http://mail.example")
    assert [backoff(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
    ]
    assert backoff(40) == timedelta(hours=6)
