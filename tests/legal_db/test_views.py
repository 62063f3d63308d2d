"""The admin pages of the legal configuration and the office head's deadlines list: roles,
office isolation, audit, and the deadlines list as a page and as an htmx fragment."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.legal.models import LegalParameterSet, NonBusinessDay
from fieldapp.legal.services import add_non_business_days, calendar_for, parameters_for, record_notification
from fieldapp.offices.services import office_today

ADMIN_PAGES = [("GET", "/admin/calendario"), ("POST", "/admin/calendario"),
               ("GET", "/admin/parametros"), ("POST", "/admin/parametros"),
               ("POST", "/admin/parametros/fotos")]


def test_the_console_commands_are_registered():
    from fieldapp.cli import main as fieldapp_cli

    assert {"sweep-enforceable", "institute-days"} <= set(fieldapp_cli.commands)


@pytest.mark.parametrize("role", ["notifier", "executor", "supervisor"])
def test_admin_pages_refuse_other_roles(client, auth, world, role):
    username = {"notifier": "notificador-a", "executor": "ejecutor-a", "supervisor": "jefe-a"}[role]
    auth.login(username)
    for method, url in ADMIN_PAGES:
        assert client.open(url, method=method).status_code == 403, (role, method, url)


@pytest.mark.parametrize("username", ["notificador-a", "ejecutor-a"])
def test_deadlines_refuse_field_users(client, auth, world, username):
    auth.login(username)
    assert client.get("/oficina/plazos").status_code == 403
    assert client.post("/oficina/plazos/revisar").status_code == 403


def test_admin_adds_and_removes_a_day_and_it_applies_at_once(client, auth, world):
    a = world["a"]
    auth.login("admin-a")
    page = client.get("/admin/calendario?anio=2026")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Días inhábiles institucionales" in body
    assert "16 mar 2026" in body  # the statutory days are shown, read-only (R-CAL-1)

    response = client.post("/admin/calendario", data={"start": "2026-04-02", "end": "2026-04-03",
                                                      "description": "Semana Santa"})
    assert response.status_code == 302 and response.headers["Location"].endswith("anio=2026")
    assert not calendar_for(a["office"]).is_business_day(date(2026, 4, 2))
    rows = db.session.scalars(select(NonBusinessDay).order_by(NonBusinessDay.day)).all()
    assert [(r.day, r.office_id, r.created_by_id) for r in rows] == [
        (date(2026, 4, 2), a["office"].id, a["admin"].id), (date(2026, 4, 3), a["office"].id, a["admin"].id)]

    response = client.post(f"/admin/calendario/{rows[0].id}/retirar", data={"reason": "Error de captura"})
    assert response.status_code == 302
    db.session.expire_all()
    assert calendar_for(a["office"]).is_business_day(date(2026, 4, 2))
    body = client.get("/admin/calendario?anio=2026").get_data(as_text=True)
    assert "Historial" in body and "Error de captura" in body
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("non_business_day_%")).order_by(AuditEvent.id)).all()
    assert actions == ["non_business_day_added", "non_business_day_added", "non_business_day_removed"]


def test_admin_sees_errors_in_Spanish(client, auth, world):
    auth.login("admin-a")
    response = client.post("/admin/calendario", data={"start": "2026-04-04", "description": "Sábado"})
    assert response.status_code == 422
    assert "ya es inhábil" in response.get_data(as_text=True)
    response = client.post("/admin/calendario", data={"start": "", "description": ""})
    assert response.status_code == 422 and "Indique la fecha" in response.get_data(as_text=True)


def test_another_office_day_is_not_found(client, auth, world):
    b = world["b"]
    [row] = add_non_business_days(b["office"], date(2026, 4, 2), None, "Asueto de la oficina B",
                                  actor=b["admin"])
    [institute] = add_non_business_days(None, date(2026, 4, 3), None, "Viernes Santo", actor=None)
    db.session.commit()
    auth.login("admin-a")
    assert client.post(f"/admin/calendario/{row.id}/retirar", data={"reason": "x"}).status_code == 404
    assert client.post(f"/admin/calendario/{institute.id}/retirar", data={"reason": "x"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(NonBusinessDay, row.id).removed_at is None
    body = client.get("/admin/calendario?anio=2026").get_data(as_text=True)
    assert "Asueto de la oficina B" not in body  # office B's day is not listed for office A
    assert "Viernes Santo" in body and "Todo el Instituto" in body


def _parameters_form(**overrides):
    data = {
        "valid_from": "2099-01-04", "friday_rule": "y", "follow_up_tolerance_minutes": "10",
        "business_hours_start": "07:30", "business_hours_end": "18:00", "cost_base": "principal",
        "brackets-0-valid_from": "2023-01-01", "brackets-0-valid_to": "2025-12-31",
        "brackets-0-rate_percent": "2.00", "brackets-0-minimum": "560.00", "brackets-0-maximum": "86460.00",
        "brackets-1-valid_from": "2026-01-01", "brackets-1-valid_to": "",
        "brackets-1-rate_percent": "2", "brackets-1-minimum": "630.00", "brackets-1-maximum": "97880.00",
        "brackets-1-note": "La oficina debe confirmar",
        "brackets-2-valid_from": "", "brackets-2-rate_percent": "", "brackets-2-minimum": "",
        "brackets-2-maximum": "",
        "note": "Oficio 123/2099",
    }
    data.update(overrides)
    return data


def test_admin_saves_a_parameter_version(client, auth, world):
    a = world["a"]
    auth.login("admin-a")
    page = client.get("/admin/parametros").get_data(as_text=True)
    assert "Valores predeterminados del sistema" in page
    assert "Punto abierto" in page and "RACERF" in page  # R-CAL-6 open point, visible
    assert "$97,880.00" in page and "confirmar" in page  # R-PAE-3 2026 defaults with the note

    response = client.post("/admin/parametros", data=_parameters_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.session.scalars(select(LegalParameterSet)).one()
    assert (version.office_id, version.valid_from, version.follow_up_tolerance_minutes,
            version.cost_base, version.created_by_id) == (
        a["office"].id, date(2099, 1, 4), 10, "principal", a["admin"].id)
    assert [str(b.rate) for b in version.brackets] == ["0.02", "0.02"]
    assert parameters_for(a["office"], date(2099, 1, 4)).follow_up_tolerance_minutes == 10
    assert parameters_for(a["office"], office_today(a["office"])).follow_up_tolerance_minutes == 15
    page = client.get("/admin/parametros").get_data(as_text=True)
    assert "Versiones programadas" in page and "Oficio 123/2099" in page


def test_parameter_errors_are_shown_and_nothing_is_saved(client, auth, world):
    auth.login("admin-a")
    response = client.post("/admin/parametros", data=_parameters_form(valid_from="2020-01-01"))
    assert response.status_code == 422 and "anterior a hoy" in response.get_data(as_text=True)
    response = client.post("/admin/parametros", data=_parameters_form(**{"brackets-1-minimum": ""}))
    assert response.status_code == 422
    assert "Gastos de ejecución, fila 2, Mínimo ($): Indique el mínimo." in response.get_data(as_text=True)
    assert db.session.scalars(select(LegalParameterSet)).all() == []


def test_admin_sets_the_photo_size(client, auth, world):
    auth.login("admin-a")
    assert client.post("/admin/parametros/fotos", data={"photo_long_edge": "1024"}).status_code == 302
    db.session.expire_all()
    assert world["a"]["office"].photo_long_edge == 1024
    assert world["b"]["office"].photo_long_edge == 1600
    assert client.post("/admin/parametros/fotos", data={"photo_long_edge": "999"}).status_code == 422


def test_admin_home_links_to_the_legal_pages(client, auth, world):
    auth.login("admin-a")
    body = client.get("/admin/").get_data(as_text=True)
    assert "/admin/calendario" in body and "/admin/parametros" in body


# Deadlines list --------------------------------------------------------------------------------


@pytest.fixture
def deadlines_world(world, factory):
    """Office A: one credit past its deadline, one due within days, one far away; office B: one
    past its deadline. Dates relative to today so the page (which uses today) sees them."""
    a = world["a"]
    today = office_today(a["office"])
    cal = calendar_for(a["office"])
    made = {}
    for key, side, notified_on in (
        ("past", "a", cal.add_business_days(today - _days(60), 0)),
        ("near", "a", today - _days(18)),
        ("far", "a", today),
        ("other", "b", today - _days(60)),
    ):
        credit = factory.credit(world[side]["debtor"], credit_number=f"CR-{key}")
        record_notification(credit, notified_on, actor=None, source="test")
        made[key] = credit
    db.session.commit()
    return made


def _days(n):
    from datetime import timedelta

    return timedelta(days=n)


def test_deadlines_page_and_fragment(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    page = client.get("/oficina/plazos?ventana=todos&dias=30")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in body and "Plazos de pago" in body
    assert "HX-Request" in page.headers["Vary"]
    for key in ("past", "near", "far"):
        assert f"CR-{key}" in body
    assert "CR-other" not in body  # office isolation
    assert body.index("CR-past") < body.index("CR-near") < body.index("CR-far")  # by deadline

    fragment = client.get("/oficina/plazos?ventana=vencidos", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and 'id="deadline-rows"' in text
    assert "CR-past" in text and "CR-near" not in text and "CR-far" not in text
    assert "Vencido hace" in text and "Declarar exigible" in text


def test_deadlines_filters_near_window(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    body = client.get("/oficina/plazos?ventana=proximos&dias=30", headers={"HX-Request": "true"}
                      ).get_data(as_text=True)
    assert "CR-near" in body and "CR-past" not in body
    near_deadline = deadlines_world["near"].payment_deadline
    left = sum(1 for n in range(1, 40)
               if calendar_for(world["a"]["office"]).add_business_days(office_today(world["a"]["office"]), n)
               <= near_deadline)
    assert (f"Faltan {left} días hábiles" in body) or (left == 1 and "Falta 1 día hábil" in body) or (
        left == 0 and "Vence hoy" in body)


def test_deadlines_default_hides_far_deadlines(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    body = client.get("/oficina/plazos").get_data(as_text=True)
    assert "CR-past" in body and "CR-far" not in body


def test_office_head_declares_a_credit_enforceable_from_the_row(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    past = deadlines_world["past"]
    response = client.post(f"/oficina/plazos/{past.id}/exigible", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and f'id="credit-{past.id}"' in body
    db.session.expire_all()
    assert past.status == "enforceable"
    assert "Exigible" in body


def test_R_DL_2_refusal_is_shown_in_the_row_and_nothing_changes(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    near = deadlines_world["near"]
    response = client.post(f"/oficina/plazos/{near.id}/exigible")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in body
    assert "No se declaró exigible (R-DL-2)" in body and "aún no puede requerirse" in body
    db.session.expire_all()
    assert near.status == "notified"


def test_another_office_credit_is_not_found(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    other = deadlines_world["other"]
    assert client.post(f"/oficina/plazos/{other.id}/exigible").status_code == 404
    db.session.expire_all()
    assert other.status == "notified"


def test_sweep_from_the_page(client, auth, world, deadlines_world):
    auth.login("jefe-a")
    response = client.post("/oficina/plazos/revisar", follow_redirects=True)
    assert "1 crédito(s) declarado(s) exigible(s)" in response.get_data(as_text=True)
    db.session.expire_all()
    assert deadlines_world["past"].status == "enforceable"
    assert deadlines_world["near"].status == "notified"
    assert deadlines_world["other"].status == "notified"  # office B untouched


def test_office_home_links_to_the_deadlines(client, auth, world):
    auth.login("jefe-a")
    assert "/oficina/plazos" in client.get("/oficina/").get_data(as_text=True)


def test_a_refused_day_says_why_once(client, auth, world):
    """Issue 15: the calendar's error (a form-level one, from the service) appeared twice, the
    second time under an empty label; a field's error keeps its label."""
    auth.login("admin-a")
    response = client.post("/admin/calendario", data={"start": "2026-04-03", "end": "2026-04-02",
                                                      "description": "Semana Santa"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.count("La fecha final es anterior a la inicial.") == 1, body
    assert "<li>: " not in body

    response = client.post("/admin/calendario", data={"start": "2026-04-03", "description": ""})
    body = response.get_data(as_text=True)
    assert body.count("Escriba el motivo") == 1
    assert "Motivo: Escriba el motivo" in body


def test_admin_sets_the_gps_limits_and_the_phone_gets_them(client, auth, world):
    """R-GPS-1 and R-GPS-2 limits are versioned parameters, shown in es-MX, sent in the pack."""
    from fieldapp.legal.services import field_pack_for

    auth.login("admin-a")
    page = client.get("/admin/parametros").get_data(as_text=True)
    assert "1.0 km" in page and "±100 m" in page  # the defaults
    refused = client.post("/admin/parametros", data=_parameters_form(gps_max_accuracy_m="0"))
    assert refused.status_code == 422 and "Entre 1 y 1,000 metros." in refused.get_data(as_text=True)
    response = client.post("/admin/parametros", data=_parameters_form(
        gps_warn_distance_m="2500", gps_max_accuracy_m="50"))
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.session.scalars(select(LegalParameterSet)).one()
    assert (version.gps_warn_distance_m, version.gps_max_accuracy_m) == (2500, 50)
    pack = field_pack_for(world["a"]["office"], date(2099, 1, 4))
    assert (pack["gps_warn_distance_m"], pack["gps_max_accuracy_m"]) == (2500, 50)
