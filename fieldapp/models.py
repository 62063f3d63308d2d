"""Every model of the app, imported once so SQLAlchemy and Alembic see the whole schema."""

from fieldapp.assignments.models import Assignment
from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import LoginAttempt, User
from fieldapp.devices.models import Device, EnrollmentLink, FeedClock, FeedMark
from fieldapp.diligences.models import Diligence, DiligenceMedia, ReviewEvent
from fieldapp.legal.models import CostBracketRow, LegalParameterSet, NonBusinessDay
from fieldapp.media.models import MediaBlob
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import (
    Address,
    Credit,
    CreditStatusChange,
    Debtor,
    Document,
    EmployerRegistration,
)

__all__ = [
    "Address",
    "Assignment",
    "AuditEvent",
    "CostBracketRow",
    "Credit",
    "CreditStatusChange",
    "Debtor",
    "Device",
    "Diligence",
    "DiligenceMedia",
    "Document",
    "EmployerRegistration",
    "EnrollmentLink",
    "FeedClock",
    "FeedMark",
    "LegalParameterSet",
    "LoginAttempt",
    "MediaBlob",
    "NonBusinessDay",
    "Office",
    "ReviewEvent",
    "Sector",
    "User",
]
