"""Client to server: every command a member sends, as a pydantic model discriminated on
`type`, and who may send which."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from app.live.protocol.members import Role

CommandId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


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


class HandLower(_Command):
    """Everyone in the room but observers lowers their own hand; a teacher may lower a
    learner's (`user_id`)."""

    type: Literal["hand.lower"]
    user_id: uuid.UUID | None = None


class ReactionSend(_Command):
    """Everyone in the room but observers."""

    type: Literal["reaction.send"]
    emoji: Annotated[str, StringConstraints(min_length=1, max_length=16)]


class SessionEnd(_Command):
    """Teachers; closes the room for everyone with 4004."""

    type: Literal["session.end"]


class ActivityStart(_Command):
    """Teachers; starts the session plan's activity at `index` (from 0). One runs at a time."""

    type: Literal["activity.start"]
    index: Annotated[int, Field(ge=0, le=100)]


class ActivityEnd(_Command):
    """Teachers; ends the running activity (its results stay stored)."""

    type: Literal["activity.end"]


class QuizAnswer(_Command):
    """Learners, while a quiz runs; `question` and `option` are indexes. One answer per
    question: the first counts."""

    type: Literal["quiz.answer"]
    question: Annotated[int, Field(ge=0, le=100)]
    option: Annotated[int, Field(ge=0, le=20)]


class WordcloudSubmit(_Command):
    """Learners, while a word cloud runs; one to three words, filtered against block lists."""

    type: Literal["wordcloud.submit"]
    word: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class GlossaryAdd(_Command):
    """Everyone in the room but observers; a term of the trade and its translations (ISO 639-1
    codes), kept in the exchange's glossary. The same term again merges its translations."""

    type: Literal["glossary.add"]
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    translations: Annotated[
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")],
            Annotated[str, StringConstraints(max_length=120)],
        ],
        Field(min_length=1, max_length=12),
    ]


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
    | HandLower
    | ReactionSend
    | SessionEnd
    | ActivityStart
    | ActivityEnd
    | QuizAnswer
    | WordcloudSubmit
    | GlossaryAdd
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
        "activity.start",
        "activity.end",
    }
)
LEARNER_COMMANDS = frozenset({"poll.vote", "quiz.answer", "wordcloud.submit"})
OBSERVER_COMMANDS = frozenset({"ping"})


def may_send(role: Role, command_type: str) -> bool:
    if role == "observer":
        return command_type in OBSERVER_COMMANDS
    if command_type in TEACHER_COMMANDS:
        return role == "teacher"
    if command_type in LEARNER_COMMANDS:
        return role == "learner"
    return True
