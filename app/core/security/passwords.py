"""Argon2 password hashing, run off the event loop (hashing is deliberately slow).

The cost is set once at start-up from settings (`configure`); stored hashes carry their own
parameters, so changing the cost never locks anyone out.
"""

from __future__ import annotations

import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
_dummy_hash: str | None = None


def configure(*, time_cost: int, memory_kib: int) -> None:
    global _hasher, _dummy_hash
    _hasher = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib),))
    _dummy_hash = None


def _dummy() -> str:
    # Verified against when the account does not exist, so a wrong e-mail costs as much time
    # as a wrong password and timing does not reveal which accounts exist.
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("passerelle-timing-equaliser")
    return _dummy_hash


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    def check() -> bool:
        return _hasher.verify(password, password_hash or _dummy())

    ok = await anyio.to_thread.run_sync(check)
    return bool(ok) and password_hash is not None
