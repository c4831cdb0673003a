"""An independent verifier of issued badges: PyJWT (not the library that signs) and pyld
JSON-LD expansion against vendored contexts; nothing is fetched from the network."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
from pyld import jsonld

CONTEXTS = Path(__file__).parent / "contexts"
DOCUMENTS = {
    "https://www.w3.org/ns/credentials/v2": CONTEXTS / "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": CONTEXTS
    / "ob-context-3.0.3.json",
}


def load_document(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader, serving only the vendored contexts."""
    if url not in DOCUMENTS:
        raise ValueError(f"refusing to load {url}: not a vendored context")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(DOCUMENTS[url].read_text()),
    }


def verify(token: str, jwks: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The claims of a VC-JWT whose ES256 signature a key of `jwks` verifies (by `kid`),
    valid at `now` (the tests' clock runs ahead of the system's)."""
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWKSet.from_dict(jwks)[kid]
    claims: dict[str, Any] = jwt.decode(
        token,
        key.key,
        algorithms=["ES256"],
        options={
            "require": ["iss", "sub", "jti", "nbf", "vc"],
            "verify_aud": False,
            "verify_nbf": False,
            "verify_iat": False,
        },
    )
    if claims["nbf"] > now.timestamp():
        raise jwt.ImmatureSignatureError("not valid yet")
    return claims


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": load_document})
    return expanded
