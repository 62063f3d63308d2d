"""Every kind of acta, from a record pushed through the sync API: the PDF carries the fields
legal-rules.md requires (read back with pdftotext), its QR code (read with OpenCV from the
rasterised page) opens the public verification page, which says the record matches, and says
it does not once the stored record is altered in the database."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import cv2
import numpy as np
import pytest
from sqlalchemy import update

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from tests.actas.conftest import CASES, Office1, push_case
from tests.live import SCREENSHOTS

DPI = 200

# What each acta must show, beyond the common heading (legal-rules.md, per act).
COMMON = [
    "INSTITUTO MEXICANO DEL SEGURO SOCIAL", "Departamento de Cobranza",
    "Av. Juárez 100, Col. Centro, Guadalajara, Jal.", "Domicilio fiscal",  # R-NOT-2
    "Placa con el nombre de la calle, número exterior visible",  # R-NOT-8 address verification
    "de marzo de 2026", "horas", "America/Mexico_City",  # R-NOT-8 time, office time zone
    "Juan Pérez Gómez", "Titular de la Subdelegación Centro",  # R-NOT-8 field user
    "5 de enero de 2026", "31 de diciembre de 2026",  # credential issued, valid until
    "Anexo: evidencia fotográfica", "Revisión legal al recibir el registro",
]
BY_CASE = {
    "citatorio": ["CITATORIO", "Pedro Ruiz Soto", "Empleado(a)", "Encargado de recepción",
                  "Credencial para votar (INE) número RUSP9002",  # R-NOT-8 identity
                  "Salió a una junta fuera de la oficina",  # why absent, and who said so
                  "11 de marzo de 2026, 12:00 horas",  # R-NOT-3 appointment
                  "10 de marzo de 2026, 12:00 horas", "NOT-0042",
                  "Se entregó copia del documento"],
    "posting_record": ["CONSTANCIA DE FIJACIÓN DE CITATORIO", "Nadie atendió en el domicilio",
                       "11 de marzo de 2026, 12:00 horas", "Citatorio fijado",  # R-NOT-4
                       "Posición GPS", "20.676712"],
    "notification": ["ACTA DE NOTIFICACIÓN", "María López Pérez", "Representante legal",
                     "Escritura 45210", "Notario 12 de Guadalajara",  # R-NOT-8 representation
                     "20 de mayo de 2019", "LOPM800101", "Se preguntó por el representante legal"],
    "notification_follow_up": ["ACTA DE NOTIFICACIÓN", "Citatorio previo",  # R-NOT-5
                               "10 de marzo de 2026, 12:00 horas",
                               "11 de marzo de 2026, 12:00 horas", "Pedro Ruiz Soto",
                               "R-NOT-5 · Advertencia", "20 minutos después",
                               "Motivo registrado por quien actúa: Tráfico por cierre de Av. Vallarta"],
    "not_located": ["ACTA DE NO LOCALIZACIÓN", "El destinatario se mudó",  # R-NOT-10
                    "Rosa Díaz Muñoz (vecina del 102)", "Se mudaron hace seis meses",
                    "Local vacío con letrero «Se renta»"],
    "payment_demand": ["ACTA DE REQUERIMIENTO DE PAGO", "EJE-0007", "CFF 152; RCFF 97",  # R-PAE-2
                       "Importe requerido", "No acreditó el pago",  # R-PAE-1
                       "No se encontraron bienes embargables",
                       "Gastos de ejecución", "$630.00"],  # R-PAE-3: 2 % of $13,260.35 < minimum
    "seizure": ["ACTA DE REQUERIMIENTO DE PAGO Y EMBARGO", "EJE-0007",
                "Vehículo (CFF 155 fr. III)", "Camioneta de redilas — blanca",  # R-PAE-4
                "Marca: Nissan; Modelo: NP300 2020; Serie: 3N6AD33A0LK", "Buen estado, 48,000 km",
                "Bien embargado (bien 1)", "Bien embargado (bien 3)",
                "$250,000.00", "Escritorios de madera y sillas", "Equipo electrónico",
                "Bienes inembargables no embargados", "Cama y ropero del encargado",  # R-PAE-6
                "CFF 157 II", "Refacciones Ñuñez SA de CV",  # R-PAE-9
                "Contrato de consignación 88/2025", "Ana Torres Vela", "Luis Mora Gil",
                "Av. Juárez 100, bodega", "El ejecutor",  # R-PAE-8 custodian
                "Interés fiscal", "$120,000.00", "$303,000.00",
                "Lo embargado cubre el interés fiscal",  # R-PAE-7
                "Gastos de ejecución", "R-PAE-6 · Impedimento", "Administradora única “de hecho”",
                "Auxilio de la fuerza pública", "El encargado cerró el portón de la bodega",  # R-PAE-10
                "Bienes inembargables encontrados en el domicilio",  # R-PAE-6, the checklist
                "Lecho cotidiano y vestidos (CFF 157 I); Instrumentos y útiles indispensables"],
    "seizure_extension": ["ACTA DE AMPLIACIÓN DE EMBARGO",
                          "Bienes embargados: 1, con valor estimado de $36,000.00",
                          "Llantas nuevas 205/55 R16",
                          "Marca: Goodyear", "Mercancías e inventario (CFF 155 fr. III)",
                          "Valor embargado antes", "$120,000.00", "$150,000.00", "$36,000.00",
                          "Lo embargado cubre el interés fiscal", "Testigo 1"],
}


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install -y poppler-utils")
    source = tmp_path / "acta.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-raw", str(source), "-"], check=True, capture_output=True,
                          text=True).stdout


def first_page_png(pdf: bytes, tmp_path: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    source = tmp_path / "acta.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", "-singlefile",
                    str(source), str(tmp_path / "page-1")], check=True)
    return tmp_path / "page-1.png"


def decode_qr(png: Path) -> str:
    page = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    height, width = page.shape
    top_right = page[: height // 4, width // 2:]  # where the heading puts the code
    for image in (page, top_right):
        # OpenCV's classic detector misses some valid symbols; the ArUco-based one reads them.
        for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            text, _, _ = detector.detectAndDecode(np.ascontiguousarray(image))
            if text:
                return str(text)
    return ""


def one_line(text: str) -> str:
    return " ".join(text.split())


def alter_stored_facts(diligence_id: str) -> None:
    """What a tampering hand would do: change one fact in the stored content, behind the app."""
    content = copy.deepcopy(db.session.get(Diligence, diligence_id).content)  # type: ignore[union-attr]
    content["facts"]["started_at"] = "2026-03-10T08:00:00-06:00"
    db.session.execute(update(Diligence.__table__).where(Diligence.__table__.c.id == diligence_id)
                       .values(content=content))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("case", CASES)
def test_the_acta_carries_its_fields_and_a_qr_that_verifies_the_record(
        case, app, client, auth, office1: Office1, tmp_path):
    diligence = push_case(office1, case)
    auth.login(office1.supervisor.username)
    response = client.get(f"/diligencias/{diligence.id}/acta.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"

    text = one_line(pdftotext(response.data, tmp_path))
    document = diligence.document
    expected = [*COMMON, *BY_CASE[case], document.folio, document.debtor.legal_name, document.debtor.rfc,
                *(c.credit_number for c in document.credits)]
    missing = [field for field in expected if one_line(field) not in text]
    assert missing == [], text
    for finding in diligence.findings:  # every legal finding with its rule id
        assert finding["rule_id"] in text
    assert diligence.content_hash[:16] in text

    png = first_page_png(response.data, tmp_path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, SCREENSHOTS / f"acta-{case}.png")
    url = decode_qr(png)
    assert url == f"http://localhost/v/{diligence.id}?h={diligence.content_hash[:16]}"
    assert url in text  # printed under the code, for whoever has no camera

    auth.logout()
    public = app.test_client()  # the debtor's phone: no session
    path = urlsplit(url)
    page = public.get(f"{path.path}?{path.query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "El registro coincide" in html and "no coincide" not in html
    assert document.folio in html and document.debtor.legal_name in html

    alter_stored_facts(diligence.id)
    page = public.get(f"{path.path}?{path.query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "El registro no coincide" in html and "El registro coincide" not in html
    assert document.folio in html and "10 de marzo de 2026" not in html  # not the altered date


def test_the_printed_acta_warns_when_the_stored_record_was_altered(client, auth, office1, tmp_path):
    diligence = push_case(office1, "notification")
    alter_stored_facts(diligence.id)
    auth.login(office1.supervisor.username)
    response = client.get(f"/diligencias/{diligence.id}/acta.pdf")
    assert response.status_code == 200
    assert "ya no coincide con su huella" in one_line(pdftotext(response.data, tmp_path))


def test_names_outside_latin1_print_in_the_embedded_font(client, auth, office1, tmp_path):
    """Phones send any Unicode: the embedded DejaVu font prints curly quotes, dashes and ñ as
    typed; a glyph it lacks (this emoji) becomes the visible replacement mark."""
    diligence = push_case(office1, "seizure")
    auth.login(office1.supervisor.username)
    text = one_line(pdftotext(client.get(f"/diligencias/{diligence.id}/acta.pdf").data, tmp_path))
    assert "Computadora Dell OptiPlex 7090 \ufffd" in text
    assert "Administradora única “de hecho”" in text and "Refacciones Ñuñez" in text


def test_photos_still_on_the_phone_are_named_as_pending(client, auth, office1, tmp_path):
    diligence = push_case(office1, "citatorio", send_files=False)
    auth.login(office1.supervisor.username)
    text = one_line(pdftotext(client.get(f"/diligencias/{diligence.id}/acta.pdf").data, tmp_path))
    assert "Fotografía pendiente de recibir" in text
    assert "La firma aún no llega del teléfono" in text


def test_a_record_whose_stored_facts_no_longer_parse_is_not_printed(app, client, auth, office1):
    diligence = push_case(office1, "notification")
    content = copy.deepcopy(diligence.content)
    content["facts"]["added_later"] = "un hecho que el teléfono nunca envió"
    db.session.execute(update(Diligence.__table__).where(Diligence.__table__.c.id == diligence.id)
                       .values(content=content))
    db.session.commit()
    auth.login(office1.supervisor.username)
    response = client.get(f"/diligencias/{diligence.id}/acta.pdf")
    assert response.status_code == 409
    assert "No se puede imprimir el acta" in response.get_data(as_text=True)
    page = app.test_client().get(f"/v/{diligence.id}?h={diligence.content_hash[:16]}")
    assert page.status_code == 200 and "El registro no coincide" in page.get_data(as_text=True)
