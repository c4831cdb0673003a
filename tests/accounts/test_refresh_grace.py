"""A phone app that refreshes twice at once (two tabs, a retry after a lost answer) is not
logged out: within the grace of a refresh token's first use, presenting it again gives another
new pair. After the grace, reuse is theft: the whole family is revoked."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from app.accounts.tables import RefreshToken
from tests.accounts.test_auth import error_of, refresh
from tests.factories import ADMIN_EMAIL, ADMIN_PASSWORD, login


async def test_two_refreshes_at_once_both_succeed(client: AsyncClient) -> None:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    answers = await asyncio.gather(*(refresh(client, pair["refresh_token"]) for _ in range(2)))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    tokens = {a.json()["refresh_token"] for a in answers}
    assert len(tokens) == 2
    for token in tokens:  # both descendants stay usable
        assert (await refresh(client, token)).status_code == 200


async def test_reuse_after_the_grace_revokes_the_family(
    client: AsyncClient, application: FastAPI
) -> None:
    pair = await login(client, ADMIN_EMAIL, ADMIN_PASSWORD)
    newer = (await refresh(client, pair["refresh_token"])).json()
    again = await refresh(client, pair["refresh_token"])  # a retry within the grace
    assert again.status_code == 200, again.text
    async with application.state.ctx.db_factory() as db:  # eleven seconds later
        for row in await db.scalars(select(RefreshToken)):
            if row.used_at is not None:
                row.used_at -= timedelta(seconds=11)
        await db.commit()
    stolen = await refresh(client, pair["refresh_token"])
    assert error_of(stolen, 401)["code"] == "refresh_token_reused"
    for token in (newer["refresh_token"], again.json()["refresh_token"]):
        assert error_of(await refresh(client, token), 401)["code"] == "invalid_refresh_token"
