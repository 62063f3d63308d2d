"""Issue 15, done when: an executor captures an embargo where two witnesses and the custodian
sign on screen; the acta shows the three signatures.

Offline, the form asks for the goods first, then the witnesses and the custodian with their
identification, then every signature (R-PAE-4, R-PAE-8); the drawn signatures are kept on the
phone like the attendee's and travel as media of roles "witness_signature" and
"custodian_signature". Back online the server holds them, and the phone's "Ver o descargar el
acta" link (shown only once the server holds the record) gives the printed acta, whose text
(pdftotext) says each of them signed on screen and whose signature boxes carry their images
(pdfimages)."""

from __future__ import annotations

import re
import subprocess
from datetime import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.media import storage
from fieldapp.media.models import MediaBlob
from tests.actas.test_acta_pdf import one_line, pdftotext
from tests.capture.conftest import SCREENSHOTS, LiveServer, business_moment
from tests.capture.flows import finalize, open_assignment, sign, witnesses_sign
from tests.capture.test_embargo import add_item, demand_not_paid, fill_item, shot

pytestmark = pytest.mark.browser

WITNESSES = [("Ana Torres Vela", "INE", "TOVA800101MJCRLN09"),
             ("Jorge Mora Gil", "pasaporte", "G12345678")]
CUSTODIAN = ("Rosa Díaz Luna", "licencia", "LIC-558812")


def identify(page: Page, prefix: str, name: str, id_type: str, id_number: str) -> None:
    page.fill(f"input[name='{prefix}.name']", name)
    page.select_option(f"select[name='{prefix}.id_type']", id_type)
    page.fill(f"input[name='{prefix}.id_number']", id_number)


def step_order(page: Page) -> list[str]:
    return page.locator("#diligence-fields > .step:not([hidden])").evaluate_all(
        "steps => steps.map(s => s.id)")


def images_in(pdf: bytes, tmp_path: Path) -> list[tuple[int, int]]:
    """(width, height) of every image the PDF draws, as pdfimages lists them."""
    source = tmp_path / "acta-images.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(source)], check=True,
                             capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    return [(int(r[3]), int(r[4])) for r in rows if r[2] == "image"]


