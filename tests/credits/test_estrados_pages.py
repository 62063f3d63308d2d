"""The office head's estrados screens: the queue, the case page and its forms, the acuerdo PDF;
office isolation; bad dates answered in Spanish with nothing saved."""

from __future__ import annotations

import subprocess
from datetime import date

from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.credits.models import EstradosCase
from fieldapp.extensions import db
from tests.credits.test_estrados import approved, cases_of, refused_on


def _pdf_text(data: bytes, tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "acuerdo.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return " ".join(text.split())  # one line: a phrase may wrap anywhere


def test_the_office_head_walks_a_case_from_the_queue_to_the_notification(desk, head, tmp_path):
    approved(desk, kind="notification", facts=refused_on("2026-03-10"))
    [case] = cases_of(desk)
    debtor = case.document.debtor.legal_name
    queue = head.get("/oficina/estrados/").get_data(as_text=True)
    assert debtor in queue and "Negativa a recibir" in queue
    assert f"/diligencias/{case.diligence_id}" in queue
    page = head.get(f"/oficina/estrados/{case.id}")
    assert page.status_code == 200 and "Emitir el acuerdo" in page.get_data(as_text=True)
    assert list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "estrados_cases", AuditEvent.object_id == str(case.id),
        AuditEvent.action.like("%viewed")))) == ["estrados_case_viewed"]  # once, by the hook

    bad = head.post(f"/oficina/estrados/{case.id}/acuerdo",
                    data={"number": "AC-7", "agreed_on": "2026-03-09"})
    assert bad.status_code == 422
    assert "no puede ser anterior a la diligencia que lo motiva (10 de marzo de 2026)" in \
        bad.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EstradosCase, case.id).agreement_number is None

    ok = head.post(f"/oficina/estrados/{case.id}/acuerdo",
                   data={"number": "AC-7/2026", "agreed_on": "2026-03-11"})
    assert ok.status_code == 302, ok.get_data(as_text=True)
    pdf = head.get(f"/oficina/estrados/{case.id}/acuerdo.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    text = _pdf_text(pdf.data, tmp_path)
    assert "AC-7/2026" in text and debtor in text and "134, fracción III" in text
    assert "11 de marzo de 2026" in text and "se negó a recibirlo" in text

    holiday = head.post(f"/oficina/estrados/{case.id}/publicacion",
                        data={"posted_on": "2026-03-12", "published_on": "2026-03-16"})
    assert holiday.status_code == 422
    assert "es día inhábil en el calendario de la subdelegación" in holiday.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(EstradosCase, case.id).published_on is None

    head.post(f"/oficina/estrados/{case.id}/publicacion",
              data={"posted_on": "2026-03-12", "published_on": "2026-03-12"})
    page = head.get(f"/oficina/estrados/{case.id}").get_data(as_text=True)
    assert "30 de marzo de 2026" in page  # the R-NOT-12 date, shown before the retiro
    done = head.post(f"/oficina/estrados/{case.id}/retiro", data={"retired_on": "2026-03-30"})
    assert done.status_code == 302
    db.session.expire_all()
    case = db.session.get(EstradosCase, case.id)
    [credit] = case.document.credits
    assert (case.state, credit.notified_on, credit.payment_deadline) == (
        "notified", date(2026, 3, 30), date(2026, 4, 21))
    notified = head.get("/oficina/estrados/?estado=notificado").get_data(as_text=True)
    assert debtor in notified
    credit_page = head.get(f"/oficina/creditos/{credit.id}").get_data(as_text=True)
    assert f"/oficina/estrados/{case.id}" in credit_page


def test_an_office_sees_only_its_own_cases(desk, other_desk, head):
    approved(other_desk, kind="notification", facts=refused_on("2026-03-10"))
    [theirs] = cases_of(other_desk)
    theirs_name = theirs.document.debtor.legal_name
    assert theirs_name not in head.get("/oficina/estrados/").get_data(as_text=True)
    assert head.get(f"/oficina/estrados/{theirs.id}").status_code == 404
    assert head.get(f"/oficina/estrados/{theirs.id}/acuerdo.pdf").status_code == 404
    response = head.post(f"/oficina/estrados/{theirs.id}/acuerdo",
                         data={"number": "X-1", "agreed_on": "2026-03-11"})
    assert response.status_code == 404
    assert db.session.scalar(select(EstradosCase.agreement_number).where(
        EstradosCase.id == theirs.id)) is None


def test_field_users_cannot_open_the_estrados_screen(desk, client, auth):
    auth.login("notifier-a")
    assert client.get("/oficina/estrados/").status_code in (302, 403, 404)
