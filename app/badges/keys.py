"""The badge signing key: a P-256 key (ES256), its public JWK and the JWKS that verifies
every credential. The only code that touches the key; signing uses joserfc. (ES256 rather
than EdDSA: RFC 9864 deprecates the `EdDSA` algorithm name, and every VC-JWT verifier knows
ES256.)

`PASSERELLE_BADGE_SIGNING_KEY` holds the private key as a JWK (JSON). In development, when it
is unset, a key is generated once into `.passerelle-badge-key.json` (never committed); in
production it is required."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey

from app.core.settings import ConfigurationError, Settings

log = logging.getLogger(__name__)

DEV_KEY_FILE = Path(".passerelle-badge-key.json")
ALGORITHM = "ES256"


@dataclass(frozen=True)
class BadgeKey:
    private: ECKey
    kid: str

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk = dict(self.private.as_dict(private=False))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk]}

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS (VC-JWT) over `claims`, header `alg` ES256, `typ` JWT, `kid`."""
        header = {"alg": ALGORITHM, "typ": "JWT", "kid": self.kid}
        return jwt.encode(header, claims, self.private, algorithms=[ALGORITHM])


def _parse(text: str) -> BadgeKey:
    try:
        data = json.loads(text)
        key = ECKey.import_key(data)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError("PASSERELLE_BADGE_SIGNING_KEY is not an EC JWK") from exc
    if key.as_dict().get("crv") != "P-256" or not key.is_private:
        raise ConfigurationError("PASSERELLE_BADGE_SIGNING_KEY must be a private P-256 JWK")
    return BadgeKey(private=key, kid=key.thumbprint())


def generate_jwk() -> str:
    """A new private P-256 key as JWK text (for `PASSERELLE_BADGE_SIGNING_KEY`)."""
    return json.dumps(ECKey.generate_key("P-256").as_dict(private=True))


@lru_cache(maxsize=8)
def _load(configured: str, production: bool) -> BadgeKey:
    if configured:
        return _parse(configured)
    if production:
        raise ConfigurationError("PASSERELLE_BADGE_SIGNING_KEY must be set in production")
    if not DEV_KEY_FILE.exists():
        DEV_KEY_FILE.write_text(generate_jwk())
        DEV_KEY_FILE.chmod(0o600)
    log.warning(
        "no PASSERELLE_BADGE_SIGNING_KEY set: using a development key kept in %s", DEV_KEY_FILE
    )
    return _parse(DEV_KEY_FILE.read_text())


def badge_key(settings: Settings) -> BadgeKey:
    return _load(settings.badge_signing_key, settings.is_production)
