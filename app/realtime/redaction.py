"""Keep WebSocket tickets out of the logs.

Tickets travel in the query string (`/ws/sessions/{id}?ticket=...`): browsers cannot set headers
on a WebSocket. Our own access log writes paths without query strings; the ASGI server's
WebSocket lines (`uvicorn.error`: `"WebSocket /ws/...?ticket=..." [accepted]`) do not, so this
filter rewrites any `ticket=` value in a record to `ticket=[redacted]` before it is emitted.
"""

from __future__ import annotations

import logging
import re
from typing import Any

_TICKET = re.compile(r"(ticket=)[^&\s\"']+")
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access", "uvicorn", "passerelle")


def redact(text: str) -> str:
    return _TICKET.sub(r"\1[redacted]", text)


class TicketRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "ticket=" in record.msg:
            record.msg = redact(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if any(isinstance(a, str) and "ticket=" in a for a in args):
                cleaned: tuple[Any, ...] = tuple(
                    redact(a) if isinstance(a, str) else a for a in args
                )
                record.args = cleaned if isinstance(record.args, tuple) else cleaned[0]
        return True


_REDACTOR = TicketRedactor()


def install_ticket_redaction() -> None:
    """Idempotent: attach the filter to the loggers that may print request targets."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
