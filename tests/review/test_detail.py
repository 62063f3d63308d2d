"""One diligence's page: photos, signature, GPS against the address on file, the two clocks,
the hash chain, whether the stored record matches its hash, findings with rule ids and
reasons, flags, the facts in Spanish, versions; every view audited; other offices get 404."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from fieldapp.audit.models import AuditEvent
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.review.facts import WARNING_REASON, citatorio_at_registration_address, late_citatorio


def page_of(client, diligence) -> str:
    response = client.get(f"/diligencias/{diligence.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_the_page_shows_photos_signature_and_where_the_phone_was(head, desk):
    address = desk.workers["notifier"].assignments["centro"].document.address
    address.latitude, address.longitude = 20.6767, -103.3475
    db.session.commit()
    diligence = desk.push(gps={"latitude": 20.6797, "longitude": -103.3475, "accuracy_m": 12.0,
                               "fix_at": "2026-03-10T17:56:02.250Z"})
    html = page_of(head, diligence)
    facade, signature = diligence.media
    # Thumbnails, each a link to the full-size original.
    for m in (facade, signature):
        assert (f'href="/evidencias/{m.sha256}"' in html
                and f'src="/evidencias/{m.sha256}/miniatura"' in html)
    assert "Fachada" in html and "Firma" in html
    assert "20.679700, -103.347500" in html and "± 12 m" in html
    # 0.003° of latitude is about 332 m (geodesic, WGS-84).
    distance = re.search(r'id="gps-distance">\s*(\d+) m', html)
    assert distance is not None and 325 <= int(distance.group(1)) <= 340
    assert "más que la precisión de la lectura" in html
    with head.get(f"/evidencias/{facade.sha256}") as original:
        assert original.status_code == 200 and original.mimetype == "image/jpeg"
    with head.get(f"/evidencias/{facade.sha256}/miniatura") as thumbnail:
        assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"


def test_missing_files_and_a_record_without_gps_say_so(head, desk):
    diligence = desk.push(upload=False, without_gps=True)
    html = page_of(head, diligence)
    assert html.count("Aún no se recibe el archivo") == 2
    assert "Faltan fotografías o firmas por recibir" in html
    assert "El registro no trae posición GPS." in html


def test_the_page_shows_both_clocks_and_a_drifting_phone(head, desk):
    from datetime import UTC, datetime, timedelta

    from fieldapp.diligences.records import format_timestamp

    worker = desk.workers["notifier"]
    from tests.sync.helpers import make_record

    record = make_record(worker.assignments["centro"].id, previous_hash=worker.last_hash)
    slow_clock = format_timestamp(datetime.now(UTC) - timedelta(minutes=42))
    assert worker.phone.push_ok([record], device_time=slow_clock)["results"][0]["status"] == "accepted"
    diligence = db.session.get(Diligence, record["id"])
    html = page_of(head, diligence)
    assert "Hora del teléfono" in html and "Recibida en el servidor" in html
    assert re.search(r"−42 min( \d+ s)? respecto al servidor", html)
    assert "tolerancia ±5 min" in html
    assert "Reloj desfasado" in html and "La hora del teléfono difería de la del servidor" in html


def test_findings_show_their_rule_ids_and_the_field_users_reasons(head, desk):
    warned = desk.push(facts=citatorio_at_registration_address(), warning_reasons=WARNING_REASON)
    html = page_of(head, warned)
    assert "<code>R-NOT-2</code>" in html and "Advertencia" in html
    assert "registro patronal" in html and WARNING_REASON["R-NOT-2"] in html
    assert "El motor legal encontró advertencias" in html
    blocked = desk.push(facts=late_citatorio())
    html = page_of(head, blocked)
    assert "<code>R-CAL-3</code>" in html and "Impedimento" in html
    assert "fuera del horario hábil" in html
    clean = desk.push()
    assert "El servidor no encontró impedimentos ni advertencias." in page_of(head, clean)


def test_the_facts_of_the_acta_read_in_spanish(head, desk):
    html = page_of(head, desk.push())
    for text in ("Hechos del acta", "Pedro Ruiz Soto", "Empleado(a)", "Encargado de recepción",
                 "Credencial para votar (INE) número RUSP9002", "Salió a una junta fuera de la oficina",
                 # The acta's own sentences (fieldapp/diligences/narrative.py), then its values.
                 "Se cercioró de que es el domicilio buscado por placa con el nombre de la calle, "
                 "número exterior visible y fotografía de la fachada",
                 "La diligencia se entendió con Pedro Ruiz Soto, en su carácter de empleado(a)",
                 "Domicilio fiscal", "Persona moral", "NOT-0042", "Titular de la Subdelegación Centro",
                 "10 de marzo de 2026, 12:00 horas", "11 de marzo de 2026, 12:00 horas",
                 "Se entregó copia del documento"):
        assert text in html, text
    assert "addressee_asked" not in html and "legal_representative" not in html


def test_hash_and_chain_status_and_a_tampered_record(head, desk):
    first = desk.push()
    second = desk.push()
    html = page_of(head, second)
    assert "El registro guardado coincide con su huella digital." in html
    assert "Cadena íntegra" in html
    assert second.content_hash[:16] in html and first.content_hash[:16] in html
    # Someone edits the stored facts behind the app's back: the page must say so.
    content = dict(second.content)
    content["facts"] = {**content["facts"], "absence_reason": "Otro motivo"}
    db.session.execute(update(Diligence).where(Diligence.id == second.id).values(content=content))
    db.session.commit()
    html = page_of(head, db.session.get(Diligence, second.id))
    assert "NO coincide con su huella digital" in html


def test_a_broken_chain_is_shown(head, desk):
    worker = desk.workers["notifier"]
    desk.push()
    worker.last_hash = None  # the phone starts a second chain (a reinstall, a restore)
    restarted = desk.push()
    html = page_of(head, restarted)
    assert "Cadena rota" in html


def test_every_view_is_audited(head, desk):
    diligence = desk.push()
    page_of(head, diligence)
    page_of(head, diligence)
    views = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "diligence_viewed", AuditEvent.object_id == diligence.id)))
    assert len(views) == 2
    assert {v.actor_id for v in views} == {desk.supervisor.id}
    assert {v.office_id for v in views} == {desk.office.id}
    assert views[0].object_type == "diligences"


def test_the_printable_acta_is_linked_when_its_route_exists(app, head, desk):
    diligence = desk.push()
    html = page_of(head, diligence)
    if "actas.acta_pdf" in app.view_functions:
        assert f'href="/diligencias/{diligence.id}/acta.pdf"' in html
    else:
        assert "El acta imprimible aún no está disponible." in html


def test_a_page_without_the_acta_route_still_renders(app, head, desk):
    diligence = desk.push()
    app.view_functions.pop("actas.acta_pdf", None)
    html = page_of(head, diligence)
    assert "El acta imprimible aún no está disponible." in html


def test_another_office_gets_404(client, auth, desk, other_desk):
    ours = desk.push()
    auth.login("jefe-b")
    assert client.get(f"/diligencias/{ours.id}").status_code == 404
    assert client.get("/diligencias/no-existe").status_code == 404
    response = client.post(f"/diligencias/{ours.id}/decision", data={"action": "approved"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Diligence, ours.id).review_state == "received"
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_id == ours.id, AuditEvent.actor_id == other_desk.supervisor.id)).all()


def test_field_users_may_not_open_the_review_page(client, auth, desk):
    diligence = desk.push()
    auth.login("notifier-a")  # even the one who captured it: the review is the office's
    assert client.get(f"/diligencias/{diligence.id}").status_code == 403
    assert client.post(f"/diligencias/{diligence.id}/decision",
                       data={"action": "approved"}).status_code == 403


def test_an_embargo_reads_with_its_goods_witnesses_and_custodian(head, desk):
    from tests.seals.embargo import seizure_facts

    facts = seizure_facts(None, None)
    facts["seizure"]["items"][0].update(brand="Nissan", model="NP300", serial_number="3N6AD33A0LK",
                                        condition="Buen estado")
    facts["seizure"]["exempt_goods_noted"] = ["bed_and_clothing", "trade_tools"]
    html = page_of(head, desk.push("executor", kind="seizure", facts=facts))
    for text in ("Bienes embargados", "La persona con quien se entendió la diligencia",
                 "Vehículo (CFF 155 fr. III)", "Camioneta Nissan NP300 2020",
                 "Marca: Nissan", "3N6AD33A0LK", "Buen estado", "$250,000.00",
                 "Mobiliario y equipo de oficina", "Testigo 1", "Ana Torres Vela · No consta · firmó",
                 "María López Pérez (el propio deudor)", "El ejecutor", "Av. Juárez 100, bodega",
                 "$120,000.00", "No acreditó el pago",
                 "Bienes inembargables encontrados en el domicilio (CFF 157, R-PAE-6)",
                 "Lecho cotidiano y vestidos (CFF 157 I); Instrumentos y útiles indispensables "
                 "para el oficio (CFF 157 III)"):
        assert text in html, text
