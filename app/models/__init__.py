"""All tables. Importing this package registers every table on `SQLModel.metadata`."""

from sqlmodel import SQLModel

from app.models.attendance import AttendanceOverride, AttendanceRecord, Certificate
from app.models.audit import AuditRecord
from app.models.base import UTCDateTime, utcnow
from app.models.exchange import Exchange, ExchangeClass, MatchingRun
from app.models.family import Consent, GuardianInvite
from app.models.live import (
    BreakoutRound,
    ChatMessage,
    LiveTicketUse,
    Poll,
    PollVote,
    PresenceInterval,
    RoomEvent,
    RoomModeration,
)
from app.models.notification import Notification, OutboxMessage
from app.models.organisation import Network, NetworkMember, Organisation
from app.models.school_class import ClassLearner, ClassTeacher, SchoolClass
from app.models.session import CalendarFeed, LiveSession, SessionSeries
from app.models.user import GuardianLink, RefreshToken, User

metadata = SQLModel.metadata

__all__ = [
    "AttendanceOverride",
    "AttendanceRecord",
    "AuditRecord",
    "BreakoutRound",
    "CalendarFeed",
    "Certificate",
    "ChatMessage",
    "ClassLearner",
    "ClassTeacher",
    "Consent",
    "Exchange",
    "ExchangeClass",
    "GuardianInvite",
    "GuardianLink",
    "LiveSession",
    "LiveTicketUse",
    "MatchingRun",
    "Network",
    "NetworkMember",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "Poll",
    "PollVote",
    "PresenceInterval",
    "RefreshToken",
    "RoomEvent",
    "RoomModeration",
    "SchoolClass",
    "SessionSeries",
    "UTCDateTime",
    "User",
    "metadata",
    "utcnow",
]
