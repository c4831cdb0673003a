"""All tables. Importing this package registers every table on `SQLModel.metadata`."""

from sqlmodel import SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.exchange import Exchange, ExchangeClass, MatchingRun
from app.models.organisation import Network, NetworkMember, Organisation
from app.models.school_class import ClassLearner, ClassTeacher, SchoolClass
from app.models.session import CalendarFeed, LiveSession, SessionSeries
from app.models.user import GuardianLink, RefreshToken, User

metadata = SQLModel.metadata

__all__ = [
    "CalendarFeed",
    "ClassLearner",
    "ClassTeacher",
    "Exchange",
    "ExchangeClass",
    "GuardianLink",
    "LiveSession",
    "MatchingRun",
    "Network",
    "NetworkMember",
    "Organisation",
    "RefreshToken",
    "SchoolClass",
    "SessionSeries",
    "UTCDateTime",
    "User",
    "metadata",
    "utcnow",
]
