"""Every table. Importing this module registers them all on `SQLModel.metadata` (Alembic, tests)."""

from sqlmodel import SQLModel

from app.accounts.tables import GuardianLink, RefreshToken, User
from app.activities.tables import (
    ActivityRun,
    ActivityTemplate,
    GlossaryEntry,
    QuizAnswer,
    Reflection,
    SelfAssessment,
    SessionPlanItem,
    WordcloudEntry,
)
from app.attendance.tables import AttendanceOverride, AttendanceRecord, Certificate
from app.badges.tables import Badge
from app.classes.tables import ClassLearner, ClassTeacher, SchoolClass
from app.core.audit_table import AuditRecord
from app.core.tables import UTCDateTime, utcnow
from app.families.tables import Consent, GuardianInvite
from app.hosting.tables import (
    HostFamily,
    HostInvite,
    HostMatchingRun,
    HostMember,
    Placement,
    PlacementMessage,
)
from app.live.tables import (
    BreakoutRound,
    ChatMessage,
    LiveTicketUse,
    Poll,
    PollVote,
    PresenceInterval,
    RoomEvent,
    RoomModeration,
)
from app.matching.tables import Exchange, ExchangeClass, ExchangeMessage, MatchingRun
from app.mobility.tables import CheckIn, ChecklistItem, ChecklistTemplate, Incident, Mobility
from app.notifications.tables import (
    Notification,
    OutboxMessage,
    PushDelivery,
    PushSubscription,
)
from app.organisations.tables import Network, NetworkMember, Organisation
from app.scheduling.tables import CalendarFeed, LiveSession, SessionSeries
from app.webhooks.tables import WebhookDelivery, WebhookSubscription

metadata = SQLModel.metadata

__all__ = [
    "ActivityRun",
    "ActivityTemplate",
    "AttendanceOverride",
    "AttendanceRecord",
    "AuditRecord",
    "Badge",
    "BreakoutRound",
    "CalendarFeed",
    "Certificate",
    "ChatMessage",
    "CheckIn",
    "ChecklistItem",
    "ChecklistTemplate",
    "ClassLearner",
    "ClassTeacher",
    "Consent",
    "Exchange",
    "ExchangeClass",
    "ExchangeMessage",
    "GlossaryEntry",
    "GuardianInvite",
    "GuardianLink",
    "HostFamily",
    "HostInvite",
    "HostMatchingRun",
    "HostMember",
    "Incident",
    "LiveSession",
    "LiveTicketUse",
    "MatchingRun",
    "Mobility",
    "Network",
    "NetworkMember",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "Placement",
    "PlacementMessage",
    "Poll",
    "PollVote",
    "PresenceInterval",
    "PushDelivery",
    "PushSubscription",
    "QuizAnswer",
    "Reflection",
    "RefreshToken",
    "RoomEvent",
    "RoomModeration",
    "SchoolClass",
    "SelfAssessment",
    "SessionPlanItem",
    "SessionSeries",
    "UTCDateTime",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
    "WordcloudEntry",
    "metadata",
    "utcnow",
]
