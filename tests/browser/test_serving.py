"""The web client as the app serves it (no browser needed): pages, headers, assets, secret
paths kept out of logs, translations complete, and the client's calls all documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from httpx import AsyncClient

from app.middleware import loggable_path
from app.routers.web import WEB_DIR

PAGES = ["/", "/console", "/join/0b7d3c1e-0000-4000-8000-000000000000", "/family", "/invite/abc"]
LANGUAGES = ("en", "fr", "it", "de", "es", "fi")
SCRIPTS = sorted((WEB_DIR / "assets" / "js").glob("*.js"))


@pytest.mark.parametrize("path", PAGES)
async def test_each_page_is_served_with_a_strict_policy(client: AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text
    assert " style=" not in response.text


async def test_assets_are_served_locally(client: AsyncClient) -> None:
    page = (await client.get("/")).text
    assets = re.findall(r'(?:src|href)="(/[^"]+)"', page)
    assert assets, page
    for asset in assets:
        response = await client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["x-content-type-options"] == "nosniff"
    for script in SCRIPTS:
        text = script.read_text()
        assert not re.search(r"https?://", text), f"{script.name} loads something remote"
        response = await client.get(f"/assets/js/{script.name}")
        kind = response.headers["content-type"]
        assert kind.startswith(("text/javascript", "application/javascript"))


async def test_pages_are_not_api_operations(client: AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not any(p in paths for p in ("/", "/console", "/family", "/invite/{token}"))
    assert (await client.get("/api/v1/nothing-here")).status_code == 404


def test_the_invitation_token_never_reaches_the_logs() -> None:
    assert loggable_path("/invite/s3cr3t-token") == "/invite/***"
    assert loggable_path("/invite/") == "/invite/"


def _keys_used() -> set[str]:
    used: set[str] = set()
    for page in WEB_DIR.glob("*.html"):
        used |= set(re.findall(r'data-i18n(?:-[a-z-]+)?="([a-z0-9_.]+)"', page.read_text()))
    for script in SCRIPTS:
        used |= set(re.findall(r"\bt\('([a-z0-9_.]+)'", script.read_text()))
    return used


def test_every_language_holds_every_text() -> None:
    dictionaries = {
        code: json.loads((WEB_DIR / "assets" / "i18n" / f"{code}.json").read_text())
        for code in LANGUAGES
    }
    english = set(dictionaries["en"])
    assert _keys_used() <= english, _keys_used() - english
    for code, texts in dictionaries.items():
        assert set(texts) == english, (code, english ^ set(texts))
        for key, text in texts.items():
            wanted = set(re.findall(r"\{(\w+)\}", dictionaries["en"][key]))
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (code, key)


def _api_paths(source: str) -> set[str]:
    """`${API}/sessions/${id}/tickets` -> /api/v1/sessions/{x}/tickets (query strings off)."""
    found = set()
    for literal in re.findall(r"`\$\{API\}([^`]*)`", source):
        path = re.sub(r"\$\{[^}]*\}", "{x}", literal.split("?")[0].split("${query")[0])
        found.add("/api/v1" + path)
    return found


async def test_the_client_calls_only_documented_operations(client: AsyncClient) -> None:
    openapi = (await client.get("/openapi.json")).json()
    patterns = [
        re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(p)) + "$")
        for p in openapi["paths"]
    ]
    called = set().union(*(_api_paths(s.read_text()) for s in SCRIPTS))
    assert len(called) > 10
    undocumented = {p for p in called if not any(x.match(p) for x in patterns)}
    assert not undocumented, undocumented

    asyncapi = (await client.get("/asyncapi.json")).json()
    commands = {
        ref["$ref"].rsplit("/", 1)[1] for ref in asyncapi["operations"]["sendCommand"]["messages"]
    }
    sources = "\n".join(s.read_text() for s in SCRIPTS)
    sent = set(re.findall(r"(?:command|send)\('([a-z.]+)'", sources))
    sent |= set(re.findall(r"\{ type: '([a-z]+\.[a-z.]+|ping)'", sources))
    assert {"chat.send", "poll.vote", "session.end", "ping"} <= sent
    assert sent <= commands, sent - commands


def test_the_web_client_ships_in_the_package() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"web/*.html"' in pyproject
    assert '"web/assets/js/*.js"' in pyproject
