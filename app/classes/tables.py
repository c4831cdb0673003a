from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from app.core.tables import created_at_field, id_field


class SchoolClass(SQLModel, table=True):
    __tablename__ = "school_class"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    organisation_id: uuid.UUID = Field(
        foreign_key="organisation.id", ondelete="RESTRICT", index=True
    )
    field: str = Field(max_length=4)
    eqf_level: int
    learner_count: int
    age_min: int
    age_max: int
    languages: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    availability: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    term_start: date
    term_end: date
    open_for_matching: bool = True
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class ClassTeacher(SQLModel, table=True):
    __tablename__ = "class_teacher"

    class_id: uuid.UUID = Field(foreign_key="school_class.id", primary_key=True, ondelete="CASCADE")
    teacher_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )


class ClassLearner(SQLModel, table=True):
    __tablename__ = "class_learner"

    class_id: uuid.UUID = Field(foreign_key="school_class.id", primary_key=True, ondelete="CASCADE")
    learner_id: uuid.UUID = Field(
        foreign_key="user_account.id", primary_key=True, ondelete="CASCADE", index=True
    )
