"""The feedback tables: one row per submission and one row per code it mentions.

The schema is owned by the Alembic migrations in :mod:`service.migrations`; these classes
must stay in step with the latest revision (a test compares them).
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, Enum, Float, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The declarative base of the feedback tables."""


class CodeRole(StrEnum):
    """What a code was in a submission: shown by the model, or the coder's verdict on it."""

    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ADDED = "added"


class FeedbackRecord(Base):
    """One coder's review of the suggestions for one note."""

    __tablename__ = "feedback"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[str | None] = mapped_column(String(200))
    text_sha256: Mapped[str] = mapped_column(String(64))
    # Null unless the deployment opted in to keeping note text for training.
    text: Mapped[str | None] = mapped_column(Text)
    model_version: Mapped[str] = mapped_column(String(100), index=True)
    coder_id: Mapped[str] = mapped_column(String(200))

    codes: Mapped[list["FeedbackCode"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="FeedbackCode.id"
    )


class FeedbackCode(Base):
    """A code named in a submission, with its role (and the model's score when suggested)."""

    __tablename__ = "feedback_code"
    __table_args__ = (Index("ix_feedback_code_system_code", "system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[CodeRole] = mapped_column(
        # A plain VARCHAR rather than a PostgreSQL ENUM type, so both backends share one schema.
        Enum(
            CodeRole,
            native_enum=False,
            length=10,
            values_callable=lambda roles: [role.value for role in roles],
        )
    )
    system: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)

    record: Mapped[FeedbackRecord] = relationship(back_populates="codes")
