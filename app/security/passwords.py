"""Argon2 password hashing, run off the event loop (hashing is deliberately slow)."""

from __future__ import annotations

import anyio.to_thread
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when the account does not exist, so a wrong e-mail costs as much time
# as a wrong password and timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("passerelle-timing-equaliser")


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    target = password_hash or _DUMMY_HASH
    ok = await anyio.to_thread.run_sync(_hasher.verify, password, target)
    return bool(ok) and password_hash is not None
