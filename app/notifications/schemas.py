from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.core.schemas import Output


class NotificationPublic(Output):
    id: uuid.UUID
    event: str
    language: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
