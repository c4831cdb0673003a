"""The live-room protocol (CONTRACT.md, "Live room"): every message as a pydantic model,
discriminated on `type`. The WebSocket endpoint parses with these models, the hub sends them,
and `app.realtime.asyncapi` publishes them as an AsyncAPI document: one source for all three.

Client commands carry a client-chosen `id`. Room events (broadcast to the room) carry `seq`;
`welcome`, `ack`, `error` and `pong` go to one connection only and carry no `seq`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

Role = Literal["teacher", "learner", "observer"]
CommandId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


# --- client to server --------------------------------------------------------------------


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: CommandId


class ChatSend(_Command):
    """Everyone not muted (observers only watch)."""

    type: Literal["chat.send"]
    text: Text


class ChatDelete(_Command):
    """Teachers."""

    type: Literal["chat.delete"]
    message_id: uuid.UUID


class PollStart(_Command):
    """Teachers; one poll runs at a time."""

    type: Literal["poll.start"]
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    options: Annotated[
        list[
            Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        ],
        Field(min_length=2, max_length=10),
    ]


class PollVote(_Command):
    """Learners; `option` is an index into the poll's options. Voting again changes the vote."""

    type: Literal["poll.vote"]
    poll_id: uuid.UUID
    option: Annotated[int, Field(ge=0)]


class PollClose(_Command):
    """Teachers."""

    type: Literal["poll.close"]
    poll_id: uuid.UUID


class BreakoutStart(_Command):
    """Teachers; groups the learners present, mixing countries."""

    type: Literal["breakout.start"]
    group_size: Annotated[int, Field(ge=2, le=50)]


class BreakoutEnd(_Command):
    """Teachers."""

    type: Literal["breakout.end"]


class MemberMute(_Command):
    """Teachers; mutes a learner's chat for `minutes`."""

    type: Literal["member.mute"]
    user_id: uuid.UUID
    minutes: Annotated[int, Field(ge=1, le=24 * 60)]


class MemberRemove(_Command):
    """Teachers; the learner's connections close with 4003 and they cannot rejoin."""

    type: Literal["member.remove"]
    user_id: uuid.UUID


class HandRaise(_Command):
    """Everyone in the room but observers."""

    type: Literal["hand.raise"]


class ReactionSend(_Command):
    """Everyone in the room but observers."""

    type: Literal["reaction.send"]
    emoji: Annotated[str, StringConstraints(min_length=1, max_length=16)]


class SessionEnd(_Command):
    """Teachers; closes the room for everyone with 4004."""

    type: Literal["session.end"]


class Ping(_Command):
    """Everyone; answered with `pong` to the sender only."""

    type: Literal["ping"]


ClientCommand = Annotated[
    ChatSend
    | ChatDelete
    | PollStart
    | PollVote
    | PollClose
    | BreakoutStart
    | BreakoutEnd
    | MemberMute
    | MemberRemove
    | HandRaise
    | ReactionSend
    | SessionEnd
    | Ping,
    Field(discriminator="type"),
]
COMMANDS: TypeAdapter[ClientCommand] = TypeAdapter(ClientCommand)
COMMAND_MODELS: tuple[type[_Command], ...] = get_args(get_args(ClientCommand)[0])


def message_type(model: type[BaseModel]) -> str:
    """The `type` literal a message model carries."""
    (value,) = get_args(model.model_fields["type"].annotation)
    return str(value)


COMMAND_TYPES = frozenset(message_type(m) for m in COMMAND_MODELS)
TEACHER_COMMANDS = frozenset(
    {
        "chat.delete",
        "poll.start",
        "poll.close",
        "breakout.start",
        "breakout.end",
        "member.mute",
        "member.remove",
        "session.end",
    }
)
LEARNER_COMMANDS = frozenset({"poll.vote"})
OBSERVER_COMMANDS = frozenset({"ping"})


def may_send(role: Role, command_type: str) -> bool:
    if role == "observer":
        return command_type in OBSERVER_COMMANDS
    if command_type in TEACHER_COMMANDS:
        return role == "teacher"
    if command_type in LEARNER_COMMANDS:
        return role == "learner"
    return True


# --- server to client --------------------------------------------------------------------


class _Event(BaseModel):
    # Serialized fields with defaults are always present, so the schema lists them as required.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class Member(BaseModel):
    """What the room shows of a member: partner schools see no more than this."""

    id: uuid.UUID
    display_name: str
    role: Role
    class_id: uuid.UUID | None
    country: str | None


class _RoomEvent(_Event):
    seq: int = 0  # set by the hub when the event is stored, before it is broadcast


class ChatMessageEvent(_RoomEvent):
    type: Literal["chat.message"] = "chat.message"
    message_id: uuid.UUID
    author: Member
    text: str
    sent_at: datetime


class ChatDeleted(_RoomEvent):
    type: Literal["chat.deleted"] = "chat.deleted"
    message_id: uuid.UUID
    by: uuid.UUID


