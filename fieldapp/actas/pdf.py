"""The layout of an acta as a PDF (fpdf2 + qrcode, in the style of fieldapp.seals.pdf).

``acta_pdf`` lays out what ``fieldapp.actas.services.build_acta`` decided to say: a heading
with the verification QR code (and its URL in print, for whoever has no camera), the sections
as label/value rows and tables, the signature or its refusal, the photos (thumbnails) as an
annex, and a footer on every page with the record id and its hash prefix.

fpdf2's core fonts are Latin-1: Spanish (á, ñ, «») prints as is, and anything else a phone may
send (curly quotes, dashes, emoji, other scripts) is mapped to a Latin-1 look-alike or "?"
by ``latin1`` before it reaches the page, so no name can break the printing.
"""

from __future__ import annotations

import unicodedata

import qrcode
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from fieldapp.actas.services import Acta, Photo, Section
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
GREY = (90, 96, 104)
RULE = (200, 205, 212)
BAND = (232, 238, 235)
WARN = (164, 22, 26)

_LOOK_ALIKES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u2022": "·",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\ufeff": "",
})


def latin1(text: str) -> str:
    """``text`` in characters the core fonts can print (see the module docstring)."""
    text = unicodedata.normalize("NFC", text).translate(_LOOK_ALIKES)
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch if ch.isprintable() or ch == "\n" else " ")
            continue
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base if base.strip() else "?")
    return "".join(out)


def qr_image(url: str):  # type: ignore[no-untyped-def]
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image()


