"""Every model of the app, imported once so SQLAlchemy and Alembic see the whole schema."""

from fieldapp.assignments.models import Assignment
from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import LoginAttempt, User
from fieldapp.legal.models import CostBracketRow, LegalParameterSet, NonBusinessDay
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
    "Document",
    "EmployerRegistration",
    "LegalParameterSet",
    "LoginAttempt",
    "NonBusinessDay",
    "Office",
    "Sector",
    "User",
]
