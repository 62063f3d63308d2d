"""Reads of personal data are audit events, declared here in one table keyed by endpoint.

Debtors' names, RFCs and addresses, photos of their homes and goods, signatures, and staff
data are personal data: who looked at which, when and with which filter is kept, as for any
change. One after-request hook (``audit_read``) writes the event for every successful GET of an
endpoint in ``PERSONAL_DATA_READS``, so no view has to remember to. A few views record a richer
event themselves (``AUDITED_IN_VIEW``); the rest show no personal data (``NO_PERSONAL_DATA``).
tests/foundation/test_audit.py fails for any endpoint in none of the three, so a new page must
be classified when it is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from werkzeug.wrappers import Response

from fieldapp.audit.services import record
from fieldapp.auth.access import current_user


@dataclass(frozen=True)
class Read:
    action: str
    object_type: str | None = None  # what the URL's variable names, if it has one


_REPORT = Read("report_viewed")

PERSONAL_DATA_READS: dict[str, Read] = {
    "media.original": Read("photo_viewed", "media"),
    "media.thumbnail": Read("photo_viewed", "media"),
    "diligences.index": Read("diligences_listed"),
    "diligences.map_points": Read("diligences_mapped"),
    "depository.index": Read("depository_viewed"),
    "depository.inventories": Read("depository_viewed"),
    "depository.inventory": Read("inventory_viewed", "inventory_counts"),
    "depository.item": Read("custody_item_viewed", "custody_items"),
    "seals.index": Read("seals_viewed"),
    "seals.seal": Read("seal_viewed", "seals"),
    "seals.sheet": Read("seal_sheet_viewed", "seal_sheets"),
    "seals.sheet_pdf": Read("seal_sheet_printed", "seal_sheets"),
    "reports.index": _REPORT,
    "reports.productivity": _REPORT,
    "reports.sectors": _REPORT,
    "reports.overdue": _REPORT,
    "reports.deadlines": _REPORT,
    "reports.prescription": _REPORT,
    "reports.recovery": _REPORT,
    "estrados.index": Read("estrados_viewed"),
    "estrados.case": Read("estrados_case_viewed", "estrados_cases"),
    "domicile.index": Read("address_proposals_viewed"),
    "legal.deadlines": Read("deadlines_viewed"),
    "credits.index": Read("credits_searched"),
    "credits.credit": Read("credit_viewed", "credits"),
    "office_home.index": Read("office_overview_viewed"),
    "review.documents": Read("documents_listed"),
    "review.overdue_assignments": Read("overdue_assignments_viewed"),
    "field.worklist": Read("worklist_viewed"),
    "field.assignment_detail": Read("assignment_viewed", "assignments"),
    "devices.index": Read("devices_viewed"),
    "admin.users": Read("users_viewed"),
    "admin.user": Read("user_viewed", "users"),
    "audit.events": Read("audit_viewed"),
}

# These record their own event, with what they showed (diligence_viewed, report_exported, …).
AUDITED_IN_VIEW = frozenset({
    "diligences.detail", "diligences.export_csv", "diligences.export_geojson",
    "actas.acta_pdf", "actas.verify", "audit.export_csv",
    "reports.productivity_csv", "reports.sectors_csv", "reports.overdue_csv",
    "reports.deadlines_csv", "reports.prescription_csv", "reports.status_changes_csv",
    "reports.recovery_csv", "estrados.agreement_pdf_file",
})

# Pages and files without personal data: forms, shells of the offline app (their data comes
# through the device API, whose pulls are kept as the phone's last contact), settings.
NO_PERSONAL_DATA = frozenset({
    "auth.index", "auth.login", "auth.change_password", "admin.home", "admin.new_user",
    "capture.home", "capture.diligence", "capture.favicon", "capture.logout", "capture.manifest",
    "capture.offline",
    "capture.service_worker", "devices.enroll", "diligences.map_page", "health.health",
    "imports.template", "imports.upload", "legal.calendar", "legal.enablements",
    "legal.parameters",
    "sync.openapi", "sync.pull", "offices.office", "offices.new_sector", "offices.sector",
})


def audit_read(response: Response) -> Response:
    """After-request hook: one audit event per successful read of personal data."""
    read = PERSONAL_DATA_READS.get(request.endpoint or "")
    if read is None or request.method != "GET" or not 200 <= response.status_code < 300:
        return response
    user = current_user()
    if user is None:
        return response
    values = list((request.view_args or {}).values())
    record(read.action, actor=user, object_type=read.object_type,
           object_id=values[0] if values and read.object_type else None,
           endpoint=request.endpoint, params=request.args.to_dict())
    return response