def test_witnesses_and_custodian_sign_on_screen_and_the_acta_shows_their_signatures(
        app, executor_with_seals, live_server: LiveServer, phone, tmp_path: Path):
    office, _executor_id, assignment_id, codes = executor_with_seals
    phone.moment = business_moment(office, time(10, 0))
    page = phone.open()
    phone.login(page, "ejecutor1")
    phone.enroll(page)

    phone.context.set_offline(True)
    page.reload()
    open_assignment(page, live_server, assignment_id)
    demand_not_paid(page, tmp_path)  # the attendee signs in the signatures step, at the end
    page.check("input[name='seizure.designated_by'][value=attendee]")
    fill_item(page, "electronics", "Computadora de escritorio Dell OptiPlex", "20000")
    page.fill("#item-seal", codes[0])
    add_item(page, 1)

    for n, (name, id_type, number) in enumerate(WITNESSES):
        identify(page, f"seizure.witnesses.{n}", name, id_type, number)
    identify(page, "seizure.custodian", *CUSTODIAN)
    page.check("input[name='seizure.custodian.appointed_by'][value=executor]")
    page.click("#custodian-here")

    # Goods, then witnesses and custodian, then the signatures (issue 15, Build 4).
    order = step_order(page)
    assert order.index("step-seizure-items") < order.index("step-witnesses") \
        < order.index("step-custodian") < order.index("step-signature") \
        < order.index("step-seizure-signatures"), order
    signatures = page.locator("#step-seizure-signatures")
    expect(signatures.locator("#signer-witness-0 h3")).to_have_text(f"Testigo 1: {WITNESSES[0][0]}")
    expect(signatures.locator("#signer-custodian h3")).to_have_text(f"Depositario: {CUSTODIAN[0]}")

    witnesses_sign(page)
    sign(page, 35, signer="seizure.custodian")
    shot(page, "embargo-signatures", "#step-seizure-signatures")
    record_id = finalize(page)
    # Not on the server yet: nothing to open.
    expect(page.locator("#acta-copy")).to_be_hidden()

    page.goto(live_server.url + "/captura/")
    expect(page.locator("#sync-pending")).to_contain_text("1 diligencia, 1 foto y 4 firmas por enviar")
    phone.context.set_offline(False)
    expect(page.locator("#sync-pending")).to_have_text("Todo está enviado.", timeout=30_000)

    db.session.remove()
    stored = db.session.get(Diligence, record_id)
    assert stored is not None and stored.complete
    assert not stored.has_block_findings, stored.findings
    seizure = stored.content["facts"]["seizure"]
    files = {role: [m.sha256 for m in stored.media if m.role == role]
             for role in ("signature", "witness_signature", "custodian_signature")}
    assert [len(files[r]) for r in files] == [1, 2, 1], files
    witnesses = seizure["witnesses"]
    assert [(w["name"], w["id_type"], w["id_number"], w["signed"]) for w in witnesses] == [
        (*w, True) for w in WITNESSES]
    assert sorted(w["signature"] for w in witnesses) == sorted(files["witness_signature"])
    custodian = seizure["custodian"]
    assert (custodian["name"], custodian["id_type"], custodian["id_number"]) == CUSTODIAN
    assert custodian["signature"] == files["custodian_signature"][0]
    # Each drawn signature has its time of capture (R-NOT-9).
    entered = stored.content["facts"]["entered_at"]
    assert {"seizure.witnesses.0.signature", "seizure.witnesses.1.signature",
            "seizure.custodian.signature"} <= set(entered)
    for sha in [sha for shas in files.values() for sha in shas]:
        assert db.session.get(MediaBlob, sha) is not None

    # The phone's copy of the acta, for a record the server holds.
    page.goto(f"{live_server.url}/captura/diligencia?registro={record_id}")
    link = page.locator("#acta-open")
    expect(link).to_be_visible()
    expect(link).to_have_text("Ver o descargar el acta (PDF)")
    expect(link).to_have_attribute("href", re.compile(rf"/diligencias/{record_id}/acta\.pdf$"))
    response = page.context.request.get(link.evaluate("a => a.href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()

    text = one_line(pdftotext(pdf, tmp_path))
    for n, (name, _id_type, number) in enumerate(WITNESSES, start=1):
        assert f"Testigo {n}: {name}, identificación:" in text, text
        assert number in text
    assert text.count("firmó en pantalla") >= 2, text
    assert "Firma del depositario Firmó en pantalla" in text, text
    assert CUSTODIAN[2] in text
    assert "Sin firma registrada" not in text and "La firma aún no llega" not in text, text
    # The four drawn signatures (the attendee's, two witnesses', the custodian's) are printed
    # as the images the phone's pads made, besides the façade photo and the QR.
    drawn = []
    for sha in [sha for shas in files.values() for sha in shas]:
        with Image.open(storage.original_path(sha)) as image:
            drawn.append(image.size)
    printed = images_in(pdf, tmp_path)
    assert sorted(s for s in printed if s in drawn) == sorted(drawn), (printed, drawn)
    signatures_page_png(pdf, tmp_path)


def signatures_page_png(pdf: bytes, tmp_path: Path) -> None:
    """The acta's page with its signature boxes as an image, to be looked at."""
    source = tmp_path / "acta-signatures.pdf"
    source.write_bytes(pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout).group(1))
    for n in range(pages, 0, -1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(source), "-"],
                              check=True, capture_output=True, text=True).stdout
        if "Depositario" in text and "Testigo 2" in text and "Nombre y firma" in text:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(n), "-l", str(n),
                            str(source), str(SCREENSHOTS / "acta-embargo-signatures")], check=True)
            return
    raise AssertionError("no page of the acta holds the signature boxes")
