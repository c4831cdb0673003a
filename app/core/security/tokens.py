"""JWTs: the one module that signs and checks them.

- HS256 only; the accepted algorithm list is fixed here, never read from a token.
- Required claims: `exp`, `iat`, `sub`, `aud`, `iss`, `typ` (and `jti` for refresh tokens).
- A key ring: every token names its key in the header (`kid`); the current key signs, the
  previous ones still verify, so a key can rotate without logging everyone out.
- Token kinds (`typ`) are never accepted for each other.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from jose import jwt
from jose.exceptions import JOSEError

ALGORITHM = "HS256"
CLOCK_SKEW_S = 30  # tolerated difference between our clocks for `iat`
TokenKind = Literal["access", "refresh", "ws_ticket"]
_REQUIRED = ("exp", "iat", "sub", "aud", "iss")
# No token we issue lives longer (refresh tokens: at most 90 days); a longer one is forged.
MAX_LIFETIME_S = 91 * 86400


class InvalidToken(Exception):
    """The token is malformed, forged, expired, of the wrong kind, or for someone else."""


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def token_digest(token: str) -> str:
    """What is stored for a token that must be looked up later (never the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, str]  # kid -> secret
    current_kid: str
    issuer: str
    audience: str

    @classmethod
    def from_secrets(cls, secrets: list[str], *, issuer: str, audience: str) -> KeyRing:
        if not secrets or not secrets[0]:
            raise ValueError("a key ring needs at least one key")
        keys = {key_id(s): s for s in secrets}
        return cls(keys=keys, current_kid=key_id(secrets[0]), issuer=issuer, audience=audience)

    def issue(
        self,
        *,
        kind: TokenKind,
        subject: str,
        now: datetime,
        lifetime: timedelta,
        extra: dict[str, Any] | None = None,
    ) -> str:
        claims: dict[str, Any] = {
            "sub": subject,
            "iat": int(now.timestamp()),
            "exp": int((now + lifetime).timestamp()),
            "iss": self.issuer,
            "aud": self.audience,
            "typ": kind,
            "jti": uuid.uuid4().hex,
            **(extra or {}),
        }
        return jwt.encode(
            claims,
            self.keys[self.current_kid],
            algorithm=ALGORITHM,
            headers={"kid": self.current_kid},
        )

    def verify(self, token: str, *, kind: TokenKind) -> dict[str, Any]:
        """The token's claims, or `InvalidToken`. The clock is the library's (exp, iat)."""
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise InvalidToken("malformed token") from exc
        if header.get("alg") != ALGORITHM:
            raise InvalidToken("unexpected algorithm")
        key = self.keys.get(str(header.get("kid")))
        if key is None:
            raise InvalidToken("unknown key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={f"require_{name}": True for name in _REQUIRED}
                | {"require_jti": True, "leeway": 0},
            )
        except JOSEError as exc:
            raise InvalidToken(str(exc)) from exc
        except (TypeError, ValueError, OverflowError) as exc:  # e.g. `"exp": [1]`, `1e999`
            raise InvalidToken("malformed claims") from exc
        exp, iat = claims["exp"], claims["iat"]
        if type(exp) is not int or type(iat) is not int:  # jose takes "123" and 1e308 as ints
            raise InvalidToken("exp and iat must be integers")
        if not 0 < exp - iat <= MAX_LIFETIME_S:
            raise InvalidToken("lifetime out of range")
        if iat > time.time() + CLOCK_SKEW_S:
            raise InvalidToken("issued in the future")
        if claims.get("typ") != kind:
            raise InvalidToken("wrong token kind")
        if not isinstance(claims.get("sub"), str):
            raise InvalidToken("malformed subject")
        return claims
