"""Every model of the app, imported once so SQLAlchemy and Alembic see the whole schema."""

from fieldapp.assignments.models import Assignment
from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import LoginAttempt, User
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
    "Credit",
    "CreditStatusChange",
    "Debtor",
    "Document",
    "EmployerRegistration",
    "LoginAttempt",
    "Office",
    "Sector",
    "User",
]
