from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.core.schemas import Input


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (a token type, not a secret)
    expires_in: int


class RefreshRequest(Input):
    refresh_token: str = Field(min_length=1, max_length=4096)
