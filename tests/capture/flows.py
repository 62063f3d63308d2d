"""Steps a field user takes on the phone, in the app's words, shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.capture.conftest import LiveServer, screenshot


def open_assignment(page: Page, server: LiveServer, assignment_id: int) -> None:
    page.goto(f"{server.url}/captura/diligencia?asignacion={assignment_id}")
    page.click("#arrive-now")
    page.wait_for_url("**borrador=*")
    expect(page.locator("#diligence")).to_be_visible()


def wait_for_gps(page: Page) -> None:
    expect(page.locator("#gps-status")).to_have_text("Posición tomada.")


def verify_address(page: Page, facade: Path) -> None:
    wait_for_gps(page)
    page.check("input[name=address_verification][value=street_sign]")
    page.check("input[name=address_verification][value=house_number]")
    take_photo(page, "facade", facade)
    page.check("input[name=addressee_asked]")
    if page.locator("input[name=representative_asked]").is_visible():
        page.check("input[name=representative_asked]")


def take_photo(page: Page, role: str, path: Path) -> None:
    picker = page.locator(f".photos[data-role={role}]")
    before = picker.locator(".thumb").count()
    picker.locator("input[type=file]").set_input_files(str(path))
    expect(picker.locator("[data-photo-status]")).to_have_text("Foto guardada en el teléfono.")
    multiple = picker.get_attribute("data-multiple") == "yes"
    expect(picker.locator(".thumb")).to_have_count(before + 1 if multiple else 1)


def choose(page: Page, situation: str) -> None:
    page.check(f"input[name=situation][value={situation}]")


def sign(page: Page, wobble: int = 30) -> None:
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 120)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + 30 + i * 22, y + 120 - (i % 3) * wobble, steps=3)
    page.mouse.up()
    expect(page.locator("#signature-status")).to_contain_text("Firma guardada")


def attendee(page: Page, capacity: str, name: str, relationship: str | None = None) -> None:
    page.select_option("select[name='attendee.capacity']", capacity)
    page.fill("input[name='attendee.name']", name)
    if relationship:
        page.fill("input[name='attendee.relationship']", relationship)
    page.select_option("select[name='attendee.id_type']", "INE")
    page.fill("input[name='attendee.id_number']", "IDMEX1234567890")


def finalize(page: Page) -> str:
    """Finalizes and returns the record id shown afterwards."""
    page.wait_for_timeout(200)
    if page.locator("#finalize").is_disabled():
        screenshot(page, "failed-finalize")
        raise AssertionError(f"{page.locator('#finalize-status').inner_text()}: "
                             f"{page.locator('#step-review .finding').all_inner_texts()}")
    page.click("#finalize")
    page.wait_for_url("**registro=*")
    expect(page.locator("#record-state")).to_be_visible()
    return page.url.split("registro=")[1]


def in_app(page: Page, module: str, body: str):  # type: ignore[no-untyped-def]
    """Runs `body` in the page with `m` = a capture module and `ctx` = the page's context
    (evaluated by the driver, so the page's CSP, which forbids eval, does not apply)."""
    return page.evaluate(f"""async () => {{
        const m = await import("/static/js/capture/{module}.js");
        const ctx = JSON.parse(document.getElementById("capture-context").dataset.context);
        {body}
    }}""")
