"""An admin at the office and a field user's phone, both in Chromium: a renewed credential
reaches the phone at its next pull; a deactivated user's browser session and phone stop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from fieldapp.extensions import db
from tests.capture.conftest import Phone, phone  # noqa: F401 (the phone fixture)
from tests.capture.flows import open_assignment
from tests.conftest import PASSWORD
from tests.live import LiveServer, login, screenshot, wait_for_async

pytestmark = pytest.mark.browser

NEW_BASIS = "Artículos 150 del Reglamento Interior del IMSS y 152 del CFF"


@pytest.fixture
def executor_at_work(factory):  # type: ignore[no-untyped-def]
    """An executor with two execution orders, and the office's admin."""
    office = factory.office(timezone="America/Mexico_City")
    factory.user(office, role="admin", username="admin1", full_name="Alma Administradora")
    executor = factory.user(office, role="executor", username="ejecutor1",
                            full_name="Ernesto Ejecutor Ruiz", credential_number="EJ-VIEJA-1")
    first = factory.assignment(factory.document(factory.debtor(office), kind="execution_order"),
                               executor)
    second = factory.assignment(factory.document(factory.debtor(office), kind="execution_order"),
                                executor)
    db.session.commit()
    return executor.id, first.id, second.id


def _admin_page(browser: Browser, server: LiveServer) -> Page:
    page = browser.new_context(viewport={"width": 1100, "height": 900}, locale="es-MX").new_page()
    page.set_default_timeout(20_000)
    login(page, server.url, "admin1", PASSWORD)
    return page


def test_a_renewed_credential_reaches_the_phone_at_its_next_pull(
        executor_at_work, live_server: LiveServer, phone: Phone, browser: Browser) -> None:  # noqa: F811
    executor_id, first, second = executor_at_work
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)
    open_assignment(page, live_server, first)
    expect(page.locator('[data-show="credential"]').first).to_contain_text("EJ-VIEJA-1")

    admin = _admin_page(browser, live_server)
    admin.goto(f"{live_server.url}/admin/usuarios/{executor_id}")
    form = admin.locator("form[action$='/credencial']")
    form.locator("input[name=number]").fill("EJ-1401-0099")
    form.locator("input[name=issued_on]").fill("2026-11-01")
    form.locator("input[name=valid_until]").fill("2027-10-31")
    form.locator("input[name=issuer]").fill("Lic. Jorge Pérez, Subdelegado")
    form.locator("textarea[name=legal_basis]").fill(NEW_BASIS)
    form.locator("button[type=submit]").click()
    expect(admin.locator(".flash")).to_contain_text("Credencial EJ-1401-0099 registrada")
    expect(admin.locator("#credential-history")).to_contain_text("EJ-1401-0099")
    screenshot(admin, "admin-user-credential")

    # The phone's next pull brings it; then, with no signal, the cached page shows the new one.
    page.goto(f"{live_server.url}/captura/")
    page.click("#sync-now")
    wait_for_async(page, """async (id) => {
          const m = await import(document.querySelector("script[type=module]").src
              .split("/js/")[0] + "/js/capture/db.js");
          const user = await m.getMeta(await m.openUserDb(id), "user");
          return Boolean(user && user.credential && user.credential.number === "EJ-1401-0099");
        }""", executor_id, timeout=60)
    phone.context.set_offline(True)  # type: ignore[union-attr]
    open_assignment(page, live_server, second)
    expect(page.locator('[data-show="credential"]').first).to_contain_text("EJ-1401-0099")
    expect(page.locator('[data-show="credential"]').first).to_contain_text("Lic. Jorge Pérez")
    expect(page.locator("input[name='field_user.legal_basis']")).to_have_value(NEW_BASIS)
    screenshot(page, "phone-renewed-credential")


def test_deactivating_a_user_ends_their_browser_session_and_their_phone(
        executor_at_work, live_server: LiveServer, phone: Phone, browser: Browser) -> None:  # noqa: F811
    executor_id, _, _ = executor_at_work
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)

    admin = _admin_page(browser, live_server)
    admin.goto(f"{live_server.url}/admin/usuarios/{executor_id}")
    admin.get_by_role("button", name="Desactivar usuario").click()
    expect(admin.locator(".flash")).to_contain_text("ejecutor1 desactivado")
    expect(admin.locator("h1")).to_contain_text("Desactivado")

    # The phone's token is refused at its next request…
    page.click("#sync-now")
    expect(page.locator("#sync-detail")).to_contain_text("La oficina dio de baja este teléfono")
    # …and the open browser session is over.
    page.goto(f"{live_server.url}/campo/")
    expect(page).to_have_url(f"{live_server.url}/entrar?next=/campo/")
    expect(page.locator("input[name=username]")).to_be_visible()
    screenshot(page, "phone-after-deactivation")


def test_form_buttons_keep_their_own_width(
        executor_at_work, live_server: LiveServer, browser: Browser) -> None:
    """Issue 15: 'Crear usuario' and the calendar's 'Agregar' stretched across the page (a
    grid form's cell); they keep the width of their text, and the calendar's refusal is said
    once."""
    admin = _admin_page(browser, live_server)
    for url, label in (("/admin/usuarios/nuevo", "Crear usuario"), ("/admin/calendario", "Agregar")):
        admin.goto(live_server.url + url)
        button = admin.locator("form.grid-form button[type=submit]", has_text=label)
        expect(button).to_be_visible()
        form_box = button.locator("xpath=ancestor::form[1]").bounding_box()
        button_box = button.bounding_box()
        assert form_box is not None and button_box is not None
        assert button_box["width"] < form_box["width"] / 3, (url, button_box, form_box)
        screenshot(admin, "admin-" + url.strip("/").replace("/", "-"))
    admin.fill("input[name=start]", "2026-04-03")
    admin.fill("input[name=end]", "2026-04-02")
    admin.fill("input[name=description]", "Semana Santa")
    admin.click("form.grid-form button[type=submit]")
    expect(admin.locator(".errors li")).to_have_count(1)
    expect(admin.locator(".errors li")).to_have_text("La fecha final es anterior a la inicial.")
    screenshot(admin, "admin-calendar-error")
