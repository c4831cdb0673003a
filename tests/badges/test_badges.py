"""A learner meets an exchange's criteria (12 contact hours in 3 sessions, one reflection) and
is issued an Open Badges 3.0 credential that an independent verifier accepts, offline, and
rejects when one byte changes."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.clock import ManualClock
from tests.badges.verifier import expand, verify
from tests.factories import Api
from tests.mobility.world import World, build

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
CRED = "https://www.w3.org/2018/credentials#"


async def attended_sessions(w: World, clock: ManualClock, count: int) -> list[dict[str, Any]]:
    """`count` four-hour sessions of the exchange, each attended in full by Léa."""
    sessions = []
    for day in range(1, count + 1):
        session = await w.ok(
            w.fr.teacher,
            "POST",
            f"/exchanges/{w.exchange_id}/sessions",
            {
                "title": f"Kitchen day {day}",
                "starts_at": (clock() + timedelta(days=day)).isoformat(),
                "duration_minutes": 240,
            },
        )
        await w.attend(session, minutes=240)
        sessions.append(session)
    return sessions


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


async def test_a_badge_verifies_offline_and_fails_when_one_byte_changes(
    api: Api, client: AsyncClient, application: FastAPI, clock: ManualClock
) -> None:
    w = await build(api, client, application, clock)
    sessions = await attended_sessions(w, clock, 3)
    clock.advance(timedelta(days=5))
    badges = await w.ok(w.lea, "GET", f"/learners/{w.lea.id}/badges")
    assert badges["total"] == 0  # hours and sessions, but no reflection yet

    reflected = await w.call(
        w.lea, "POST", f"/sessions/{sessions[0]['id']}/reflections",
        {"answers": {"learned": "Lunch is at noon, not at one."}},
    )  # fmt: skip
    assert reflected.status_code == 201, reflected.text
    badges = await w.ok(w.guardian, "GET", f"/learners/{w.lea.id}/badges")
    assert badges["total"] == 1
    [badge] = badges["items"]
    assert set(badge["achievement"]["criteria"]) == {"en", "fr", "it", "de", "es", "fi"}
    again = await w.ok(w.lea, "GET", f"/learners/{w.lea.id}/badges")
    assert [b["id"] for b in again["items"]] == [badge["id"]]  # issued once
    outsider = await w.call(w.it.teacher, "GET", f"/learners/{w.lea.id}/badges")
    assert outsider.status_code == 404

    # What a verifier needs is public and fetched once: the JWKS and the issuer profile.
    jwks = (await client.get("/.well-known/jwks.json")).json()
    assert [k["kty"] for k in jwks["keys"]] == ["EC"]
    assert all("d" not in k for k in jwks["keys"])
    profile = (await client.get(badge["issuer_id"].removeprefix("http://test"))).json()
    assert profile["type"] == ["Profile"]
    assert profile["publicKey"] == jwks["keys"][0]
    assert profile["address"]["addressCountryCode"] == "FR"

    # Offline: PyJWT checks the ES256 signature; the claims agree with the credential.
    token = badge["credential"]
    assert jwt.get_unverified_header(token)["alg"] == "ES256"
    claims = verify(token, jwks, clock())
    vc = claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == vc["issuer"]["id"] == badge["issuer_id"] == profile["id"]
    assert claims["sub"] == vc["credentialSubject"]["id"] == f"urn:uuid:{w.lea.id}"
    assert claims["jti"] == vc["id"] == f"urn:uuid:{badge['id']}"
    assert datetime.fromisoformat(vc["validFrom"]) <= clock()
    narrative = vc["credentialSubject"]["achievement"]["criteria"]["narrative"]
    for lang in ("en", "fr", "it", "de", "es", "fi"):
        assert f"**{lang}**" in narrative
    assert "12 contact hours, 3 sessions, 1 reflections" in vc["evidence"][0]["narrative"]

    # JSON-LD: every term of the credential is defined by the published contexts.
    [expanded] = expand(vc)
    assert f"{OB}OpenBadgeCredential" in expanded["@type"]
    subject = expanded[f"{CRED}credentialSubject"][0]
    achievement = subject[f"{OB}achievement"][0]
    assert achievement["@type"] == [f"{OB}Achievement"]
    criteria = achievement[f"{OB}Criteria"][0]
    assert criteria[f"{OB}narrative"][0]["@value"] == narrative
    assert expanded[f"{CRED}validFrom"][0]["@value"] == vc["validFrom"]
    assert expanded[f"{CRED}issuer"][0]["@id"] == claims["iss"]
    assert expanded[f"{CRED}evidence"][0]["@type"] == [f"{OB}Evidence"]

    # One byte changed, in the claims (re-encoded) or in the signature: rejected.
    header, payload, signature = token.split(".")
    forged = json.dumps(claims).replace('"12 contact hours', '"13 contact hours').encode()
    with pytest.raises(jwt.InvalidSignatureError):
        verify(f"{header}.{b64(forged)}.{signature}", jwks, clock())
    raw = bytearray(unb64(signature))
    raw[10] ^= 0x01
    with pytest.raises(jwt.InvalidSignatureError):
        verify(f"{header}.{payload}.{b64(bytes(raw))}", jwks, clock())
    raw_payload = bytearray(unb64(payload))
    raw_payload[40] ^= 0x01
    with pytest.raises(jwt.InvalidTokenError):
        verify(f"{header}.{b64(bytes(raw_payload))}.{signature}", jwks, clock())
