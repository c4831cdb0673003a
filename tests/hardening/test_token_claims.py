"""Issue 18, finding 7: a token signed with the real key but whose `exp` or `iat` is not a
plain integer, or absurdly far ahead, is refused (401 `invalid_token`), like every other
hostile token of tests/accounts/test_tokens_hostile.py."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from httpx import AsyncClient

from tests.accounts.test_tokens_hostile import ME, Forge, assert_invalid_token, forge
from tests.factories import bearer

__all__ = ["forge"]


def _now() -> int:
    return int(time.time())


CASES: list[tuple[str, Callable[[Forge], str]]] = [
    ("exp-a-numeric-string", lambda f: f.sign(f.claims(exp=str(_now() + 300)))),
    ("exp-1e308", lambda f: f.sign(f.claims(exp=1e308))),
    ("exp-a-float", lambda f: f.sign(f.claims(exp=_now() + 300.5))),
    ("exp-true", lambda f: f.sign(f.claims(exp=True, iat=0))),
    ("exp-in-ten-years", lambda f: f.sign(f.claims(exp=_now() + 10 * 365 * 86400))),
    ("iat-a-numeric-string", lambda f: f.sign(f.claims(iat=str(_now())))),
    ("iat-a-float", lambda f: f.sign(f.claims(iat=_now() + 0.5))),
]


@pytest.mark.parametrize("build", [c[1] for c in CASES], ids=[c[0] for c in CASES])
async def test_a_token_with_an_absurd_lifetime_is_refused(
    client: AsyncClient, forge: Forge, build: Callable[[Forge], str]
) -> None:
    assert_invalid_token(await client.get(ME, headers=bearer(build(forge))))


async def test_the_longest_real_lifetime_is_accepted(client: AsyncClient, forge: Forge) -> None:
    token = forge.sign(forge.claims(exp=_now() + forge.settings.refresh_token_days * 86400))
    assert (await client.get(ME, headers=bearer(token))).status_code == 200
