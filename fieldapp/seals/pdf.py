"""A sheet of QR seal labels as a PDF (fpdf2 + qrcode): 24 labels per US Letter page, each a
QR code that encodes exactly the seal code, with the code printed under it so it can be typed
when no camera reads it. ``label_box`` gives each label's place, for whoever cuts or checks
the sheet (the tests decode every label from a rasterised page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import qrcode
from fpdf import FPDF
from qrcode.constants import ERROR_CORRECT_M

PAGE_W, PAGE_H = 215.9, 279.4  # US Letter, mm (the paper Mexican offices use)
COLUMNS, ROWS = 4, 6
LABELS_PER_PAGE = COLUMNS * ROWS
LABEL_W, LABEL_H = 50.0, 42.0
MARGIN_X = (PAGE_W - COLUMNS * LABEL_W) / 2
MARGIN_TOP = 18.0
QR_SIZE = 30.0


@dataclass(frozen=True)
class LabelBox:
    page: int  # 0-based
    x: float
    y: float
    w: float = LABEL_W
    h: float = LABEL_H


def label_box(index: int) -> LabelBox:
    page, slot = divmod(index, LABELS_PER_PAGE)
    row, column = divmod(slot, COLUMNS)
    return LabelBox(page, MARGIN_X + column * LABEL_W, MARGIN_TOP + row * LABEL_H)


def _qr_image(code: str):  # type: ignore[no-untyped-def]
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(code)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


def seal_sheet_pdf(codes: Sequence[str], *, office_name: str, title: str) -> bytes:
    """The PDF of one sheet: ``codes`` in order, left to right, top to bottom."""
    pdf = FPDF(unit="mm", format="Letter")
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_author(office_name)
    pdf.set_creator("fieldapp")
    pages = max(1, -(-len(codes) // LABELS_PER_PAGE))
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(MARGIN_X, 8)
        pdf.cell(COLUMNS * LABEL_W, 5, f"{office_name} · {title} · hoja {page + 1} de {pages}",
                 align="C")
    for index, code in enumerate(codes):
        box = label_box(index)
        pdf.page = box.page + 1
        _draw_label(pdf, box, code, office_name)
    return bytes(pdf.output())


def _draw_label(pdf: FPDF, box: LabelBox, code: str, office_name: str) -> None:
    pdf.set_draw_color(190, 190, 190)
    pdf.set_line_width(0.2)
    pdf.rect(box.x, box.y, box.w, box.h)  # the cutting line
    pdf.set_font("Helvetica", "", 6)
    pdf.set_xy(box.x, box.y + 1.2)
    pdf.cell(box.w, 3, "IMSS · SELLO DE EMBARGO", align="C")
    pdf.image(_qr_image(code), x=box.x + (box.w - QR_SIZE) / 2, y=box.y + 4.5,
              w=QR_SIZE, h=QR_SIZE)
    pdf.set_font("Courier", "B", 9.5)
    pdf.set_xy(box.x, box.y + 4.5 + QR_SIZE + 0.8)
    pdf.cell(box.w, 4, code, align="C")
