"""All tables. Importing this package registers every table on `SQLModel.metadata`."""

from sqlmodel import SQLModel

from app.models.base import UTCDateTime, utcnow
from app.models.organisation import Network, NetworkMember, Organisation
from app.models.school_class import ClassLearner, ClassTeacher, SchoolClass
from app.models.user import GuardianLink, RefreshToken, User

metadata = SQLModel.metadata

__all__ = [
    "ClassLearner",
    "ClassTeacher",
    "GuardianLink",
    "Network",
    "NetworkMember",
    "Organisation",
    "RefreshToken",
    "SchoolClass",
    "UTCDateTime",
    "User",
    "metadata",
    "utcnow",
]
