"""Every read of personal data is an audit event; office heads and admins read the log (filters,
CSV), which stays append-only."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from fieldapp.assignments.models import Assignment
from fieldapp.audit.labels import ACTION_LABELS
from fieldapp.audit.models import AuditEvent
from fieldapp.audit.reads import AUDITED_IN_VIEW, NO_PERSONAL_DATA, PERSONAL_DATA_READS
from fieldapp.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def test_every_get_endpoint_is_classified_for_the_audit(app):
    """A new page must say whether it shows personal data: audited by the hook, audited by
    the view itself, or none."""
    declared = set(PERSONAL_DATA_READS) | AUDITED_IN_VIEW | NO_PERSONAL_DATA
    endpoints = {r.endpoint for r in app.url_map.iter_rules()
                 if "GET" in r.methods and r.endpoint != "static"}
    assert sorted(endpoints - declared) == []
    assert sorted(declared - endpoints) == []  # nothing stale either
    assert not set(PERSONAL_DATA_READS) & (AUDITED_IN_VIEW | NO_PERSONAL_DATA)


def test_every_recorded_action_has_a_spanish_label():
    """The viewer never shows an internal key: every action the code records is labelled."""
    source = "\n".join(p.read_text() for p in (ROOT / "fieldapp").rglob("*.py"))
    source += "\n".join(p.read_text() for p in (ROOT / "sync").rglob("*.py"))
    actions = set(re.findall(r'record\(\s*"([a-z_]+)"', source))
    actions |= {read.action for read in PERSONAL_DATA_READS.values()}
    assert actions, "no actions found"
    assert sorted(actions - set(ACTION_LABELS)) == []


@pytest.fixture
def office_people(factory):  # type: ignore[no-untyped-def]
    office = factory.office()
    supervisor = factory.user(office, role="supervisor", username="jefa1", full_name="Julia Jefa")
    notifier = factory.user(office, role="notifier", username="noti1", full_name="Néstor Noti")
    document = factory.portfolio_item(office, notifier)
    return office, supervisor, notifier, document


@pytest.mark.parametrize(("url", "action"), [
    ("/oficina/deposito/", "depository_viewed"),
    ("/oficina/sellos/", "seals_viewed"),
    ("/oficina/informes/productividad", "report_viewed"),
    ("/oficina/documentos", "documents_listed"),
    ("/diligencias/", "diligences_listed"),
    ("/dispositivos/", "devices_viewed"),
])
def test_office_pages_with_personal_data_are_audited(client, auth, office_people, url, action):
    _, supervisor, _, _ = office_people
    auth.login("jefa1")
    before = len(_events(action))
    response = client.get(url + "?desde=2026-01-01" if "informes" in url else url)
    assert response.status_code == 200
    events = _events(action)
    assert len(events) == before + 1
    assert events[-1].actor_id == supervisor.id and events[-1].office_id == supervisor.office_id


def test_a_field_users_assignment_is_audited_with_its_id(client, auth, office_people):
    _, _, notifier, document = office_people
    assignment_id = db.session.scalar(select(Assignment.id).where(Assignment.document_id == document.id))
    auth.login("noti1")
    assert client.get("/campo/").status_code == 200
    assert _events("worklist_viewed")[-1].actor_id == notifier.id
    assert client.get(f"/campo/asignaciones/{assignment_id}").status_code == 200
    assert _events("assignment_viewed")[-1].object_id == str(assignment_id)


def test_a_refused_or_missing_page_is_not_a_read(client, auth, office_people):
    auth.login("noti1")
    assert client.get("/oficina/deposito/").status_code == 403
    assert client.get("/campo/asignaciones/999999").status_code == 404
    assert _events("depository_viewed") == [] and _events("assignment_viewed") == []


def _rows(page: str) -> str:
    """The events table alone (the page around it holds static URLs, whose digest has digits)."""
    return page.split('id="audit-rows"')[1].split("</section>")[0]


def test_the_viewer_filters_by_who_what_when_and_record(client, auth, factory, office_people):
    _, supervisor, notifier, _ = office_people
    other_office_user = factory.user(factory.office(), role="supervisor", username="ajena")
    auth.login("noti1")
    auth.logout()
    auth.login("ajena")
    auth.logout()
    auth.login("jefa1")
    page = client.get(f"/auditoria/?usuario={notifier.id}").get_data(as_text=True)
    assert "Entró al sistema" in page and "Salió del sistema" in page
    assert "Julia Jefa" not in _rows(page)
    page = client.get("/auditoria/?accion=logout").get_data(as_text=True)
    rows = _rows(page)
    assert "Salió del sistema" in rows and "Entró al sistema" not in rows
    # Another office's events never show.
    assert f'<td class="small">{other_office_user.id}</td>' not in rows and "ajena" not in rows
    page = client.get("/auditoria/?desde=2000-01-01&hasta=2000-01-31").get_data(as_text=True)
    assert "No hay eventos con este filtro." in page
    page = client.get(f"/auditoria/?registro={notifier.id}&accion=login").get_data(as_text=True)
    assert "Entró al sistema" in page
    assert client.get("/auditoria/?desde=ayer").status_code == 400
    assert client.get("/auditoria/?accion=borrar_todo").status_code == 400
    # As a fragment for htmx, the same rows.
    fragment = client.get("/auditoria/?accion=logout", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).startswith('<section id="audit-rows">')
    assert _events("audit_viewed")[-1].actor_id == supervisor.id


def test_the_csv_export_has_the_filtered_events_and_is_itself_audited(client, auth, office_people):
    _, supervisor, notifier, _ = office_people
    auth.login("noti1")
    auth.logout()
    auth.login("jefa1")
    response = client.get(f"/auditoria/export.csv?usuario={notifier.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:4] == ["fecha_hora_local", "usuario", "nombre", "accion"]
    assert {r[3] for r in rows[1:]} == {"Entró al sistema", "Salió del sistema"}
    assert {r[1] for r in rows[1:]} == {"noti1"}
    assert _events("audit_exported")[-1].actor_id == supervisor.id


def test_the_log_stays_append_only(app, client, auth, office_people):
    auth.login("jefa1")
    count = db.session.scalar(select(func.count(AuditEvent.id)))
    assert count
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == count


def test_field_users_cannot_read_the_log(client, auth, office_people):
    auth.login("noti1")
    assert client.get("/auditoria/").status_code == 403
    assert client.get("/auditoria/export.csv").status_code == 403
