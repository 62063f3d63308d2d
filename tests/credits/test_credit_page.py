"""/oficina/creditos/<id>: the credit's legal life on one page, for its office only."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.models import CreditSituation
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.legal.services import make_enforceable
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from tests.credits.conftest import AFTER_DEADLINE, credit_of, notification_on


def _office_today(credit) -> date:  # type: ignore[no-untyped-def]
    """The office's own date: at 00:30 UTC it is still yesterday in Mexico."""
    return office_today(db.session.get(Office, credit.office_id))


def test_the_page_shows_a_void_notification_and_an_open_alert(desk, head):
    credit = credit_of(desk)
    notification = desk.push(kind="notification", facts=notification_on("2026-03-10"))
    make_enforceable(credit, AFTER_DEADLINE, actor=desk.supervisor)
    decide(notification, "rejected", actor=desk.supervisor, reason="Acta sin firma del notificador")
    db.session.commit()
    page = head.get(f"/oficina/creditos/{credit.id}").get_data(as_text=True)
    assert f"Crédito {credit.credit_number}" in page
    assert "Sin efecto desde" in page and "Acta sin firma del notificador" in page
    assert "Notificación anulada con actos que dependían de ella" in page
    assert "Exigible" in page
    listing = head.get("/oficina/creditos/").get_data(as_text=True)
    assert f"Crédito {credit.credit_number}</a>" in listing
    response = head.post(f"/oficina/creditos/{credit.id}/alertas/"
                         f"{_flag_id(head, credit)}",
                         data={"action": "recompute", "reason": "Se notificará de nuevo"})
    assert response.status_code == 302
    db.session.expire_all()
    assert credit.status == "to_notify"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "credit_viewed",
                                                      AuditEvent.object_id == str(credit.id)))


def test_a_situation_recorded_on_the_page_closes_the_gate_and_its_end_reopens_it(desk, head):
    credit = credit_of(desk)
    desk.push(kind="notification", facts=notification_on("2026-03-10"))
    db.session.commit()
    today = _office_today(credit)
    bad = head.post(f"/oficina/creditos/{credit.id}/situaciones",
                    data={"kind": "payment:partial", "starts_on": today.isoformat(),
                          "reference": "REC-1", "source_document": "Recibo"})
    assert bad.status_code == 422
    assert "Un pago lleva su importe" in bad.get_data(as_text=True)
    ok = head.post(f"/oficina/creditos/{credit.id}/situaciones",
                   data={"kind": "suspension:instalments", "starts_on": "2026-04-01",
                         "reference": "CONV-88/2026",
                         "source_document": "Convenio de pago en parcialidades 88/2026"})
    assert ok.status_code == 302, ok.get_data(as_text=True)
    page = head.get(f"/oficina/creditos/{credit.id}").get_data(as_text=True)
    assert "Convenio de pago en parcialidades 88/2026 (ref. CONV-88/2026" in page
    situation = db.session.scalar(select(CreditSituation).where(CreditSituation.credit_id == credit.id))
    ended = head.post(f"/oficina/creditos/{credit.id}/situaciones/{situation.id}/fin",
                      data={"ends_on": today.isoformat(), "reason": "Convenio incumplido, oficio 12"})
    assert ended.status_code == 302
    page = head.get(f"/oficina/creditos/{credit.id}").get_data(as_text=True)
    assert "Puede requerirse" in page and "Convenio incumplido, oficio 12" in page


def test_another_office_gets_404(desk, head, factory):
    other = factory.office()
    debtor = factory.debtor(other)
    credit = factory.credit(debtor)
    assert head.get(f"/oficina/creditos/{credit.id}").status_code == 404


def _flag_id(client, credit) -> int:  # type: ignore[no-untyped-def]
    page = client.get(f"/oficina/creditos/{credit.id}").get_data(as_text=True)
    return int(re.search(r"/alertas/(\d+)", page).group(1))
