"""Issue 7 (phone side), done when: offline, an executor demands payment, it is not paid, and
in the same diligence seizes three goods in the CFF 155 order while a fourth, exempt under CFF
157, is refused; one seal is read from a photo of its QR label (jsQR really decodes the
pixels), another is typed; the sufficiency panel warns that the goods do not cover the amount
secured (one enforcement charge, R-PAE-3 and R-PAE-7); back online the server holds the
embargo with its goods, the seals registered as used and every photo.

Also: lock breaking without the office head's order number is a block (R-PAE-10)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
import qrcode
from playwright.sync_api import Page, expect
from sqlalchemy import select

from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media.models import MediaBlob
from fieldapp.seals.models import Seal, SealUse
from tests.capture.conftest import SCREENSHOTS, LiveServer, business_moment
from tests.capture.flows import (
    attendee,
    choose,
    finalize,
    open_assignment,
    sign,
    take_photo,
    verify_address,
    wait_for_saved_answer,
    witnesses_sign,
)
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


def qr_png(path: Path, text: str) -> Path:
    """A photo of a seal label: the QR on a grey background, as the camera would frame it."""
    from PIL import Image

    label = qrcode.make(text, box_size=8, border=4).convert("RGB")
    photo = Image.new("RGB", (label.width + 200, label.height + 160), (205, 205, 200))
    photo.paste(label, (100, 80))
    photo.save(path, "PNG")
    return path


def shot(page: Page, name: str, selector: str) -> None:
    """What the executor sees at 360×800 with `selector` at the top of the screen."""
    page.locator(selector).evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(100)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def demand_not_paid(page: Page, tmp_path: Path) -> None:
    """Arrival, requerimiento to the addressee, not paid: the executor seizes at once."""
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg", size=(1600, 1200)))
    choose(page, "payment_demand")
    attendee(page, "addressee", "Luis Hernández Soto")
    page.check("input[name=copy_delivered]")
    sign(page)
    page.check("input[name='ui.credential_shown']")
    page.fill("input[name='field_user.legal_basis']", "Arts. 152 CFF y 97 RCFF; oficio 1401/2026")
    page.check("input[name='payment.outcome'][value=not_paid]")
    expect(page.locator("#seize-now")).to_be_visible()
    shot(page, "embargo-from-requerimiento", "#step-payment")
    page.click("#seize-now")
    expect(page.locator("#step-seizure")).to_be_visible()
    expect(page.locator("input[name=situation][value=seizure]")).to_be_checked()


def fill_item(page: Page, category: str, description: str, value: str, **more: str) -> None:
    page.select_option("#item-category", category)
    page.fill("textarea[name='ui.item.description']", description)
    page.fill("input[name='ui.item.value']", value)
    for name, text in more.items():
        selector = f"[name='ui.item.{name}']"
        if name == "condition":
            page.select_option(selector, text)
        else:
            page.fill(selector, text)


def add_item(page: Page, count: int) -> None:
    page.click("#item-add")
    expect(page.locator("#seized-items .seized-item")).to_have_count(count)


def test_offline_requerimiento_and_embargo_with_seals_reaches_the_server(
        app, executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    office, executor_id, assignment_id, codes = executor_with_seals
    scanned, typed = codes[0], codes[1]
    phone.moment = business_moment(office, time(10, 30))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)

    phone.context.set_offline(True)
    page.reload()
    open_assignment(page, live_server, assignment_id)
    demand_not_paid(page, tmp_path)
    page.check("input[name='seizure.designated_by'][value=attendee]")

    # The amount secured before any good: $13,260.35 + one charge of $630.00 (2 % is $265.21,
    # below the 2026 minimum): requerimiento and embargo are one diligence (R-PAE-3).
    sufficiency = page.locator("#sufficiency")
    expect(sufficiency.locator("[data-money=debt]")).to_have_text("$13,260.35")
    expect(sufficiency.locator("[data-money=costs]")).to_have_text("$630.00")
    expect(sufficiency.locator("[data-money=charges_note]")).to_contain_text("Un solo cobro")
    expect(sufficiency.locator("[data-money=secured]")).to_have_text("$13,890.35")
    shot(page, "embargo-designation", "#step-seizure")

    # 1. Bank deposit (CFF 155 I): no seal.
    fill_item(page, "bank_deposit", "Cuenta de cheques BBVA terminación 4471", "2,000.00")
    expect(page.locator("#item-category-note")).to_have_text(
        "Art. 155 CFF, fracción I (dinero, metales preciosos, depósitos) · sin sello (no es un bien "
        "que se etiquete) · se embarga sólo hasta el interés fiscal (R-PAE-7)")
    expect(page.locator("#seal-entry")).to_be_hidden()
    add_item(page, 1)
    expect(sufficiency.locator("[data-money=seized]")).to_have_text("$2,000.00")

    # An exempt good (CFF 157 II) is refused as soon as it is chosen.
    fill_item(page, "household_furniture", "Comedor de seis sillas", "4000")
    expect(page.locator("#item-problem")).to_contain_text("inembargable (CFF 157 II)")
    expect(page.locator("#item-add")).to_be_disabled()
    expect(page.locator("#finalize")).to_be_disabled()
    expect(page.locator("#finalize-status")).to_contain_text("inembargable")
    shot(page, "embargo-exempt-refused", "#item-editor")
    shot(page, "embargo-exempt-refused-button", "#item-problem")
    page.click("#item-clear")
    expect(page.locator("#item-problem")).to_be_empty()
    expect(page.locator("#seized-items .seized-item")).to_have_count(1)

    # 2. A laptop (CFF 155 III) whose seal is read from a photo of its QR label.
    fill_item(page, "electronics", "Computadora portátil gris", "6000", quantity="1",
              brand="Lenovo", model="ThinkPad T14", serial_number="PF3ABC12", condition="bueno")
    take_photo(page, "item", camera_jpeg(tmp_path / "laptop.jpg", size=(2000, 1500), colour=(60, 60, 70)))
    expect(page.locator("#item-problem")).to_be_empty()
    page.locator("#seal-photo").set_input_files(str(qr_png(tmp_path / "label.png", scanned)))
    expect(page.locator("#item-seal")).to_have_value(scanned, timeout=15_000)
    expect(page.locator("#seal-status")).to_have_text(f"Sello {scanned} válido y asignado a usted.")
    shot(page, "embargo-item-editor", "#item-editor")
    shot(page, "embargo-seal-read", "#seal-entry")
    add_item(page, 2)

    # 3. Office furniture with a typed seal: a wrong check character is refused, the same seal
    # twice is refused, a code not among the executor's seals only warns.
    fill_item(page, "office_equipment", "Dos escritorios metálicos", "3500", quantity="2",
              condition="regular")
    take_photo(page, "item", camera_jpeg(tmp_path / "desks.jpg", size=(2000, 1500), colour=(150, 110, 60)))
    # Autosaved like every answer: a reload (offline, from the service worker) loses nothing,
    # neither the goods added nor the one being captured with its photo.
    wait_for_saved_answer(page, "ui.item.condition", "regular")
    page.reload()
    expect(page.locator("#seized-items .seized-item")).to_have_count(2)
    expect(page.locator("textarea[name='ui.item.description']")).to_have_value("Dos escritorios metálicos")
    expect(page.locator("#item-category")).to_have_value("office_equipment")
    expect(page.locator(".photos[data-role=item] .thumb")).to_have_count(1)
    expect(sufficiency.locator("[data-money=seized]")).to_have_text("$8,000.00")
    wrong = typed[:-1] + ("A" if typed[-1] != "A" else "B")
    page.fill("#item-seal", wrong.lower())
    expect(page.locator("#seal-status")).to_contain_text("no es un código de sello válido")
    page.click("#item-add")
    expect(page.locator("#item-problem")).to_contain_text("carácter de control")
    page.fill("#item-seal", scanned)
    expect(page.locator("#seal-status")).to_contain_text("ya está en el bien 2 de este embargo")
    stranger = _other_office_code(office.code)
    page.fill("#item-seal", stranger)
    expect(page.locator("#seal-status")).to_contain_text(
        "no está entre los sellos sin usar asignados a usted")
    page.fill("#item-seal", " " + typed.lower().replace("-", "- ", 1))  # typed loosely
    expect(page.locator("#seal-status")).to_have_text(f"Sello {typed} válido y asignado a usted.")
    add_item(page, 3)
    expect(page.locator("#seized-items .seized-item").nth(2)).to_contain_text(f"Sello {typed}")

    # R-PAE-7: $11,500.00 seized against $13,890.35 secured.
    expect(sufficiency.locator("[data-money=seized]")).to_have_text("$11,500.00")
    expect(page.locator("#sufficiency-verdict")).to_contain_text("faltan $2,390.35")
    expect(sufficiency).to_have_attribute("data-state", "short")
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $11,500.00 de $13,890.35 · faltan $2,390.35")
    shot(page, "embargo-items-short", "#step-seizure-items")

    page.fill("input[name='seizure.witnesses.0.name']", "Ana Torres Vela")
    page.fill("input[name='seizure.witnesses.1.name']", "Jorge Mora Gil")
    page.fill("input[name='seizure.custodian.name']", "Luis Hernández Soto")
    page.check("input[name='seizure.custodian.is_debtor']")
    page.check("input[name='seizure.custodian.appointed_by'][value=executor]")
    page.click("#custodian-here")
    expect(page.locator("textarea[name='seizure.custodian.location']")).not_to_have_value("")
    shot(page, "embargo-witnesses-custodian", "#step-witnesses")
    witnesses_sign(page)
    page.check("input[name='seizure.custodian.refused_to_sign']")
    expect(page.locator(".signature[data-signer='seizure.custodian']")).to_be_hidden()

    warning = page.locator("#findings-warn .finding").filter(has_text="R-PAE-7")
    expect(warning).to_contain_text("no cubre el interés fiscal ($13,890.35)")
    reason = "El deudor no tiene más bienes embargables en el domicilio; se propondrá ampliación."
    page.fill("#warn-reasons textarea[data-rule='R-PAE-7']", reason)
    shot(page, "embargo-review", "#step-review")
    record_id = finalize(page)
    shot(page, "embargo-read-only", "#step-seizure-items")
    expect(page.locator("#seized-items .seized-item")).to_have_count(3)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia, 3 fotos y 3 firmas por enviar")
    phone.context.set_offline(False)
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)

    db.session.remove()
    stored = db.session.get(Diligence, record_id)
    assert stored is not None and stored.kind == "seizure"
    assert stored.complete, stored.id
    assert not stored.has_block_findings, stored.findings
    assert stored.content["warning_reasons"] == {"R-PAE-7": reason}
    facts = stored.content["facts"]
    assert facts["payment"] == {"outcome": "not_paid"}
    seizure = facts["seizure"]
    assert seizure["amount_secured"] == "13890.35"
    assert seizure["designated_by"] == "attendee"
    items = seizure["items"]
    assert [i["category"] for i in items] == ["bank_deposit", "electronics", "office_equipment"]
    assert [i.get("seal") for i in items] == [None, scanned, typed]
    assert [Decimal(i["value"]) for i in items] == [Decimal("2000.00"), Decimal("6000"), Decimal("3500")]
    laptop = items[1]
    assert (laptop["brand"], laptop["model"], laptop["serial_number"], laptop["condition"]) == (
        "Lenovo", "ThinkPad T14", "PF3ABC12", "bueno")
    assert all(i["category"] != "household_furniture" for i in items)
    witness_files = {m.sha256 for m in stored.media if m.role == "witness_signature"}
    assert [(w["name"], w["signed"]) for w in seizure["witnesses"]] == [
        ("Ana Torres Vela", True), ("Jorge Mora Gil", True)]
    assert {w["signature"] for w in seizure["witnesses"]} == witness_files
    assert len(witness_files) == 2
    assert seizure["custodian"]["is_debtor"] is True
    assert seizure["custodian"]["refused_to_sign"] is True
    assert "signature" not in seizure["custodian"]
    # Every good's photo is in the record's media, and every file reached the server.
    roles = sorted(m.role for m in stored.media)
    assert roles == ["facade", "item", "item", "signature", "witness_signature", "witness_signature"]
    item_photos = {m.sha256 for m in stored.media if m.role == "item"}
    assert {sha for i in items for sha in i.get("photos", [])} == item_photos
    assert len(items[1]["photos"]) == len(items[2]["photos"]) == 1
    for m in stored.media:
        assert db.session.get(MediaBlob, m.sha256) is not None
    # R-PAE-8: both seals registered as used by this diligence, nothing irregular.
    uses = db.session.scalars(select(SealUse).where(SealUse.diligence_id == record_id)
                              .order_by(SealUse.item_index)).all()
    assert [(u.code, u.item_index, u.problem) for u in uses] == [(scanned, 1, None), (typed, 2, None)]
    seals = {s.code: s for s in db.session.scalars(select(Seal).where(Seal.code.in_([scanned, typed])))}
    assert {s.status for s in seals.values()} == {"used"}
    assert "seal_irregular" not in (stored.flags or []) and "seal_conflict" not in (stored.flags or [])
    assert db.session.get(User, stored.user_id).username == "ejecutor1"


def _other_office_code(own: str) -> str:
    from fieldapp.seals.codes import seal_code

    return seal_code("9" + own[1:] if own[0] != "9" else "8" + own[1:], 77)


MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]


def test_claimed_goods_real_estate_term_and_r_pae_10_lock_breaking_without_the_order_number(
        executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    from fieldapp.legal.pack import calendar_from_pack
    from fieldapp.legal.services import field_pack_for
    from fieldapp.offices.services import office_today

    office, _executor, assignment_id, codes = executor_with_seals
    phone.moment = business_moment(office, time(11, 0))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    open_assignment(page, live_server, assignment_id)
    demand_not_paid(page, tmp_path)
    page.check("input[name='seizure.designated_by'][value=executor]")
    page.select_option("select[name='seizure.executor_reason']", "not_designated")

    # R-PAE-9: a good a third party proves is theirs is recorded, not counted, and needs no seal.
    fill_item(page, "vehicle", "Automóvil Versa 2019", "90000")
    page.check("input[name='ui.item.claimed']")
    page.click("#item-add")
    expect(page.locator("#item-problem")).to_contain_text("documentos que exhibió (R-PAE-9)")
    page.fill("input[name='ui.item.claimant']", "Arrendadora del Centro SA")
    page.fill("textarea[name='ui.item.claim_documents']", "Factura 8812 y contrato de arrendamiento")
    add_item(page, 1)
    expect(page.locator("#seized-items .seized-item")).to_contain_text(
        "Reclamado por Arrendadora del Centro SA")
    expect(page.locator("[data-money=seized]")).to_have_text("$0.00")

    # Real estate (CFF 155 IV): the sworn statement and the debtor's 15 business days (R-PAE-5).
    page.select_option("#item-category", "real_estate")
    expect(page.locator("#real-estate")).to_be_visible()
    expect(page.locator("#seal-entry")).to_be_hidden()
    pack = field_pack_for(office, office_today(office))
    due = calendar_from_pack(pack).add_business_days(phone.moment.date(), 15)
    expect(page.locator("#real-estate-term")).to_contain_text(
        "15 días hábiles para acreditar lo manifestado: vence el")
    expect(page.locator("#real-estate-term")).to_contain_text(
        f"{due.day} de {MONTHS[due.month - 1]} de {due.year}")
    shot(page, "embargo-real-estate", "#real-estate")
    page.click("#item-clear")
    expect(page.locator("#real-estate")).to_be_hidden()

    page.locator("#step-obstruction summary").click()
    page.check("input[name='obstruction.locks_broken']")
    page.fill("input[name='obstruction.lock_order_date']", "2026-11-30")
    blocks = page.locator("#findings-block .finding")
    expect(blocks.filter(has_text="R-PAE-10")).to_have_count(2)  # the number, and two witnesses
    expect(blocks.filter(has_text="R-PAE-10").first).to_contain_text("número de la orden")
    expect(page.locator("#finalize")).to_be_disabled()
    shot(page, "embargo-obstruction-blocked", "#step-obstruction")
    page.fill("input[name='obstruction.lock_order_number']", "JO-1401/2026/18")
    expect(blocks.filter(has_text="número de la orden")).to_have_count(0)
    expect(blocks.filter(has_text="ruptura de cerraduras debe hacerse ante dos testigos")).to_have_count(1)


def y4m_video(path: Path, text: str) -> Path:
    """A Y4M clip of a seal label held in front of the camera: what Chromium's fake camera
    (--use-file-for-fake-video-capture) plays in a loop."""
    from PIL import Image

    frame = Image.new("RGB", (640, 480), (190, 190, 185))
    label = qrcode.make(text, box_size=7, border=4).convert("RGB")
    frame.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg\n")
        for _ in range(3):
            out.write(b"FRAME\n" + planes)
    return path


def _camera_phone(browser_type, launch_args, server: LiveServer, video: Path, profile: Path):  # type: ignore[no-untyped-def]
    """A phone whose rear camera films `video` (Chromium's fake capture device)."""
    from tests.capture.conftest import Phone

    args = [*launch_args.get("args", []), "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    return Phone(browser_type, {**launch_args, "args": args}, profile, server)


def _to_the_seal(camera_phone, server: LiveServer, office, assignment_id: int) -> Page:  # type: ignore[no-untyped-def]
    camera_phone.moment = business_moment(office, time(12, 0))
    page = camera_phone.open()
    camera_phone.login(page, "ejecutor1")
    camera_phone.enroll(page)
    open_assignment(page, server, assignment_id)
    choose(page, "seizure")
    page.select_option("#item-category", "electronics")
    return page


def test_the_camera_reads_a_seal_label(executor_with_seals, live_server: LiveServer, browser_type,
                                        browser_type_launch_args, tmp_path: Path):
    office, _executor, assignment_id, codes = executor_with_seals
    camera_phone = _camera_phone(browser_type, browser_type_launch_args, live_server,
                                 y4m_video(tmp_path / "label.y4m", codes[2]), tmp_path / "profile-a")
    try:
        page = _to_the_seal(camera_phone, live_server, office, assignment_id)
        page.click("#seal-scan")
        expect(page.locator("#item-seal")).to_have_value(codes[2], timeout=20_000)
        expect(page.locator("#seal-scanner")).not_to_have_attribute("open", "")
        expect(page.locator("#seal-status")).to_have_text(f"Sello {codes[2]} válido y asignado a usted.")
        # The camera was released once the label was read.
        assert page.evaluate("() => document.getElementById('seal-video').srcObject") is None
    finally:
        camera_phone.close()


def test_the_camera_refuses_a_qr_code_that_is_not_a_seal(
        executor_with_seals, live_server: LiveServer, browser_type, browser_type_launch_args,
        tmp_path: Path):
    office, _executor, assignment_id, _codes = executor_with_seals
    video = y4m_video(tmp_path / "other.y4m", "https://www.imss.gob.mx/")
    camera_phone = _camera_phone(browser_type, browser_type_launch_args, live_server, video,
                                 tmp_path / "profile-b")
    try:
        page = _to_the_seal(camera_phone, live_server, office, assignment_id)
        page.click("#seal-scan")
        expect(page.locator("#seal-scan-status")).to_contain_text(
            "no es un sello válido; apunte a otra etiqueta", timeout=20_000)
        page.wait_for_timeout(300)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "embargo-seal-scanner.png"))
        page.click("#seal-scan-cancel")
        expect(page.locator("#seal-scanner")).not_to_have_attribute("open", "")
        expect(page.locator("#item-seal")).to_have_value("")
    finally:
        camera_phone.close()