class PollStarted(_RoomEvent):
    type: Literal["poll.started"] = "poll.started"
    poll_id: uuid.UUID
    question: str
    options: list[str]


class PollResults(_RoomEvent):
    type: Literal["poll.results"] = "poll.results"
    poll_id: uuid.UUID
    counts: list[int]


class PollClosed(_RoomEvent):
    type: Literal["poll.closed"] = "poll.closed"
    poll_id: uuid.UUID
    counts: list[int]


class BreakoutGroup(BaseModel):
    group_id: str
    members: list[Member]


class BreakoutStarted(_RoomEvent):
    type: Literal["breakout.started"] = "breakout.started"
    breakout_id: uuid.UUID
    group_size: int
    groups: list[BreakoutGroup]


class BreakoutEnded(_RoomEvent):
    type: Literal["breakout.ended"] = "breakout.ended"
    breakout_id: uuid.UUID


class MemberMuted(_RoomEvent):
    type: Literal["member.muted"] = "member.muted"
    user_id: uuid.UUID
    minutes: int
    until: datetime
    by: uuid.UUID


class MemberRemoved(_RoomEvent):
    """A learner leaves the room for good: removed by a teacher (`by`), or their consent to
    live sessions was withdrawn (`reason` "consent_withdrawn", `by` null). Their sockets close
    with 4003."""

    type: Literal["member.removed"] = "member.removed"
    user_id: uuid.UUID
    by: uuid.UUID | None
    reason: Literal["teacher", "consent_withdrawn"] = "teacher"


class HandRaised(_RoomEvent):
    type: Literal["hand.raised"] = "hand.raised"
    user_id: uuid.UUID


class Reaction(_RoomEvent):
    type: Literal["reaction"] = "reaction"
    user_id: uuid.UUID
    emoji: str


class SessionEnded(_RoomEvent):
    type: Literal["session.ended"] = "session.ended"
    reason: Literal["ended_by_teacher", "scheduled_end"]
    by: uuid.UUID | None = None


class PresenceJoined(_RoomEvent):
    """A member's first connection opened (more tabs of one member count once)."""

    type: Literal["presence.joined"] = "presence.joined"
    member: Member


class PresenceLeft(_RoomEvent):
    """A member's last connection closed (or went silent: its process stopped answering)."""

    type: Literal["presence.left"] = "presence.left"
    member: Member


RoomEventModel = (
    ChatMessageEvent
    | ChatDeleted
    | PollStarted
    | PollResults
    | PollClosed
    | BreakoutStarted
    | BreakoutEnded
    | MemberMuted
    | MemberRemoved
    | HandRaised
    | Reaction
    | SessionEnded
    | PresenceJoined
    | PresenceLeft
)


class PollState(BaseModel):
    poll_id: uuid.UUID
    question: str
    options: list[str]
    counts: list[int]


class BreakoutState(BaseModel):
    breakout_id: uuid.UUID
    group_size: int
    groups: list[BreakoutGroup]


class RoomState(BaseModel):
    poll: PollState | None = None
    breakout: BreakoutState | None = None


class Welcome(_Event):
    """First frame of every connection. `seq` is the room's position this state reflects at
    least; room events after it follow. With `recovered: true`, the `missed` events since the
    client's `last_seq` follow first, in order."""

    type: Literal["welcome"] = "welcome"
    room: uuid.UUID
    epoch: str
    seq: int
    you: Member
    presence: list[Member]
    state: RoomState
    recovered: bool
    missed: int


class Ack(_Event):
    """A command was applied; `seq` is the room event it produced. A repeated command id is
    acknowledged again (`duplicate: true`) and not applied twice."""

    type: Literal["ack"] = "ack"
    id: str
    seq: int | None = None
    duplicate: bool = False


class Error(_Event):
    """A frame or command was refused; the connection stays up."""

    type: Literal["error"] = "error"
    id: str | None
    code: str
    message: str
    details: list[dict[str, str]] | None = None


class Pong(_Event):
    type: Literal["pong"] = "pong"
    id: str


DirectEvent = Welcome | Ack | Error | Pong
ServerEvent = Annotated[RoomEventModel | DirectEvent, Field(discriminator="type")]
SERVER_EVENTS: TypeAdapter[ServerEvent] = TypeAdapter(ServerEvent)
ROOM_EVENT_MODELS: tuple[type[_RoomEvent], ...] = get_args(RoomEventModel)
DIRECT_EVENT_MODELS: tuple[type[_Event], ...] = (Welcome, Ack, Error, Pong)


def encode(event: BaseModel) -> str:
    """The one encoding of an event: the same text goes to every connection."""
    return event.model_dump_json()


def stored_payload(event: RoomEventModel) -> dict[str, Any]:
    return event.model_dump(mode="json", exclude={"seq", "type"})
