"""Hostile access tokens: each is refused on `GET /api/v1/users/me` with 401 in the error shape.

Every forged token is "a valid token with exactly one defect", built by the same `Forge`; the
control case (no defect) is accepted, so each 401 is caused by its defect, not by the builder.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from jose import jwt

from app.core.security.tokens import key_id
from app.core.settings import Settings
from tests.conftest import TEST_SECRET
from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, Api, bearer, login

ME = "/api/v1/users/me"
KID = key_id(TEST_SECRET)
OTHER_SECRET = "another-secret-key-that-is-long-enough-9876543210"
INVALID_TOKEN_MESSAGE = "The access token is invalid or expired."
DROP = object()  # a claim value meaning "leave this claim out"


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(segment: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


@dataclass(frozen=True)
class Forge:
    settings: Settings
    admin_id: str
    other_id: str
    refresh_token: str

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": self.admin_id,
            "iat": now,
            "exp": now + 300,
            "iss": self.settings.jwt_issuer,
            "aud": self.settings.jwt_audience,
            "typ": "access",
            "jti": uuid.uuid4().hex,
            "role": "admin",
        }
        for name, value in changes.items():
            if value is DROP:
                del claims[name]
            else:
                claims[name] = value
        return claims

    def sign(
        self,
        claims: dict[str, Any] | None = None,
        *,
        key: str = TEST_SECRET,
        algorithm: str = "HS256",
        kid: str | None = KID,
    ) -> str:
        headers = {"kid": kid} if kid is not None else None
        return jwt.encode(
            claims if claims is not None else self.claims(),
            key,
            algorithm=algorithm,
            headers=headers,
        )

    def unsigned(self, alg: str = "none") -> str:
        return f"{b64({'alg': alg, 'typ': 'JWT', 'kid': KID})}.{b64(self.claims())}."

    def header_swapped_to_none(self) -> str:
        """A genuine HS256 token whose header now says `alg: none` (signature kept)."""
        _header, payload, signature = self.sign().split(".")
        return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': KID})}.{payload}.{signature}"

    def tampered(self) -> str:
        """A genuine token for the admin, its payload rewritten to name another user."""
        header, payload, signature = self.sign().split(".")
        claims = unb64(payload) | {"sub": self.other_id}
        return f"{header}.{b64(claims)}.{signature}"


Case = Callable[[Forge], str]

HOSTILE: list[tuple[str, Case]] = [
    ("alg-none-unsigned", lambda f: f.unsigned()),
    ("alg-None-unsigned", lambda f: f.unsigned("None")),
    ("alg-none-header-on-a-signed-token", lambda f: f.header_swapped_to_none()),
    ("alg-HS512-right-key", lambda f: f.sign(algorithm="HS512")),
    ("alg-HS384-right-key", lambda f: f.sign(algorithm="HS384")),
    ("missing-exp", lambda f: f.sign(f.claims(exp=DROP))),
    ("expired", lambda f: f.sign(f.claims(iat=int(time.time()) - 600, exp=int(time.time()) - 5))),
    ("exp-not-a-number", lambda f: f.sign(f.claims(exp="tomorrow"))),
    ("exp-infinite", lambda f: f.sign(f.claims(exp=float("inf")))),
    ("iat-infinite", lambda f: f.sign(f.claims(iat=float("inf")))),
    ("iat-a-list", lambda f: f.sign(f.claims(iat=[1]))),
    ("issued-in-the-future", lambda f: f.sign(f.claims(iat=int(time.time()) + 3600))),
    ("missing-iat", lambda f: f.sign(f.claims(iat=DROP))),
    ("missing-sub", lambda f: f.sign(f.claims(sub=DROP))),
    ("sub-not-a-uuid", lambda f: f.sign(f.claims(sub="admin"))),
    ("sub-an-integer", lambda f: f.sign(f.claims(sub=1))),
    ("sub-unknown-user", lambda f: f.sign(f.claims(sub=str(uuid.uuid4())))),
    ("wrong-aud", lambda f: f.sign(f.claims(aud="someone-else"))),
    ("missing-aud", lambda f: f.sign(f.claims(aud=DROP))),
    ("aud-list-without-ours", lambda f: f.sign(f.claims(aud=["a", "b"]))),
    ("wrong-iss", lambda f: f.sign(f.claims(iss="https://evil.example"))),
    ("missing-iss", lambda f: f.sign(f.claims(iss=DROP))),
    ("typ-refresh", lambda f: f.sign(f.claims(typ="refresh"))),
    ("typ-ws_ticket", lambda f: f.sign(f.claims(typ="ws_ticket"))),
    ("missing-typ", lambda f: f.sign(f.claims(typ=DROP))),
    ("missing-jti", lambda f: f.sign(f.claims(jti=DROP))),
    ("real-refresh-token-from-login", lambda f: f.refresh_token),
    ("unknown-kid", lambda f: f.sign(kid="0123456789abcdef")),
    ("no-kid", lambda f: f.sign(kid=None)),
    ("kid-of-another-secret", lambda f: f.sign(kid=key_id(OTHER_SECRET))),
    ("other-secret-right-kid", lambda f: f.sign(key=OTHER_SECRET)),
    ("tampered-payload-sub", lambda f: f.tampered()),
    ("signature-stripped", lambda f: f.sign().rsplit(".", 1)[0] + "."),
    ("signature-truncated", lambda f: f.sign()[:-4]),
]

GARBAGE: list[tuple[str, str]] = [
    ("word", "garbage"),
    ("three-dots", "..."),
    ("two-dots", ".."),
    ("abc-segments", "a.b.c"),
    ("two-segments", "abc.def"),
    ("four-segments", "a.b.c.d"),
    ("not-base64", "!!!.???.***"),
    ("json-array-header", f"{b64(b'[]')}.{b64(b'{}')}.sig"),
    ("json-string-header", b64(b'"HS256"') + "." + b64(b"{}") + ".sig"),
    ("header-not-json", f"{b64(b'not json')}.{b64(b'{}')}.sig"),
    ("right-header-garbage-rest", f"{b64({'alg': 'HS256', 'kid': KID})}.garbage.garbage"),
    ("right-header-array-payload", f"{b64({'alg': 'HS256', 'kid': KID})}.{b64(b'[1]')}.sig"),
    ("kid-is-an-object", f"{b64({'alg': 'HS256', 'kid': {'a': 1}})}.{b64(b'{}')}.sig"),
    ("long", "a." * 4000 + "a"),
    ("spaces-inside", "abc def ghi"),
]


def assert_invalid_token(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json() == {
        "error": {"code": "invalid_token", "message": INVALID_TOKEN_MESSAGE, "details": None}
    }
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.fixture
async def forge(api: Api, client: AsyncClient, settings: Settings) -> Forge:
    other = await api.user("guardian", login_=False)
    tokens = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    return Forge(settings, api.admin.id, other.id, tokens["refresh_token"])


async def test_a_hand_built_token_is_accepted(client: AsyncClient, forge: Forge) -> None:
    """The control: the builder, without a defect, makes a token the API accepts."""
    response = await client.get(ME, headers=bearer(forge.sign()))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == forge.admin_id
    # and for the other user too, so the tampering case fails on the signature alone
    signed = forge.sign(forge.claims(sub=forge.other_id, role="guardian"))
    response = await client.get(ME, headers=bearer(signed))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == forge.other_id


@pytest.mark.parametrize("build", [c[1] for c in HOSTILE], ids=[c[0] for c in HOSTILE])
async def test_hostile_token_is_refused(client: AsyncClient, forge: Forge, build: Case) -> None:
    assert_invalid_token(await client.get(ME, headers=bearer(build(forge))))


@pytest.mark.parametrize("token", [c[1] for c in GARBAGE], ids=[c[0] for c in GARBAGE])
async def test_garbage_token_is_refused(client: AsyncClient, token: str) -> None:
    assert_invalid_token(await client.get(ME, headers=bearer(token)))


async def test_the_refresh_token_refused_as_access_token_is_itself_valid(
    client: AsyncClient, forge: Forge
) -> None:
    """So its refusal on /users/me is about its kind, not about a broken token."""
    response = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": forge.refresh_token}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer "}, {"Authorization": "Basic YWRtaW46YWRtaW4="}],
    ids=["no-header", "empty-bearer", "basic-scheme"],
)
async def test_missing_credentials_are_refused(
    client: AsyncClient, headers: dict[str, str]
) -> None:
    response = await client.get(ME, headers=headers)
    assert response.status_code == 401, response.text
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert isinstance(error["message"], str)
    assert error["message"]
    assert error["details"] is None
    assert response.headers["www-authenticate"] == "Bearer"
