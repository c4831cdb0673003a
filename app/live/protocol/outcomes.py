"""How the server ends a connection or refuses a command: the contract's close codes and the
two exceptions that carry them out of the room logic."""

from __future__ import annotations

from enum import IntEnum


class CloseCode(IntEnum):
    POLICY_VIOLATION = 1008  # policy (a bad Origin gets HTTP 403 before the upgrade)
    FRAME_TOO_BIG = 1009
    SERVER_ERROR = 1011
    RESTARTING = 1012
    TICKET = 4001  # missing, invalid, expired or reused: get a new ticket, reconnect
    NOT_ALLOWED = 4003  # not a member, or removed: do not reconnect
    NOT_FOUND = 4004  # session not found, cancelled, ended, or its room not open
    SLOW_DOWN = 4008  # rate limit or slow consumer: reconnect with backoff and resume


class RoomRefused(Exception):
    """A connection is refused or ended with a close code and a short reason."""

    def __init__(self, code: CloseCode, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class CommandRefused(Exception):
    """A command is answered with an `error` event; the connection and the room go on."""

    def __init__(self, code: str, message: str, details: list[dict[str, str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
