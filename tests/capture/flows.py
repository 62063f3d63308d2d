"""Steps a field user takes on the phone, in the app's words, shared by the browser tests."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.capture.conftest import LiveServer, screenshot
from tests.live import wait_for_async

DRAFT_URL = re.compile(r"[?&]borrador=")


def open_assignment(page: Page, server: LiveServer, assignment_id: int) -> None:
    page.goto(f"{server.url}/captura/diligencia?asignacion={assignment_id}")
    arrive(page)


def arrive(page: Page) -> None:
    """'Llegué al domicilio': the draft is created and its form shown. Waits for what the user
    sees (the draft's address and form), not for the page's load event, which a slow
    subresource on a loaded machine can hold back long after the form is usable."""
    page.click("#arrive-now")
    expect(page).to_have_url(DRAFT_URL)
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
    # The visible one: a role may have a picker in more than one section (e.g. localización).
    picker = page.locator(f".photos[data-role={role}] >> visible=true")
    before = picker.locator(".thumb").count()
    picker.locator("input[type=file]").set_input_files(str(path))
    expect(picker.locator("[data-photo-status]")).to_have_text("Foto guardada en el teléfono.")
    multiple = picker.get_attribute("data-multiple") == "yes"
    expect(picker.locator(".thumb")).to_have_count(before + 1 if multiple else 1)


def choose(page: Page, situation: str) -> None:
    page.check(f"input[name=situation][value={situation}]")


def sign(page: Page, wobble: int = 30, signer: str | None = None) -> None:
    """Draws a signature with the finger on the attendee's pad, or on the pad of `signer` (an
    embargo's witness or custodian: "seizure.witnesses.0", "seizure.custodian")."""
    box = page.locator(f".signature[data-signer='{signer}']" if signer
                       else "#step-signature .signature")
    pad = box.locator("canvas")
    pad.scroll_into_view_if_needed()
    bounds = pad.bounding_box()
    assert bounds is not None
    x, y = bounds["x"], bounds["y"]
    page.mouse.move(x + 30, y + 120)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + 30 + i * 22, y + 120 - (i % 3) * wobble, steps=3)
    page.mouse.up()
    expect(box.locator("[data-signature-status]")).to_contain_text("Firma guardada")


def witnesses_sign(page: Page) -> None:
    """The two witnesses of an embargo sign on the phone's screen (R-PAE-4)."""
    sign(page, 20, signer="seizure.witnesses.0")
    sign(page, 40, signer="seizure.witnesses.1")


def attendee(page: Page, capacity: str, name: str, relationship: str | None = None) -> None:
    page.select_option("select[name='attendee.capacity']", capacity)
    page.fill("input[name='attendee.name']", name)
    if relationship:
        page.fill("input[name='attendee.relationship']", relationship)
    page.select_option("select[name='attendee.id_type']", "INE")
    page.fill("input[name='attendee.id_number']", "IDMEX1234567890")


def finalize(page: Page) -> str:
    """Finalizes and returns the record id shown afterwards. The checks run again after every
    saved answer, so "Finalizar" may still be catching up with the last one: wait for it."""
    try:
        expect(page.locator("#finalize")).to_be_enabled(timeout=15_000)
    except AssertionError:
        screenshot(page, "failed-finalize")
        raise AssertionError(f"{page.locator('#finalize-status').inner_text()}: "
                             f"{page.locator('#step-review .finding').all_inner_texts()}") from None
    page.click("#finalize")
    page.wait_for_url("**registro=*")
    expect(page.locator("#record-state")).to_be_visible()
    return page.url.split("registro=")[1]


def wait_for_saved_answer(page: Page, name: str, value: object) -> None:
    """Waits until the draft kept on the phone holds `value` for `name`: answers are saved as
    they are typed, a moment after the screen shows them."""
    draft_id = page.url.split("borrador=")[1].split("&")[0]
    wait_for_async(page, """async ([draftId, name, value]) => {
        const m = await import(document.querySelector("script[type=module]").src
            .split("/js/")[0] + "/js/capture/db.js");
        const ctx = JSON.parse(document.getElementById("capture-context").dataset.context);
        const draft = await m.getOne(await m.openUserDb(ctx.user.id), "drafts", draftId);
        return Boolean(draft) && JSON.stringify(draft.values[name]) === JSON.stringify(value);
    }""", [draft_id, name, value], timeout=15)


def in_app(page: Page, module: str, body: str):  # type: ignore[no-untyped-def]
    """Runs `body` in the page with `m` = a capture module and `ctx` = the page's context
    (evaluated by the driver, so the page's CSP, which forbids eval, does not apply). Modules are
    imported under the digest the page loaded its own from (fieldapp/web/assets.py), so the test
    shares the page's module instances."""
    return page.evaluate(f"""async () => {{
        const m = await import(document.querySelector("script[type=module]").src
            .split("/js/")[0] + "/js/capture/{module}.js");
        const ctx = JSON.parse(document.getElementById("capture-context").dataset.context);
        {body}
    }}""")


def wait_for_only_shell(page: Page, version: str, timeout: float = 60) -> None:
    """Waits until the phone's only shell cache is `version`'s: the new worker is active and
    has dropped the old shell."""
    wait_for_async(page, """async (shell) => {
        const names = await caches.keys();
        return names.filter((n) => n.startsWith("fieldapp-shell-")).join() === shell;
    }""", f"fieldapp-shell-{version}", timeout=timeout)
