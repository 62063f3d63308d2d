"""Every situation of workflows.md has its form on the phone (360×800): what each one shows,
and a screenshot of each in test-artifacts/screenshots/ for people to look at."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fieldapp.assignments.services import live_assignment
from tests.capture.conftest import TZ, business_moment, screenshot
from tests.capture.flows import attendee, choose, open_assignment, verify_address
from tests.scenarios import camera_jpeg

pytestmark = pytest.mark.browser


def shown(page: Page, *selectors: str) -> None:
    for selector in selectors:
        expect(page.locator(selector).first).to_be_visible()


def hidden(page: Page, *selectors: str) -> None:
    for selector in selectors:
        expect(page.locator(selector).first).to_be_hidden()


def test_notifier_forms_show_what_each_situation_needs(factory, live_server, phone,
                                                       tmp_path: Path):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="notifier", username="notificador1")
    assignment_id = live_assignment(factory.portfolio_item(office, user)).id
    phone.moment = business_moment(office, time(9, 40))
    page = phone.open()
    phone.login(page, "notificador1")
    phone.enroll(page)
    storage = page.locator("#storage-status")
    expect(storage).to_contain_text("Almacenamiento persistente: no concedido")  # fresh profile
    cdp = phone.context.new_cdp_session(page)
    # Browser.grantPermissions replaces the origin's grants: keep the phone's other two.
    cdp.send("Browser.grantPermissions", {"origin": live_server.url, "permissions": [
        "durableStorage", "geolocation", "backgroundSync"]})
    page.reload()
    expect(storage).to_contain_text("Almacenamiento persistente: concedido")
    screenshot(page, "home")

    open_assignment(page, live_server, assignment_id)
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    expect(page.locator("#gps-fix")).to_contain_text("del domicilio registrado")
    hidden(page, "#step-attendee")  # nothing chosen yet: only the arrival
    screenshot(page, "form-arrival")

    choose(page, "notification")
    attendee(page, "legal_representative", "Roberto Gómez", "Administrador único")
    shown(page, "input[name='attendee.power.notary']")
    hidden(page, "#step-citatorio", "#step-payment")
    screenshot(page, "form-notification")

    choose(page, "citatorio")
    expect(page.locator("[data-show=appointment_date]")).not_to_be_empty()
    options = page.locator("select[name='ui.appointment_time'] option").all_inner_texts()
    assert options[0] == "07:30" and options[-1] == "18:00"  # R-NOT-3: business hours only
    expect(page.locator("select[name='ui.appointment_time']")).to_have_value("09:40")
    page.check("input[name='ui.citatorio_delivery'][value=person]")
    shown(page, "#step-attendee")
    hidden(page, ".photos[data-role=posting]")
    screenshot(page, "form-citatorio")

    page.check("input[name='ui.citatorio_delivery'][value=nobody_present]")
    shown(page, ".photos[data-role=posting]")
    hidden(page, "#step-attendee", "#step-signature")
    expect(page.locator("#findings-block")).to_contain_text("R-NOT-4")  # the posting photo
    screenshot(page, "form-citatorio-posting")

    choose(page, "follow_up")
    shown(page, "input[name='ui.citatorio_issued']")
    expect(page.locator("#follow-up-source")).to_contain_text("escriba sus datos")
    expect(page.locator("#step-follow-up")).to_contain_text("tolerancia de 15 minutos")
    screenshot(page, "form-follow-up")

    choose(page, "not_located")
    page.select_option("select[name='not_located.reason']", "temporary_absence")
    expect(page.locator("#findings-block")).to_contain_text("R-NOT-10")
    shown(page, ".photos[data-role=evidence]")
    hidden(page, "#step-attendee")
    screenshot(page, "form-not-located")

    # Drafts survive: the same form comes back with every answer.
    page.reload()
    expect(page.locator("select[name='not_located.reason']")).to_have_value("temporary_absence")
    expect(page.locator(".photos[data-role=facade] .thumb")).to_have_count(1)

    page.goto(live_server.url + "/captura/salir")
    expect(page.locator("#logout-losses")).to_contain_text("1 borrador sin finalizar")
    expect(page.locator("#logout-go")).to_be_disabled()
    screenshot(page, "logout-with-pending")


def test_executor_forms_requerimiento_and_the_way_to_the_embargo(
        factory, live_server, phone, tmp_path: Path):
    office = factory.office(timezone=TZ)
    user = factory.user(office, role="executor", username="ejecutor1")
    debtor = factory.debtor(office)
    document = factory.document(debtor, kind="execution_order")
    assignment_id = factory.assignment(document, user).id
    phone.moment = business_moment(office, time(12, 5))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)

    # A poor GPS reading is shown and flagged, not taken; a good one is taken by itself.
    phone.context.set_geolocation({"latitude": 20.6769, "longitude": -103.3475, "accuracy": 250})
    open_assignment(page, live_server, assignment_id)
    expect(page.locator("#gps-status")).to_contain_text("Precisión actual: ±250 m")
    expect(page.locator("#gps-warning")).to_contain_text("Precisión baja (±250 m, límite 100 m)")
    expect(page.locator("#gps-use")).to_be_visible()
    screenshot(page, "form-arrival-poor-gps")
    page.click("#gps-use")  # taken by hand: kept with its warning
    expect(page.locator("#gps-fix")).to_contain_text("±250 m")
    expect(page.locator("#gps-warning")).to_have_text("Precisión baja (±250 m).")
    phone.context.set_geolocation({"latitude": 20.6769, "longitude": -103.3475, "accuracy": 18})
    page.click("#gps-retry")
    verify_address(page, camera_jpeg(tmp_path / "facade.jpg"))
    expect(page.locator("#gps-fix")).to_contain_text("±18 m")
    expect(page.locator("#gps-warning")).to_be_hidden()
    hidden(page, "input[name=situation][value=notification]")
    embargo = page.locator("input[name=situation][value=seizure]")
    expect(embargo).to_be_enabled()  # issue 7: the embargo (tests/capture/test_embargo.py)
    shown(page, "#step-credential")  # RCFF 97: the executor's credential in the acta
    expect(page.locator("[data-show=credential]")).to_contain_text("vigente al 31/12/26")

    choose(page, "payment_demand")
    attendee(page, "addressee", "Luis Hernández")
    page.check("input[name='payment.outcome'][value=cheque]")
    shown(page, *(f"input[name='payment.cheque.{n}']" for n in ("number", "bank", "amount", "drawer")))
    expect(page.locator("#findings-block")).to_contain_text("R-PAE-1")
    page.fill("input[name='payment.cheque.number']", "0001234")
    page.fill("input[name='payment.cheque.bank']", "Banco del Bajío")
    page.fill("input[name='payment.cheque.amount']", "13,260.35")
    page.fill("input[name='payment.receipt_number']", "R-2026-0042")
    expect(page.locator("#findings-block")).not_to_contain_text("R-PAE-1")
    screenshot(page, "form-payment-demand")

    page.check("input[name='payment.outcome'][value=proof_shown]")
    shown(page, "input[name='payment.proof_document']")
    hidden(page, "input[name='payment.cheque.bank']")
