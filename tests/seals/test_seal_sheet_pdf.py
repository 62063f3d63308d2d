"""The seal sheet PDF decodes: rasterised with pdftoppm, every QR label read with OpenCV gives
back its own code, and the set of codes read equals the set issued."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from fieldapp.seals.codes import parse, seal_code
from fieldapp.seals.pdf import LABELS_PER_PAGE, PAGE_H, PAGE_W, label_box, seal_sheet_pdf
from tests.live import SCREENSHOTS

DPI = 200


def rasterise(pdf: bytes, tmp_path: Path) -> list[np.ndarray]:
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    return [cv2.imread(str(p), cv2.IMREAD_GRAYSCALE) for p in pages]


def decode_label(page: np.ndarray, index: int) -> str:
    """Crops one label out of its page and decodes the QR code on it."""
    box = label_box(index)
    sx, sy = page.shape[1] / PAGE_W, page.shape[0] / PAGE_H
    crop = page[int(box.y * sy):int((box.y + box.h) * sy), int(box.x * sx):int((box.x + box.w) * sx)]
    # OpenCV's classic detector misses a few valid symbols (finder patterns it cannot locate);
    # the ArUco-based one reads those. Both only return what the symbol really encodes.
    for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
        text, _, _ = detector.detectAndDecode(crop)
        if text:
            return str(text)
    return ""


def decode_sheet(pdf: bytes, count: int, tmp_path: Path) -> list[str]:
    pages = rasterise(pdf, tmp_path)
    assert len(pages) == -(-count // LABELS_PER_PAGE)
    return [decode_label(pages[label_box(i).page], i) for i in range(count)]


def test_every_qr_label_of_the_sheet_reads_back_its_code(tmp_path):
    codes = [seal_code("1401", serial) for serial in range(1, 31)]  # a page and a bit
    pdf = seal_sheet_pdf(codes, office_name="Subdelegación Centro", title="Hoja de sellos 1")
    assert decode_sheet(pdf, len(codes), tmp_path) == codes


def test_the_issued_sheet_pdf_decodes_to_the_issued_codes(client, enforcement, auth, tmp_path):
    from fieldapp.extensions import db
    from fieldapp.seals.services import issue_sheet

    sheet = issue_sheet(enforcement.office, 26, actor=enforcement.supervisor)
    db.session.commit()
    issued = [s.code for s in sheet.seals]
    auth.login(enforcement.supervisor.username)
    response = client.get(f"/oficina/sellos/hojas/{sheet.id}/etiquetas.pdf")
    assert response.status_code == 200
    read = decode_sheet(response.data, len(issued), tmp_path)
    assert read == issued and set(read) == set(issued)
    assert all(parse(code) is not None for code in read)
    # Every label also carries its code in print, to be typed when no camera reads it.
    (tmp_path / "issued.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "issued.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert all(code in text for code in issued)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first_page = sorted(tmp_path.glob("page-*.png"))[0]
    shutil.copyfile(first_page, SCREENSHOTS / "seal-sheet-page-1.png")


def test_the_code_contract_example():
    """The contract the phone implements too (static/js): office 1401, serial 123."""
    assert seal_code("1401", 123) == "SE-1401-000123-Y"
    assert parse(" se-1401-000123-y ") is not None
    assert parse("SE-1401-000123-X") is None
