"""Parsing a frame is a pure function: a command, or the `error` that answers the frame."""

from __future__ import annotations

import json
import uuid

import pytest

from app.live import protocol
from app.live.protocol import parse_command


def test_a_valid_frame_becomes_its_command() -> None:
    poll_id = uuid.uuid4()
    command = parse_command(
        json.dumps({"type": "poll.vote", "id": "c1", "poll_id": str(poll_id), "option": 2})
    )
    assert isinstance(command, protocol.PollVote)
    assert (command.id, command.poll_id, command.option) == ("c1", poll_id, 2)


def test_chat_text_is_stripped() -> None:
    command = parse_command(json.dumps({"type": "chat.send", "id": "c2", "text": "  ciao  "}))
    assert isinstance(command, protocol.ChatSend)
    assert command.text == "ciao"


@pytest.mark.parametrize(
    ("frame", "code", "command_id"),
    [
        (None, "invalid_json", None),
        ("{not json", "invalid_json", None),
        ("[1, 2]", "invalid_json", None),
        ('{"type": "chat.shout", "id": "c3"}', "unknown_type", "c3"),
        ('{"type": 7, "id": "c4"}', "unknown_type", "c4"),
        ('{"type": "chat.send", "id": "c5"}', "invalid_message", "c5"),
        ('{"type": "poll.vote", "id": "c6", "poll_id": "x", "option": 0}', "invalid_message", "c6"),
        ('{"type": "ping", "id": ""}', "invalid_message", None),
        ('{"type": "ping", "id": "c7", "extra": 1}', "invalid_message", "c7"),
    ],
)
def test_a_bad_frame_becomes_the_error_that_answers_it(
    frame: str | None, code: str, command_id: str | None
) -> None:
    answer = parse_command(frame)
    assert isinstance(answer, protocol.Error)
    assert (answer.code, answer.id) == (code, command_id)
    assert answer.message


def test_an_invalid_message_names_each_bad_field() -> None:
    answer = parse_command(
        json.dumps({"type": "poll.vote", "id": "c8", "poll_id": "nope", "option": "first"})
    )
    assert isinstance(answer, protocol.Error)
    assert answer.details is not None
    assert {d["field"] for d in answer.details} == {"poll_id", "option"}
    assert answer.message == "Invalid fields: option, poll_id."


def test_parsing_checks_no_permission() -> None:
    """Who may send what is `app.live.apply`'s check: an observer's teacher command parses."""
    command = parse_command(json.dumps({"type": "session.end", "id": "c9"}))
    assert isinstance(command, protocol.SessionEnd)
    assert not protocol.may_send("observer", command.type)
