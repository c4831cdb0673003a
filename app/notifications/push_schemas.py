"""A browser's `PushSubscription` JSON, as `pushSubscription.toJSON()` gives it, and what the
API answers about a subscription."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from app.core.schemas import Input, Output


def _decode(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("not an http(s) URL")
    return value


def _p256dh(value: str) -> str:
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _decode(value))
    except ValueError as exc:
        raise ValueError("not a P-256 public key (base64url, uncompressed point)") from exc
    return value


def _auth(value: str) -> str:
    if len(_decode(value)) != 16:
        raise ValueError("not a 16-byte authentication secret (base64url)")
    return value


class PushKeys(Input):
    p256dh: Annotated[str, Field(min_length=80, max_length=100), AfterValidator(_p256dh)]
    auth: Annotated[str, Field(min_length=16, max_length=32), AfterValidator(_auth)]


class PushSubscriptionCreate(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "endpoint": "https://push.example.net/send/abc123",
                    "keys": {
                        "p256dh": "BHeO_Kgettcxsjzp7ZQvgNXCLlPkg1iCM2Sh4HKo2XjYr4RGNtlmX05IEcfGPPzo"
                        "JWfTcF9Ku0bR_9XOOubNaHk",
                        "auth": "YM9dyDblxxknySTRtPMK8w",
                    },
                    "expirationTime": None,
                }
            ]
        },
    )

    endpoint: Annotated[str, Field(max_length=2048), AfterValidator(_url)] = Field(
        description="The push service's URL for this browser (kept as given)"
    )
    keys: PushKeys
    expirationTime: int | None = Field(
        default=None, description="As the browser gives it; not used"
    )


class PushSubscriptionPublic(Output):
    id: uuid.UUID
    endpoint: str
    created_at: datetime


class VapidPublicKey(BaseModel):
    public_key: str = Field(
        description="The server's VAPID public key (base64url), the `applicationServerKey` "
        "of `pushManager.subscribe`"
    )