class ActaPDF(FPDF):
    def __init__(self, acta: Acta) -> None:
        super().__init__(unit="mm", format="Letter")
        self.acta = acta
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(latin1(f"{acta.title} · {acta.folio}"))
        self.set_author(latin1(acta.office))
        self.set_creator("fieldapp")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "", 7.5)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, latin1(f"{self.acta.title} · folio {self.acta.folio} · "
                                       f"{self.acta.debtor_name}"), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Helvetica", "", 7)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, latin1(
            f"Registro {self.acta.diligence_id} · versión {self.acta.version} · huella "
            f"{self.acta.hash_prefix} · página {self.page_no()} de {{nb}}"), align="C")
        self.set_text_color(0)

    # Text helpers: every string goes through latin1().
    def write_cell(self, w: float, h: float, text: str, **kw: object) -> None:
        self.cell(w, h, latin1(text), **kw)  # type: ignore[arg-type]

    def write_lines(self, w: float, h: float, text: str, **kw: object) -> None:
        self.multi_cell(w, h, latin1(text), **kw)  # type: ignore[arg-type]


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
    pdf.set_font("Helvetica", "B", 10)
    pdf.write_cell(text_w, 5, acta.institute.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.write_lines(text_w, 4.5, acta.office, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 15)
    pdf.write_lines(text_w, 7, acta.title.upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)
    pdf.write_lines(text_w, 5, f"Folio {acta.folio} · {acta.debtor_name} · {acta.date_label}",
                    new_x="LMARGIN", new_y="NEXT")
    if acta.summary:
        pdf.set_font("Helvetica", "B", 9.5)
        pdf.write_lines(text_w, 5, acta.summary, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE - 1))
    pdf.set_font("Helvetica", "", 7.5)
    pdf.set_text_color(*GREY)
    pdf.write_cell(CONTENT_W, 3.6, "Verifique esta acta: escanee el código QR o abra la dirección",
                   align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Courier", "", 7.5)
    pdf.set_text_color(0)
    pdf.write_cell(CONTENT_W, 3.6, url, align="R", new_x="LMARGIN", new_y="NEXT")
    if not acta.record_matches or acta.superseded:
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 9)
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
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.set_fill_color(*BAND)
    pdf.write_cell(CONTENT_W, 6, f"  {title}", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(255)  # tables below fill their cells with the current colour
    pdf.ln(1)


def _section(pdf: ActaPDF, section: Section) -> None:
    _band(pdf, section.title)
    if section.lines:
        pdf.set_font("Helvetica", "", 8.5)
        pdf.set_draw_color(*RULE)
        with pdf.table(col_widths=(LABEL_W, CONTENT_W - LABEL_W), first_row_as_headings=False,
                       borders_layout="HORIZONTAL_LINES", line_height=4.4,
                       padding=(0.8, 1.2, 0.8, 1.2), text_align="LEFT",
                       v_align="TOP") as table:
            for line in section.lines:
                row = table.row()
                row.cell(latin1(line.label), style=FontFace(emphasis="BOLD", color=GREY))
                row.cell(latin1(line.value))
    if section.table is not None and section.table.rows:
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "", 8)
        total = sum(section.table.widths)
        widths = tuple(CONTENT_W * w / total for w in section.table.widths)
        with pdf.table(col_widths=widths, line_height=4.2, text_align="LEFT", v_align="TOP",
                       padding=(0.8, 1.2, 0.8, 1.2), borders_layout="SINGLE_TOP_LINE",
                       headings_style=FontFace(emphasis="BOLD", fill_color=(245, 247, 248)),
                       repeat_headings=1) as table:
            table.row([latin1(c) for c in section.table.columns])
            for cells in section.table.rows:
                table.row([latin1(c) for c in cells])
    if section.note:
        pdf.ln(1)
        pdf.set_font("Helvetica", "I", 8)
        pdf.set_text_color(*GREY)
        pdf.write_lines(CONTENT_W, 4, section.note, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    pdf.ln(3)


def _load_image(photo: Photo) -> Image.Image | None:
    """The photo's thumbnail (made on receipt), else its original downscaled; JPEG, PNG and
    WebP all end up as an RGB Pillow image, which fpdf2 embeds whatever the source format."""
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
                pdf.set_font("Helvetica", "I", 7.5)
                pdf.write_cell(cell_w, 4, "Fotografía pendiente de recibir", align="C")
            pdf.set_xy(x, y + h + 1)
            pdf.set_font("Helvetica", "", 7)
            pdf.set_text_color(*GREY)
            pdf.write_cell(cell_w, 3.5, f"{photo.caption} · {photo.sha256[:12]}", align="C")
            pdf.set_text_color(0)
        pdf.set_xy(MARGIN, y + row_h)
    pdf.ln(2)


def _signatures(pdf: ActaPDF, acta: Acta) -> None:
    box_h = 34.0 + (22.0 if acta.witnesses else 0.0)
    if pdf.get_y() + 7 + box_h > pdf.page_break_trigger:  # the band and the box together
        pdf.add_page()
    _band(pdf, "Firmas")
    y = pdf.get_y()
    half = (CONTENT_W - 10) / 2
    if acta.attendee_name is not None:  # R-NOT-7: the receiver's signature, or their refusal
        image = _load_image(acta.signature) if acta.signature and acta.signature.stored else None
        if image is not None:
            h = min(22.0, half * image.height / image.width)
            w = h * image.width / image.height
            pdf.image(image, x=MARGIN + (half - w) / 2, y=y + 22 - h, w=w, h=h)
        elif acta.signature_note:
            pdf.set_xy(MARGIN, y + 12)
            pdf.set_font("Helvetica", "B", 9)
            pdf.write_cell(half, 5, acta.signature_note, align="C")
        _signature_line(pdf, MARGIN, y + 24, half, "Nombre y firma de quien recibe la diligencia",
                        acta.attendee_name)
    _signature_line(pdf, MARGIN + half + 10, y + 24, half, f"Nombre y firma de quien actúa "
                    f"({acta.field_user_role.lower()})", acta.field_user_name)
    for n, name in enumerate(acta.witnesses[:2]):  # R-PAE-4: the witnesses sign too
        _signature_line(pdf, MARGIN + n * (half + 10), y + 46, half, f"Testigo {n + 1}", name)
    pdf.set_xy(MARGIN, y + box_h)


def _signature_line(pdf: ActaPDF, x: float, y: float, w: float, caption: str, name: str) -> None:
    pdf.set_draw_color(0)
    pdf.line(x, y, x + w, y)
    pdf.set_xy(x, y + 0.8)
    pdf.set_font("Helvetica", "", 8.5)
    pdf.write_cell(w, 4, name, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(*GREY)
    pdf.write_cell(w, 3.5, caption, align="C")
    pdf.set_text_color(0)

