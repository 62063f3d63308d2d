"""Every model of the app, imported once so SQLAlchemy and Alembic see the whole schema."""

from fieldapp.assignments.models import Assignment
from fieldapp.audit.models import AuditEvent
from fieldapp.auth.models import AuthSession, CredentialRecord, LoginAttempt, User
from fieldapp.credits.models import (
    AddressProposal,
    CreditFlag,
    CreditNotification,
    CreditSituation,
    EstradosCase,
)
from fieldapp.depository.models import CustodyEvent, CustodyItem, InventoryCount, InventoryScan
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
from fieldapp.seals.models import Seal, SealCounter, SealSheet, SealUse

__all__ = [
    "Address",
    "AddressProposal",
    "Assignment",
    "AuditEvent",
    "AuthSession",
    "CostBracketRow",
    "CredentialRecord",
    "Credit",
    "CreditFlag",
    "CreditNotification",
    "CreditSituation",
    "CreditStatusChange",
    "CustodyEvent",
    "CustodyItem",
    "Debtor",
    "Device",
    "Diligence",
    "DiligenceMedia",
    "Document",
    "EmployerRegistration",
    "EnrollmentLink",
    "EstradosCase",
    "FeedClock",
    "FeedMark",
    "InventoryCount",
    "InventoryScan",
    "LegalParameterSet",
    "LoginAttempt",
    "MediaBlob",
    "NonBusinessDay",
    "Office",
    "ReviewEvent",
    "Seal",
    "SealCounter",
    "SealSheet",
    "SealUse",
    "Sector",
    "User",
]
