"""Server to client: room events (broadcast, numbered with `seq`) and the direct events one
connection gets (`welcome`, `ack`, `error`, `pong`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.live.protocol.members import Member


class _Event(BaseModel):
    # Serialized fields with defaults are always present, so the schema lists them as required.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


class _RoomEvent(_Event):
    seq: int = 0  # set by the hub when the event is stored, before it is broadcast


class ChatMessageEvent(_RoomEvent):
    """A chat message, as every member of the room sees it."""

    type: Literal["chat.message"] = "chat.message"
    message_id: uuid.UUID
    author: Member
    text: str
    sent_at: datetime


class ChatDeleted(_RoomEvent):
    """A teacher deleted a chat message (`by`); clients hide it."""

    type: Literal["chat.deleted"] = "chat.deleted"
    message_id: uuid.UUID
    by: uuid.UUID


class PollStarted(_RoomEvent):
    """A teacher started a poll; learners vote with `poll.vote` (an option index)."""

    type: Literal["poll.started"] = "poll.started"
    poll_id: uuid.UUID
    question: str
    options: list[str]


class PollResults(_RoomEvent):
    """The running poll's counts after a vote, one per option."""

    type: Literal["poll.results"] = "poll.results"
    poll_id: uuid.UUID
    counts: list[int]


class PollClosed(_RoomEvent):
    """A teacher closed the poll: its final counts."""

    type: Literal["poll.closed"] = "poll.closed"
    poll_id: uuid.UUID
    counts: list[int]


class BreakoutGroup(BaseModel):
    group_id: str
    members: list[Member]


class BreakoutStarted(_RoomEvent):
    """A teacher started breakout groups, countries mixed; `group_id` per group."""

    type: Literal["breakout.started"] = "breakout.started"
    breakout_id: uuid.UUID
    group_size: int
    groups: list[BreakoutGroup]


class BreakoutEnded(_RoomEvent):
    """The breakout is over: everyone is back in the main room."""

    type: Literal["breakout.ended"] = "breakout.ended"
    breakout_id: uuid.UUID


class MemberMuted(_RoomEvent):
    """A teacher muted a learner's chat until `until`."""

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
    """A member raised their hand."""

    type: Literal["hand.raised"] = "hand.raised"
    user_id: uuid.UUID


class HandLowered(_RoomEvent):
    """A raised hand was lowered: by its owner, or by a teacher (`by`)."""

    type: Literal["hand.lowered"] = "hand.lowered"
    user_id: uuid.UUID
    by: uuid.UUID


class Reaction(_RoomEvent):
    """A member sent a reaction (an emoji)."""

    type: Literal["reaction"] = "reaction"
    user_id: uuid.UUID
    emoji: str


class SessionEnded(_RoomEvent):
    """The session is over (a teacher ended it, or its scheduled end passed); sockets close
    with 4004."""

    type: Literal["session.ended"] = "session.ended"
    reason: Literal["ended_by_teacher", "scheduled_end"]
    by: uuid.UUID | None = None


class ActivityStarted(_RoomEvent):
    """A planned activity starts: what every member shows. `title` is in the six languages;
    `content` is the activity's material (a quiz's questions without the answers, a word
    cloud's prompt, `minutes` planned)."""

    type: Literal["activity.started"] = "activity.started"
    run_id: uuid.UUID
    index: int
    activity_id: uuid.UUID
    kind: str
    title: dict[str, str]
    content: dict[str, Any]


class ActivityEnded(_RoomEvent):
    """The running activity ended; `results` are its final results (a quiz's with the right
    answers), null for kinds that produce none in the room."""

    type: Literal["activity.ended"] = "activity.ended"
    run_id: uuid.UUID
    index: int
    activity_id: uuid.UUID
    results: dict[str, Any] | None


class QuizQuestionCounts(BaseModel):
    question: int
    counts: list[int]


class ClassScore(BaseModel):
    class_id: str
    answers: int
    correct: int
    score: float


class CountryScore(BaseModel):
    country: str
    answers: int
    correct: int
    score: float


class QuizResults(_RoomEvent):
    """A quiz's results after each answer: counts per question and option, and the share of
    right answers per class and per country. Never per learner."""

    type: Literal["quiz.results"] = "quiz.results"
    run_id: uuid.UUID
    questions: list[QuizQuestionCounts]
    by_class: list[ClassScore]
    by_country: list[CountryScore]


class CloudWord(BaseModel):
    word: str
    count: int


class WordcloudUpdated(_RoomEvent):
    """The whole word cloud after a word was added, most frequent first."""

    type: Literal["wordcloud.updated"] = "wordcloud.updated"
    run_id: uuid.UUID
    words: list[CloudWord]


class GlossaryAdded(_RoomEvent):
    """A glossary entry as it now stands (a repeated term shows its merged translations)."""

    type: Literal["glossary.added"] = "glossary.added"
    entry_id: uuid.UUID
    term: str
    translations: dict[str, str]
    added_by: Member


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
    | HandLowered
    | Reaction
    | SessionEnded
    | ActivityStarted
    | ActivityEnded
    | QuizResults
    | WordcloudUpdated
    | GlossaryAdded
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


class ActivityState(BaseModel):
    """The running activity, for a member who joins while it runs: what `activity.started`
    showed, and its results so far (as `quiz.results` or `wordcloud.updated` carry them)."""

    run_id: uuid.UUID
    index: int
    activity_id: uuid.UUID
    kind: str
    title: dict[str, str]
    content: dict[str, Any]
    started_at: datetime
    results: dict[str, Any] | None = None


class RoomState(BaseModel):
    poll: PollState | None = None
    breakout: BreakoutState | None = None
    activity: ActivityState | None = None


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
    chat: list[ChatMessageEvent] = Field(
        default_factory=list,
        description="The room's most recent chat messages (20), oldest first, deleted ones left "
        "out; empty on a resume (`recovered: true`), where the missed events follow",
    )


class Ack(_Event):
    """A command was applied; `seq` is the room event it produced. A repeated command id is
    acknowledged again (`duplicate: true`) and not applied twice."""

    type: Literal["ack"] = "ack"
    id: str
    seq: int | None = None
    duplicate: bool = False


class Error(_Event):
    """A frame or command was refused; the connection stays up. `message` is in the
    connection's language; `code` never changes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "error",
                    "id": "c-17",
                    "code": "forbidden",
                    "message": "Vous n'avez pas l'autorisation d'effectuer cette action.",
                    "details": None,
                }
            ]
        }
    )

    type: Literal["error"] = "error"
    id: str | None
    code: str
    message: str
    details: list[dict[str, str]] | None = None


class Pong(_Event):
    """The answer to `ping`, to the sender only."""

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
