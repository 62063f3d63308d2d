"""The situations CSV: checked whole before writing, bad rows listed with their line, a
re-import changes nothing, a later file may end a situation (issue 12)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from fieldapp.credits.commands import import_situations_command
from fieldapp.credits.models import CreditSituation
from fieldapp.extensions import db
from fieldapp.legal.services import enforcement_refusals
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from tests.credits.conftest import AFTER_DEADLINE, credit_of, notification_on


def _office_today(credit) -> date:  # type: ignore[no-untyped-def]
    """The office's own date: at 00:30 UTC it is still yesterday in Mexico."""
    return office_today(db.session.get(Office, credit.office_id))


HEADER = ("oficina,numero_credito,tipo,subtipo,fecha_inicio,fecha_fin,importe,referencia,"
          "documento_origen,motivo_fin\n")


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CreditSituation)) or 0


def _write(tmp_path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "situaciones.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_a_file_with_bad_rows_imports_nothing_and_lists_each(desk, runner, tmp_path):
    code = desk.office.code
    credit = credit_of(desk)
    path = _write(tmp_path, (
        f"{code},{credit.credit_number},suspension,convenio,2026-04-01,,,CONV-1,Convenio 1/2026,\n"
        f"{code},999999999,garantia,fianza,2026-04-01,,,FZ-1,Póliza 1,\n"
        f"{code},{credit.credit_number},pago,total,2026-04-01,,,REC-1,Recibo,\n"
        f"{code},{credit.credit_number},aclaracion,presentada,2026-13-01,,,ACL-1,Escrito,\n"
        f"9999,{credit.credit_number},cancelacion,cancelacion,2026-04-01,,,C-1,Oficio,\n"))
    result = runner.invoke(import_situations_command, [str(path)])
    assert result.exit_code == 1
    assert "línea 3: el crédito «999999999» no existe" in result.output
    assert "línea 4: Un pago lleva su importe" in result.output
    assert "línea 5: fecha_inicio no es una fecha" in result.output
    assert "línea 6: oficina desconocida" in result.output
    assert "línea 2" not in result.output
    assert "4 filas con errores" in result.output
    assert _count() == 0


def test_import_closes_the_gate_a_reimport_changes_nothing_and_a_later_file_ends_it(
        desk, runner, tmp_path):
    code = desk.office.code
    desk.push(kind="notification", facts=notification_on("2026-03-10"))
    credit = credit_of(desk)
    row = (f"{code},{credit.credit_number},suspension,recurso,2026-04-01,,,RI-5/2026,"
           "Recurso de inconformidad 5/2026,\n")
    first = runner.invoke(import_situations_command, [str(_write(tmp_path, row))])
    assert first.exit_code == 0, first.output
    assert "1 situaciones nuevas" in first.output
    db.session.expire_all()
    assert any("suspendido" in r for r in enforcement_refusals(credit, AFTER_DEADLINE))
    again = runner.invoke(import_situations_command, [str(_write(tmp_path, row))])
    assert "0 situaciones nuevas, 0 terminadas, 1 sin cambios" in again.output
    assert _count() == 1
    changed = row.replace("Recurso de inconformidad 5/2026", "Otro documento")
    refused = runner.invoke(import_situations_command, [str(_write(tmp_path, changed))])
    assert refused.exit_code == 1 and "ya está registrada con otros datos" in refused.output
    ended = row.replace(",,,RI-5", f",{_office_today(credit).isoformat()},,RI-5").replace(
        "2026,\n", "2026,Resolución favorable al Instituto\n")
    last = runner.invoke(import_situations_command, [str(_write(tmp_path, ended))])
    assert last.exit_code == 0, last.output
    assert "1 terminadas" in last.output
    db.session.expire_all()
    situation = db.session.scalar(select(CreditSituation))
    assert situation.ends_on == _office_today(credit) and situation.source == "import"
    assert situation.end_reason == "Resolución favorable al Instituto"
    assert not any("suspendido" in r for r in enforcement_refusals(credit, _office_today(credit)))
