"""Participation certificates: their canonical form, signature and check (docs/attendance.md).

Pure: no I/O, no clock. A certificate is a JSON object (the payload). What is signed is its
canonical form: keys sorted at every level, no whitespace, UTF-8 with non-ASCII characters as
they are (`ensure_ascii=False`), and numbers as a JavaScript client would write them back
(a float with no fraction, `10.0`, is written `10`), so a copy that went through another
language's JSON library still verifies. NaN and infinities are refused (`ValueError`).

The signature is HMAC-SHA256 over those bytes, base64url without padding. Its key is never a
key ring secret itself: `certificate_key` derives one per secret with a domain-separation
label, so a token signing key is never used raw for certificates and a certificate signature
can never be replayed as anything else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

# Changing the label changes every key: every certificate issued before would stop verifying.
KEY_LABEL = b"passerelle/participation-certificate/v1"


def certificate_key(secret: str | bytes, *, label: bytes = KEY_LABEL) -> bytes:
    """The certificate key derived from a key ring secret: HMAC-SHA256(secret, label)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(raw, label, hashlib.sha256).digest()


def _normalised(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(v) for v in value]
    return value


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed. `ValueError` for NaN or infinity; `TypeError` for a value
    JSON cannot hold."""
    text = json.dumps(
        _normalised(payload),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return text.encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def sign(payload: dict[str, Any], key: bytes) -> str:
    """HMAC-SHA256 of the canonical payload, base64url without padding (43 characters)."""
    return _b64(hmac.new(key, canonical(payload), hashlib.sha256).digest())


def verify(payload: dict[str, Any], signature: str, key: bytes) -> bool:
    """Whether `signature` is this payload's under `key`, compared in constant time. False,
    never an exception, for a payload that has no canonical form."""
    try:
        expected = sign(payload, key)
    except (ValueError, TypeError, RecursionError):
        return False
    if not isinstance(signature, str) or not signature.isascii():
        return False
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii"))
