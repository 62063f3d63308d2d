"""R-CAL-3 with the office's habilitaciones de días y horas inhábiles (CFF 13): recorded by an
office head, honoured by the business-hours rule of that office only, and without one the rule
blocks exactly as before."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.legal.checks import CheckParams, check_diligence
from fieldapp.legal.services import (
    LegalConfigError,
    calendar_for,
    field_pack_for,
    record_hours_enablement,
)
from fieldapp.web.formats import short_date

TUESDAY = date(2026, 3, 10)


def _hours_findings(office, day: date, at: time) -> list[tuple[str, str]]:
    cal = calendar_for(office, day)
    started = cal.at(day, at)
    facts = {"kind": "not_located", "started_at": started.isoformat(),
             "finished_at": (started + timedelta(minutes=10)).isoformat()}
    return [(f.severity, f.message) for f in check_diligence(facts, CheckParams(cal))
            if f.rule_id == "R-CAL-3"]


def _enable(office, actor, **overrides):  # type: ignore[no-untyped-def]
    values = dict(folio="HAB-7/2026", signer="Lic. Rosa Méndez", issued_on=TUESDAY - timedelta(days=1),
                  first_day=TUESDAY, last_day=TUESDAY + timedelta(days=4), hours_from=time(18, 0),
                  hours_to=time(22, 0), reason="Operativo nocturno de embargo")
    values.update(overrides)
    return record_hours_enablement(office, actor=actor, **values)


def test_without_a_habilitacion_the_rule_blocks_at_night_as_always(world):
    (severity, message), = _hours_findings(world["a"]["office"], TUESDAY, time(20, 0))
    assert severity == "block"
    assert "fuera del horario hábil de 07:30 a 18:00" in message
    assert "pida a su jefe de oficina que registre una habilitación" in message


def test_a_recorded_habilitacion_lets_the_act_go_and_the_finding_cites_its_folio(world):
    a = world["a"]
    _enable(a["office"], a["supervisor"])
    db.session.commit()
    (severity, message), = _hours_findings(a["office"], TUESDAY, time(20, 0))
    assert severity == "note"
    assert "bajo la habilitación HAB-7/2026" in message and "10/03/2026 a las 20:00" in message
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "hours_enablement_recorded")).one()


def test_the_habilitacion_covers_only_its_days_hours_and_office(world):
    a, b = world["a"], world["b"]
    _enable(a["office"], a["supervisor"])
    db.session.commit()
    assert _hours_findings(a["office"], TUESDAY, time(22, 30))[0][0] == "block"  # after its hours
    assert _hours_findings(a["office"], TUESDAY + timedelta(days=5), time(20, 0))[0][0] == "block"
    assert _hours_findings(b["office"], TUESDAY, time(20, 0))[0][0] == "block"  # other office
    assert _hours_findings(a["office"], TUESDAY, time(10, 0)) == []  # business hours: no finding


def test_the_phone_gets_the_habilitacion_in_its_legal_pack(world):
    a = world["a"]
    _enable(a["office"], a["supervisor"])
    db.session.commit()
    pack = field_pack_for(a["office"], TUESDAY - timedelta(days=3))
    assert pack["hour_enablements"] == [{"folio": "HAB-7/2026", "first_day": "2026-03-10",
                                         "last_day": "2026-03-14", "hours_from": "18:00",
                                         "hours_to": "22:00"}]
    assert field_pack_for(world["b"]["office"], TUESDAY)["hour_enablements"] == []


@pytest.mark.parametrize(("overrides", "message"), [
    ({"folio": " "}, "Escriba el folio"),
    ({"last_day": TUESDAY - timedelta(days=1)}, "El último día es anterior al primero."),
    ({"hours_to": time(17, 0)}, "La hora final es anterior a la inicial."),
    ({"issued_on": TUESDAY + timedelta(days=1)}, "debe expedirse antes"),
])
def test_an_incomplete_or_inconsistent_habilitacion_is_refused(world, overrides, message):
    a = world["a"]
    with pytest.raises(LegalConfigError, match=message):
        _enable(a["office"], a["supervisor"], **overrides)


def test_the_office_head_records_a_habilitacion_on_its_page(client, auth, world):
    a = world["a"]
    auth.login("jefe-a")
    page = client.get("/oficina/habilitaciones").get_data(as_text=True)
    assert "No hay habilitaciones registradas" in page and "07:30 a 18:00" in page
    form = {"folio": "HAB-7/2026", "signer": "Lic. Rosa Méndez", "issued_on": "2026-03-09",
            "first_day": "2026-03-10", "last_day": "2026-03-14", "hours_from": "18:00",
            "hours_to": "22:00", "reason": "Operativo nocturno de embargo"}
    refused = client.post("/oficina/habilitaciones", data={**form, "issued_on": "2026-03-11"})
    assert refused.status_code == 422
    assert "no puede ser posterior al primer día" in refused.get_data(as_text=True)
    assert client.post("/oficina/habilitaciones", data=form).status_code == 302
    listed = client.get("/oficina/habilitaciones").get_data(as_text=True)
    assert "HAB-7/2026" in listed and "18:00 a 22:00" in listed
    assert f"{short_date(TUESDAY)} al {short_date(TUESDAY + timedelta(days=4))}" in listed
    assert _hours_findings(a["office"], TUESDAY, time(20, 0))[0][0] == "note"
    auth.logout()
    auth.login("notificador-a")
    assert client.get("/oficina/habilitaciones").status_code in (302, 403)
