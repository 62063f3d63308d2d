"""Issue 7, Build item 2: "an ampliación recorded later as its own diligence" (CFF 154), and the
exempt goods the executor saw and left out reaching the record (CFF 157, R-PAE-6).

Offline, an embargo that does not cover the amount secured (R-PAE-7) offers its ampliación; the
ampliación is a second diligence on the same assignment (kind ``seizure_extension``) that takes
the value already seized from the phone's own embargo record, charges one more enforcement cost
(R-PAE-3: an extension is an embargo act, as the acta charges it), refuses the seal already on a
good of the first embargo and counts previous + new value against the amount secured. Back
online the server holds both records, the ampliación's seal is registered, and the embargo's
exempt-goods checklist is in its stored facts and printed in its acta."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from fieldapp.actas.pdf import acta_pdf
from fieldapp.actas.services import build_acta
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.seals.models import Seal, SealUse
from tests.actas.test_acta_pdf import one_line, pdftotext
from tests.capture.conftest import LiveServer, business_moment
from tests.capture.flows import (
    arrive,
    attendee,
    choose,
    finalize,
    sign,
    verify_address,
    witnesses_sign,
)
from tests.capture.test_embargo import add_item, demand_not_paid, fill_item, shot
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser

REASON = "No hay más bienes embargables a la vista; se programa ampliación."


def witnesses_and_custodian(page: Page) -> None:
    page.fill("input[name='seizure.witnesses.0.name']", "Ana Torres Vela")
    page.fill("input[name='seizure.witnesses.1.name']", "Jorge Mora Gil")
    page.fill("input[name='seizure.custodian.name']", "Luis Hernández Soto")
    page.check("input[name='seizure.custodian.is_debtor']")
    page.check("input[name='seizure.custodian.appointed_by'][value=executor]")
    page.click("#custodian-here")
    witnesses_sign(page)


def short_embargo(page: Page, server: LiveServer, assignment_id: int, seal: str,
                  tmp_path: Path) -> str:
    """Requerimiento and embargo of one laptop ($6,000.00 against $13,890.35), two exempt
    goods ticked in the checklist; finalized with the R-PAE-7 reason. Returns the record id."""
    page.goto(f"{server.url}/captura/diligencia?asignacion={assignment_id}")
    arrive(page)
    demand_not_paid(page, tmp_path)
    page.check("input[name='seizure.designated_by'][value=attendee]")
    fill_item(page, "electronics", "Laptop Lenovo ThinkPad T14", "6000", brand="Lenovo")
    page.fill("#item-seal", seal)
    add_item(page, 1)
    page.locator("#exempt-goods summary").click()
    page.check("input[name='seizure.exempt_goods_noted'][value=bed_and_clothing]")
    page.check("input[name='seizure.exempt_goods_noted'][value=trade_tools]")
    witnesses_and_custodian(page)
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $6,000.00 de $13,890.35 · faltan $7,890.35")
    page.fill("#warn-reasons textarea[data-rule='R-PAE-7']", REASON)
    try:
        expect(page.locator("#finalize")).to_be_enabled()  # once the reason is saved
    except AssertionError:
        reasons = page.locator("#warn-reasons textarea").evaluate_all(
            "ts => ts.map(t => [t.dataset.rule, t.value])")
        raise AssertionError([page.locator("#finalize-status").inner_text(), reasons,
                              page.locator("#step-review .finding").all_inner_texts()]) from None
    return finalize(page)


def arrive_for_the_extension(page: Page, tmp_path: Path) -> None:
    """From the short embargo's record: Ampliar → arrival → the ampliación's common steps."""
    page.click("#extend-seizure")
    page.wait_for_url("**amplia=*")
    expect(page.locator("#arrive-note")).to_contain_text("Ampliación del embargo del")
    shot(page, "ampliacion-arrival", "#assignment-summary")
    arrive(page)
    expect(page.locator("input[name=situation][value=seizure_extension]")).to_be_checked()
    expect(page.locator("#step-payment")).to_be_hidden()  # the requerimiento was the first diligence
    verify_address(page, camera_jpeg(tmp_path / "facade-2.jpg", size=(1600, 1200)))
    attendee(page, "addressee", "Luis Hernández Soto")
    page.check("input[name=copy_delivered]")
    sign(page)
    page.check("input[name='ui.credential_shown']")
    page.fill("input[name='field_user.legal_basis']", "Arts. 152 CFF y 97 RCFF; oficio 1401/2026")


def test_offline_short_embargo_then_its_ampliacion_reach_the_server_with_the_exempt_checklist(
        app, executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    office, _executor_id, assignment_id, codes = executor_with_seals
    first_seal, new_seal = codes[0], codes[1]
    phone.moment = business_moment(office, time(9, 30))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    phone.context.set_offline(True)
    page.reload()

    embargo_id = short_embargo(page, live_server, assignment_id, first_seal, tmp_path)

    # The short embargo's record offers its ampliación, as a new diligence.
    extend = page.locator("#extend-seizure")
    expect(extend).to_have_text("Ampliar el embargo (nueva diligencia)")
    shot(page, "ampliacion-offered", "#record-state")
    arrive_for_the_extension(page, tmp_path)

    # The value already seized comes from the phone's embargo record; the amount secured now
    # carries two charges: the embargo's (one, with its requerimiento) and this ampliación's.
    expect(page.locator("#previous-value")).to_have_value("6000.00")
    expect(page.locator("#extension-source")).to_contain_text(
        "Del embargo capturado en este teléfono el")
    expect(page.locator("#extension-source")).to_contain_text(
        "1 bien por $6,000.00, interés fiscal $13,890.35")
    expect(page.locator("#extension-seals")).to_contain_text(first_seal)
    sufficiency = page.locator("#sufficiency")
    expect(sufficiency.locator("[data-money=costs]")).to_have_text("$1,260.00")
    expect(sufficiency.locator("[data-money=charges]")).to_have_text("(2 cobros)")
    expect(sufficiency.locator("[data-money=charges_note]")).to_have_text(
        "2 cobros de gastos: el de la diligencia anterior (requerimiento y embargo en una sola) y el "
        "de esta ampliación (CFF 150, R-PAE-3).")
    expect(sufficiency.locator("[data-money=secured]")).to_have_text("$14,520.35")
    expect(sufficiency.locator("[data-money=previous_line]")).to_have_text(
        "Embargado antes $6,000.00 + en esta ampliación $0.00.")
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $6,000.00 de $14,520.35 · faltan $8,520.35")
    shot(page, "ampliacion-previous", "#step-extension")
    page.check("input[name='seizure.designated_by'][value=attendee]")

    # The seal on the first embargo's laptop is refused for the new good.
    fill_item(page, "vehicle", "Motocicleta Italika FT150 roja", "9000", condition="bueno")
    page.fill("#item-seal", first_seal)
    expect(page.locator("#seal-status")).to_contain_text(
        f"El sello {first_seal} ya está en el bien 1 del embargo del")
    expect(page.locator("#seal-status")).to_have_attribute("data-level", "refuse")
    page.click("#item-add")
    expect(page.locator("#item-problem")).to_contain_text("de esta asignación: use otro (R-PAE-8)")
    expect(page.locator("#seized-items .seized-item")).to_have_count(0)
    shot(page, "ampliacion-seal-refused", "#seal-entry")
    page.fill("#item-seal", new_seal)
    expect(page.locator("#seal-status")).to_have_text(f"Sello {new_seal} válido y asignado a usted.")
    add_item(page, 1)

    # Previous + new value against the amount secured: now covered, no R-PAE-7 warning.
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $15,000.00 de $14,520.35 · cubierto")
    expect(sufficiency).to_have_attribute("data-state", "covered")
    shot(page, "ampliacion-items-covered", "#step-seizure-items")
    witnesses_and_custodian(page)
    expect(page.locator("#findings-warn .finding").filter(has_text="R-PAE-7")).to_have_count(0)
    shot(page, "ampliacion-review", "#step-review")
    extension_id = finalize(page)
    expect(page.locator("#record-state")).to_contain_text("Diligencia finalizada el")
    expect(page.locator("#record-state")).to_contain_text("Ampliación de embargo")
    expect(page.locator("#extend-seizure")).to_have_count(0)  # covered: nothing more to extend
    shot(page, "ampliacion-read-only", "#step-extension")
    expect(page.locator("#extension-seals")).to_contain_text(first_seal)
    expect(page.locator("#extension-seals")).not_to_contain_text(new_seal)  # its own seal

    # The first embargo no longer offers an ampliación: this phone has a later one.
    page.goto(f"{live_server.url}/captura/diligencia?registro={embargo_id}")
    expect(page.locator("#record-state")).to_be_visible()
    expect(page.locator("#extend-seizure")).to_have_count(0)

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("2 diligencias")
    phone.context.set_offline(False)
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)

    db.session.remove()
    embargo = db.session.get(Diligence, embargo_id)
    extension = db.session.get(Diligence, extension_id)
    assert embargo is not None and extension is not None
    assert (embargo.kind, extension.kind) == ("seizure", "seizure_extension")
    assert embargo.assignment_id == extension.assignment_id == assignment_id
    assert embargo.complete and extension.complete
    assert not extension.has_block_findings and not extension.has_warn_findings, extension.findings
    first = embargo.content["facts"]["seizure"]
    assert first["exempt_goods_noted"] == ["bed_and_clothing", "trade_tools"]
    assert first["amount_secured"] == "13890.35"
    facts = extension.content["facts"]
    assert "payment" not in facts
    assert facts["prefilled"] == ["seizure.previously_seized_value"]
    second = facts["seizure"]
    assert second["previously_seized_value"] == "6000.00"
    assert second["amount_secured"] == "14520.35"
    assert [(i["category"], i["seal"]) for i in second["items"]] == [("vehicle", new_seal)]
    # R-PAE-8: each seal registered once, by its own diligence, nothing irregular.
    uses = db.session.scalars(select(SealUse).where(SealUse.code.in_([first_seal, new_seal]))
                              .order_by(SealUse.id)).all()
    assert [(u.code, u.diligence_id, u.problem) for u in uses] == [
        (first_seal, embargo_id, None), (new_seal, extension_id, None)]
    assert db.session.scalar(select(Seal.status).where(Seal.code == new_seal)) == "used"
    assert "seal_conflict" not in (extension.flags or [])

    # The checklist is printed in the embargo's acta (CFF 157); the ampliación's acta carries
    # what was seized before.
    text = one_line(pdftotext(acta_pdf(build_acta(embargo), "http://127.0.0.1/v/x"), tmp_path))
    assert "Bienes inembargables encontrados en el domicilio (CFF 157, R-PAE-6)" in text
    assert "Lecho cotidiano y vestidos (CFF 157 I); Instrumentos y útiles indispensables" in text
    text = one_line(pdftotext(acta_pdf(build_acta(extension), "http://127.0.0.1/v/y"), tmp_path))
    assert "ACTA DE AMPLIACIÓN DE EMBARGO" in text
    assert "Valor embargado antes $6,000.00" in text
    assert "Lo embargado cubre el interés fiscal" in text


def test_an_ampliacion_after_the_embargo_was_synced_and_its_assignment_left_the_worklist(
        app, executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    """The real case: the embargo is sent, its assignment is done and leaves the phone's list;
    days later, offline, the ampliación starts from the embargo's record (which keeps a copy of
    the assignment). A value typed over the prefilled one is the executor's, not prefilled; a
    blank one keeps Finalizar disabled."""
    office, _executor_id, assignment_id, codes = executor_with_seals
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    embargo_id = short_embargo(page, live_server, assignment_id, codes[0], tmp_path)
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    expect(page.locator("#assignments-empty")).to_be_visible()  # done: no longer in the list

    phone.context.set_offline(True)
    page.goto(f"{live_server.url}/captura/diligencia?registro={embargo_id}")
    arrive_for_the_extension(page, tmp_path)
    previous = page.locator("#previous-value")
    expect(previous).to_have_value("6000.00")
    previous.fill("")
    expect(page.locator("#finalize-status")).to_contain_text(
        "Anote el valor de lo ya embargado en el embargo anterior")
    expect(page.locator("#finalize")).to_be_disabled()
    previous.fill("6,500")
    expect(page.locator("#extension-source")).to_contain_text(
        "Valor escrito a mano; el embargo capturado en este teléfono dice $6,000.00.")
    expect(page.locator("[data-money=previous_line]")).to_have_text(
        "Embargado antes $6,500.00 + en esta ampliación $0.00.")
    page.check("input[name='seizure.designated_by'][value=attendee]")
    fill_item(page, "inventory", "Lote de 40 sillas plegables", "8100")
    page.fill("#item-seal", codes[1])
    add_item(page, 1)
    witnesses_and_custodian(page)
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $14,600.00 de $14,520.35 · cubierto")
    extension_id = finalize(page)

    page.goto(live_server.url + "/captura/")
    phone.context.set_offline(False)
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)
    db.session.remove()
    extension = db.session.get(Diligence, extension_id)
    assert extension is not None and extension.kind == "seizure_extension"
    assert extension.assignment_id == assignment_id and extension.complete
    facts = extension.content["facts"]
    assert facts["seizure"]["previously_seized_value"] == "6500"
    assert "prefilled" not in facts
    assert not extension.has_block_findings and not extension.has_warn_findings, extension.findings


def test_an_ampliacion_chosen_directly_with_no_embargo_on_the_phone_has_its_value_typed(
        executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    """The embargo was captured on another phone (or on paper): the executor chooses
    *Ampliación de embargo* and types the value seized before, which Finalizar requires."""
    office, _executor_id, assignment_id, _codes = executor_with_seals
    phone.moment = business_moment(office, time(11, 0))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    page.goto(f"{live_server.url}/captura/diligencia?asignacion={assignment_id}")
    arrive(page)
    choose(page, "seizure_extension")
    expect(page.locator("#step-extension")).to_be_visible()
    expect(page.locator("#step-payment")).to_be_hidden()
    expect(page.locator("#extension-source")).to_have_text(
        "No hay un embargo anterior de esta asignación en el teléfono: escriba el valor de lo ya "
        "embargado según su acta.")
    expect(page.locator("#previous-value")).to_have_value("")
    expect(page.locator("#finalize")).to_be_disabled()
    expect(page.locator("#finalize-status")).to_contain_text(
        "Anote el valor de lo ya embargado en el embargo anterior")
    page.fill("#previous-value", "11,500.00")
    expect(page.locator("[data-money=previous_line]")).to_have_text(
        "Embargado antes $11,500.00 + en esta ampliación $0.00.")
    # No earlier embargo known: still one charge for it and one for this ampliación.
    expect(page.locator("[data-money=secured]")).to_have_text("$14,520.35")
    expect(page.locator("#sufficiency-bar")).to_have_text(
        "Embargado $11,500.00 de $14,520.35 · faltan $3,020.35")
    shot(page, "ampliacion-typed", "#step-extension")
