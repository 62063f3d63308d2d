"""The layout of an acta as a PDF (fpdf2 + qrcode, in the style of fieldapp.seals.pdf).

``acta_pdf`` lays out what ``fieldapp.actas.services.build_acta`` decided to say: a heading
with the verification QR code (and its URL in print, for whoever has no camera), the sections
as sentences, label/value rows and tables, every signature (or its refusal), the photos
(thumbnails) as an annex, and a footer on every page with the record id and its hash prefix.

Any text prints: the acta embeds DejaVu Sans (vendored in ``fonts/`` with its licence), which
covers Spanish, symbols and most scripts a phone may send; ``printable`` turns a character the
font lacks (an emoji it does not draw, a control character) into a visible replacement mark,
never a crash. A long text (a 10,000-character statement) flows over as many pages as it needs:
table rows are cut into pieces that each fit on a page, since fpdf2 cannot break one row.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import qrcode
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from fieldapp.actas.services import Acta, Photo, Section, Signer
from fieldapp.media import storage

PAGE_W, PAGE_H = 215.9, 279.4  # US Letter, mm
MARGIN = 15.0
CONTENT_W = PAGE_W - 2 * MARGIN
QR_SIZE = 32.0
LABEL_W = 62.0
PHOTO_COLUMNS = 3
PHOTO_GAP = 4.0
PHOTO_MAX_H = 48.0
PHOTO_DECODE_EDGE = 900  # a fallback decode of an original is downscaled to this long edge
CELL_PADDING = (0.8, 1.2, 0.8, 1.2)  # top, right, bottom, left (mm)
MAX_ROW_H = 120.0  # a table row taller than this is cut into continued rows (under a page)
SIGNATURE_BOX_H = 34.0
GREY = (90, 96, 104)
RULE = (200, 205, 212)
BAND = (232, 238, 235)
WARN = (164, 22, 26)

FONTS_DIR = Path(__file__).parent / "fonts"
FONT = "DejaVu"
MONO = "DejaVuMono"
FONT_FILES = {(FONT, ""): "DejaVuSans.ttf", (FONT, "B"): "DejaVuSans-Bold.ttf",
              (FONT, "I"): "DejaVuSans-Oblique.ttf", (MONO, ""): "DejaVuSansMono.ttf"}
REPLACEMENT = "\ufffd"  # "�": the reader sees that something was there
# Invisible characters a phone's keyboard adds (emoji variation selectors and joiners, BOM).
_INVISIBLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFE0E, 0xFE0F, 0xFEFF}


@functools.cache
def _font_codepoints() -> frozenset[int]:
    """The characters every style of the embedded font draws (read once from the files)."""
    sets = []
    for filename in FONT_FILES.values():
        with TTFont(FONTS_DIR / filename, lazy=True) as font:
            sets.append(frozenset(font.getBestCmap()))
    return frozenset.intersection(*sets)


def printable(text: str) -> str:
    """``text`` with every character the font draws kept, line breaks and tabs as spaces or
    breaks, invisible joiners dropped and anything else replaced by a visible mark."""
    codepoints = _font_codepoints()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = ord(ch)
        if ch == "\n":
            out.append(ch)
        elif ch in "\t\r\v\f" or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif code in _INVISIBLE:
            continue
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") or code not in codepoints:
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def qr_image(url: str):  # type: ignore[no-untyped-def]
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


class ActaPDF(FPDF):
    def __init__(self, acta: Acta) -> None:
        super().__init__(unit="mm", format="Letter")
        for (family, style), filename in FONT_FILES.items():
            self.add_font(family, style, FONTS_DIR / filename)
        self.acta = acta
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(printable(f"{acta.title} · {acta.folio}"))
        self.set_author(printable(acta.office))
        self.set_creator("fieldapp")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, printable(f"{self.acta.title} · folio {self.acta.folio} · "
                                          f"{self.acta.debtor_name}"[:140]),
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, printable(
            f"Registro {self.acta.diligence_id} · versión {self.acta.version} · huella "
            f"{self.acta.hash_prefix} · página {self.page_no()} de {{nb}}"), align="C")
        self.set_text_color(0)

    # Text helpers: every string goes through printable().
    def write_cell(self, w: float, h: float, text: str, **kw: object) -> None:
        """One line; a text wider than ``w`` is shortened with an ellipsis, never spilled."""
        text = printable(text)
        if self.get_string_width(text) > w - 1:
            while text and self.get_string_width(text + "…") > w - 1:
                text = text[:-1]
            text += "…"
        self.cell(w, h, text, **kw)  # type: ignore[arg-type]

    def write_lines(self, w: float, h: float, text: str, **kw: object) -> None:
        """A paragraph: wraps, and flows onto the next page when it must."""
        self.multi_cell(w, h, printable(text), **kw)  # type: ignore[arg-type]

    def wrapped(self, text: str, width: float) -> list[str]:
        """``text`` as the lines it takes at ``width`` in the current font."""
        lines = self.multi_cell(width, 4, printable(text), dry_run=True, output="LINES")
        return list(lines) or [""]


def _rows_that_fit(pdf: ActaPDF, cells: tuple[str, ...], widths: tuple[float, ...],
                   line_height: float) -> list[list[str]]:
    """One table row, cut into continued rows of at most ``MAX_ROW_H`` each: fpdf2 lays out
    a row on one page, so a cell of thousands of characters would not fit otherwise."""
    padding = CELL_PADDING[1] + CELL_PADDING[3]
    max_lines = int((MAX_ROW_H - CELL_PADDING[0] - CELL_PADDING[2]) // line_height)
    wrapped = [pdf.wrapped(text, w - padding) for text, w in zip(cells, widths, strict=True)]
    if max(len(lines) for lines in wrapped) <= max_lines:
        return [[printable(c) for c in cells]]
    pieces = []
    for start in range(0, max(len(lines) for lines in wrapped), max_lines):
        pieces.append(["\n".join(lines[start:start + max_lines]) for lines in wrapped])
    return pieces


def acta_pdf(acta: Acta, verification_url: str) -> bytes:
    """The acta as PDF bytes; ``verification_url`` is what its QR code encodes."""
    pdf = ActaPDF(acta)
    pdf.add_page()
    _heading(pdf, acta, verification_url)
    for section in acta.sections:
        _section(pdf, section)
    _signatures(pdf, acta)  # the acta's text ends with its signatures; the photos follow as annex
    _photos(pdf, acta.photos)
    return bytes(pdf.output())


def _heading(pdf: ActaPDF, acta: Acta, url: str) -> None:
    top = pdf.get_y()
    text_w = CONTENT_W - QR_SIZE - 4
    pdf.image(qr_image(url), x=PAGE_W - MARGIN - QR_SIZE, y=top - 2, w=QR_SIZE, h=QR_SIZE)
    pdf.set_font(FONT, "B", 10)
    pdf.write_cell(text_w, 5, acta.institute.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.write_lines(text_w, 4.5, acta.office, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    pdf.write_lines(text_w, 7, acta.title.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.write_lines(text_w, 5, f"Folio {acta.folio} · {acta.debtor_name} · {acta.date_label}",
                    new_x="LMARGIN", new_y="NEXT")
    if acta.summary:
        pdf.set_font(FONT, "B", 9)
        pdf.write_lines(text_w, 5, acta.summary, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE - 1))
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*GREY)
    pdf.write_cell(CONTENT_W, 3.6, "Verifique esta acta: escanee el código QR o abra la dirección",
                   align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(MONO, "", 7.5)
    pdf.set_text_color(0)
    pdf.write_cell(CONTENT_W, 3.6, url, align="R", new_x="LMARGIN", new_y="NEXT")
    if not acta.record_matches or acta.superseded:
        pdf.ln(2)
        pdf.set_font(FONT, "B", 9)
        pdf.set_text_color(*WARN)
        if not acta.record_matches:
            pdf.write_lines(CONTENT_W, 4.5, "ATENCIÓN: el registro almacenado ya no coincide con "
                            "su huella; esta impresión no acredita los hechos.",
                            new_x="LMARGIN", new_y="NEXT")
        if acta.superseded:
            pdf.write_lines(CONTENT_W, 4.5, "Esta versión del registro fue sustituida por una "
                            "corrección: imprima la versión vigente.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def _band(pdf: ActaPDF, title: str) -> None:
    if pdf.get_y() > pdf.page_break_trigger - 22:  # keep a title with its first rows
        pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    pdf.set_fill_color(*BAND)
    pdf.write_cell(CONTENT_W, 6, f"  {title}", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(255)  # tables below fill their cells with the current colour
    pdf.ln(1)


def _section(pdf: ActaPDF, section: Section) -> None:
    _band(pdf, section.title)
    if section.prose:  # the facts as sentences, then the same facts as labelled values
        pdf.set_font(FONT, "", 8.5)
        pdf.write_lines(CONTENT_W, 4.4, " ".join(section.prose), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if section.lines:
        pdf.set_font(FONT, "", 8)
        pdf.set_draw_color(*RULE)
        widths = (LABEL_W, CONTENT_W - LABEL_W)
        with pdf.table(col_widths=widths, first_row_as_headings=False,
                       borders_layout="HORIZONTAL_LINES", line_height=4.2,
                       padding=CELL_PADDING, text_align="LEFT", v_align="TOP") as table:
            for line in section.lines:
                pieces = _rows_that_fit(pdf, (line.label, line.value), widths, 4.2)
                for n, (label, value) in enumerate(pieces):
                    row = table.row()
                    row.cell(label if n == 0 else "(continúa)",
                             style=FontFace(emphasis="BOLD", color=GREY))
                    row.cell(value)
    if section.table is not None and section.table.rows:
        pdf.ln(1.5)
        pdf.set_font(FONT, "", 7.5)
        total = sum(section.table.widths)
        widths = tuple(CONTENT_W * w / total for w in section.table.widths)
        with pdf.table(col_widths=widths, line_height=4.0, text_align="LEFT", v_align="TOP",
                       padding=CELL_PADDING, borders_layout="SINGLE_TOP_LINE",
                       headings_style=FontFace(emphasis="BOLD", fill_color=(245, 247, 248)),
                       repeat_headings=1) as table:
            table.row([printable(c) for c in section.table.columns])
            for cells in section.table.rows:
                for piece in _rows_that_fit(pdf, cells, widths, 4.0):
                    table.row(piece)
    if section.note:
        pdf.ln(1)
        pdf.set_font(FONT, "I", 7.5)
        pdf.set_text_color(*GREY)
        pdf.write_lines(CONTENT_W, 4, section.note, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def _load_image(photo: Photo) -> Image.Image | None:
    """The photo's thumbnail (once an office screen made it), else its original downscaled; JPEG,
    PNG and WebP all end up as an RGB Pillow image, which fpdf2 embeds whatever the source format."""
    for path, shrink in ((storage.thumbnail_path(photo.sha256), False),
                         (storage.original_path(photo.sha256), True)):
        if not path.exists():
            continue
        with Image.open(path) as image:
            if shrink:
                image.draft("RGB", (PHOTO_DECODE_EDGE, PHOTO_DECODE_EDGE))
            image.load()
            copy = image.convert("RGBA") if image.mode in ("RGBA", "LA", "P") else image.convert("RGB")
        if shrink:
            copy.thumbnail((PHOTO_DECODE_EDGE, PHOTO_DECODE_EDGE))
        if copy.mode == "RGBA":
            background = Image.new("RGB", copy.size, "white")
            background.paste(copy, mask=copy.getchannel("A"))
            copy = background
        return copy
    return None


def _photos(pdf: ActaPDF, photos: tuple[Photo, ...]) -> None:
    if not photos:
        return
    if pdf.get_y() + 7 + PHOTO_MAX_H + 9 > pdf.page_break_trigger:  # the title with a row
        pdf.add_page()
    _band(pdf, "Anexo: evidencia fotográfica")
    cell_w = (CONTENT_W - PHOTO_GAP * (PHOTO_COLUMNS - 1)) / PHOTO_COLUMNS
    for start in range(0, len(photos), PHOTO_COLUMNS):
        row = photos[start:start + PHOTO_COLUMNS]
        images = [_load_image(p) if p.stored else None for p in row]
        heights = [min(PHOTO_MAX_H, cell_w * img.height / img.width) if img else 20.0
                   for img in images]
        row_h = max(heights) + 9
        if pdf.get_y() + row_h > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        for column, (photo, image, h) in enumerate(zip(row, images, heights, strict=True)):
            x = MARGIN + column * (cell_w + PHOTO_GAP)
            if image is not None:
                w = min(cell_w, h * image.width / image.height)
                pdf.image(image, x=x + (cell_w - w) / 2, y=y, w=w, h=h)
            else:
                pdf.set_draw_color(*RULE)
                pdf.rect(x, y, cell_w, h)
                pdf.set_xy(x, y + h / 2 - 2)
                pdf.set_font(FONT, "I", 7.5)
                pdf.write_cell(cell_w, 4, "Fotografía pendiente de recibir", align="C")
            pdf.set_xy(x, y + h + 1)
            pdf.set_font(FONT, "", 7)
            pdf.set_text_color(*GREY)
            pdf.write_cell(cell_w, 3.5, f"{photo.caption} · {photo.sha256[:12]}", align="C")
            pdf.set_text_color(0)
        pdf.set_xy(MARGIN, y + row_h)
    pdf.ln(2)


def _signatures(pdf: ActaPDF, acta: Acta) -> None:
    """Two signature boxes a row: who received, who acts, then the witnesses and the
    custodian of an embargo (R-NOT-7, R-PAE-4, R-PAE-8), each with their drawn signature, or
    their refusal, above the line."""
    rows = [acta.signers[i:i + 2] for i in range(0, len(acta.signers), 2)]
    if pdf.get_y() + 7 + SIGNATURE_BOX_H > pdf.page_break_trigger:  # the band with a row
        pdf.add_page()
    _band(pdf, "Firmas")
    half = (CONTENT_W - 10) / 2
    for row in rows:
        if pdf.get_y() + SIGNATURE_BOX_H > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        for column, signer in enumerate(row):
            _signature_box(pdf, MARGIN + column * (half + 10), y, half, signer)
        pdf.set_xy(MARGIN, y + SIGNATURE_BOX_H)


def _signature_box(pdf: ActaPDF, x: float, y: float, w: float, signer: Signer) -> None:
    image = (_load_image(signer.signature)
             if signer.signature is not None and signer.signature.stored else None)
    if image is not None:
        h = min(20.0, w * image.height / image.width)
        iw = h * image.width / image.height
        pdf.image(image, x=x + (w - iw) / 2, y=y + 22 - h, w=iw, h=h)
    elif signer.note:
        pdf.set_xy(x, y + 12)
        pdf.set_font(FONT, "B", 8.5)
        pdf.write_cell(w, 5, signer.note, align="C")
    pdf.set_draw_color(0)
    pdf.line(x, y + 24, x + w, y + 24)
    pdf.set_xy(x, y + 24.8)
    pdf.set_font(FONT, "", 8)
    pdf.write_cell(w, 4, signer.name, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*GREY)
    pdf.write_cell(w, 3.5, signer.caption, align="C")
    pdf.set_text_color(0)
