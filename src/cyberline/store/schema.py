"""Database tables (SQLAlchemy 2). The same schema runs on SQLite and PostgreSQL.

Documents are never modified after they are stored; re-extraction adds a Report version;
incidents keep which report (or person) set each field in ``provenance``.
Changes to these tables go through an Alembic migration in ``migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="feed")  # feed | page | file | import
    language: Mapped[str | None] = mapped_column(String(8))
    follow_links: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_private: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_status: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Document(Base):
    """One fetched item, verbatim. A changed page is a new row that ``supersedes`` the old one."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(Text)  # feed entry id, import row key
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    encoding: Mapped[str | None] = mapped_column(String(40))
    content_type: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))

    source: Mapped[Source | None] = relationship()
    reports: Mapped[list["Report"]] = relationship(back_populates="document")

    __table_args__ = (Index("ix_documents_url", "url"), Index("ix_documents_external_id", "external_id"))


class Report(Base):
    """What one document says, as extracted (or imported). ``data`` is the contract JSON."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    provenance: Mapped[str] = mapped_column(String(200))  # "extract:0.1.0", "import:file.csv"
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Denormalised from ``data`` for querying and blocking.
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(8))
    organization: Mapped[str | None] = mapped_column(Text)
    org_key: Mapped[str | None] = mapped_column(String(200))
    disclosure_date: Mapped[date | None] = mapped_column(Date)
    attack_type: Mapped[str | None] = mapped_column(String(40))
    is_followup: Mapped[bool] = mapped_column(Boolean, default=False)

    document: Mapped[Document] = relationship(back_populates="reports")
    link: Mapped["IncidentReport | None"] = relationship(back_populates="report", uselist=False)

    __table_args__ = (
        Index("ix_reports_document", "document_id"),
        Index("ix_reports_org_key", "org_key", "disclosure_date"),
    )


class Incident(Base):
    """One real-world incident, merged from its reports. Columns hold the current merged values."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization: Mapped[str | None] = mapped_column(Text)
    org_key: Mapped[str | None] = mapped_column(String(200))
    disclosure_date: Mapped[date | None] = mapped_column(Date)
    occurred_date: Mapped[date | None] = mapped_column(Date)
    discovered_date: Mapped[date | None] = mapped_column(Date)
    attack_type: Mapped[str] = mapped_column(String(40), default="unknown")
    motivation: Mapped[str] = mapped_column(String(20), default="unknown")
    target_class: Mapped[str] = mapped_column(String(2), default="Z")
    country: Mapped[str | None] = mapped_column(String(8))  # first / main country
    countries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cause_category_jnsa: Mapped[str | None] = mapped_column(String(40))
    affected_persons: Mapped[int | None] = mapped_column(Integer)
    affected_orgs: Mapped[int | None] = mapped_column(Integer)
    data_categories: Mapped[list[Any]] = mapped_column(JSON, default=list)
    amount_lost: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    amount_usd: Mapped[float | None] = mapped_column(Float)
    reported_to: Mapped[list[Any]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(8))
    link: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    description_ja: Mapped[str | None] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    # field -> {"report_id": int} or {"user": str}; values set by a person win over extraction.
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    reports: Mapped[list["IncidentReport"]] = relationship(
        back_populates="incident", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_incidents_disclosure", "disclosure_date"),
        Index("ix_incidents_org_key", "org_key", "disclosure_date"),
        Index("ix_incidents_attack", "attack_type", "disclosure_date"),
        Index("ix_incidents_country", "country", "disclosure_date"),
        Index("ix_incidents_target", "target_class", "disclosure_date"),
    )


class IncidentCountry(Base):
    """One row per (incident, country): counting by country without scanning JSON."""

    __tablename__ = "incident_countries"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(8), primary_key=True)
    disclosure_date: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_incident_countries_country", "country", "disclosure_date"),)


class IncidentReport(Base):
    """A report's membership of an incident, with why it was linked."""

    __tablename__ = "incident_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), unique=True)
    method: Mapped[str] = mapped_column(String(40))  # new | auto | person
    score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    linked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="reports")
    report: Mapped[Report] = relationship(back_populates="link")

    __table_args__ = (Index("ix_incident_reports_incident", "incident_id"),)


class ReviewItem(Base):
    """A linking decision left to a person: should ``report_id`` join ``incident_id``?"""

    __tablename__ = "review_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | accepted | rejected
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """Every curation operation: who, when, what before, what after (undoable)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))  # set_field | clear_field | merge | split | ...
    incident_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(60))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    undone_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (Index("ix_audit_incident", "incident_id"),)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20), default="viewer")  # viewer | editor | admin
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IncidentSearch(Base):
    """The text an incident is found by (its names, titles and documents), kept by store.search.

    On SQLite two FTS5 tables index it (trigram over ``body``, unicode61 over the Sudachi tokens
    in ``tokens``); on PostgreSQL pg_trgm and a 'simple' tsvector index do. Created in
    migration web1 because neither kind of index can be declared here portably.
    """

    __tablename__ = "incident_search"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text, default="")
    tokens: Mapped[str] = mapped_column(Text, default="")
    indexed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


__all__ = [
    "IncidentSearch",
    "Base", "Source", "Document", "Report", "Incident", "IncidentCountry", "IncidentReport",
    "ReviewItem", "AuditEntry", "User",
]
