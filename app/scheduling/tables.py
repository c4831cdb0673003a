from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Field, SQLModel

from app.core.tables import UTCDateTime, created_at_field, id_field

# a session ended before it started still spans a minute, so its (empty) sheet can be computed
MIN_HELD = timedelta(minutes=1)


class SessionSeries(SQLModel, table=True):
    """A recurring series: the rule, expanded in the organiser's time zone."""

    __tablename__ = "session_series"

    id: uuid.UUID = id_field()
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    rrule: str = Field(max_length=500)
    timezone: str = Field(max_length=64)
    created_at: datetime = created_at_field()


class LiveSession(SQLModel, table=True):
    """One joint session of an exchange (one occurrence of a series, or a single one)."""

    __tablename__ = "live_session"

    id: uuid.UUID = id_field()
    exchange_id: uuid.UUID = Field(foreign_key="exchange.id", ondelete="CASCADE", index=True)
    series_id: uuid.UUID | None = Field(
        default=None, foreign_key="session_series.id", ondelete="SET NULL", index=True
    )
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    timezone: str = Field(max_length=64)  # the organiser's, for calendar invites
    status: str = Field(default="scheduled", max_length=16, index=True)
    cancel_reason: str | None = Field(default=None, max_length=500)
    sequence: int = 0  # iCalendar SEQUENCE, bumped on every change
    # when this ended session's attendance was sealed into `attendance_record` (and its
    # absences announced); from then on presence details may be purged
    attendance_sealed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # when the room actually ended (a teacher's `session.end`, or the sweeper after the end)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()

    @property
    def held_until(self) -> datetime:
        """The end attendance counts to: the scheduled end, or earlier when a teacher ended
        the session early."""
        if self.ended_at is not None and self.ended_at < self.ends_at:
            return max(self.ended_at, self.starts_at + MIN_HELD)
        return self.ends_at


class CalendarFeed(SQLModel, table=True):
    """A secret, revocable iCalendar feed URL; only the token's digest is stored."""

    __tablename__ = "calendar_feed"

    id: uuid.UUID = id_field()
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
