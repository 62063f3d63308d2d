"""The acuerdo of notification by estrados as a printable PDF (CFF 134 III, 139; R-NOT-12),
laid out with the actas' PDF base (fonts, margins, ``printable``): the debtor, the document and
its credits, the diligence that failed and why, and what the acuerdo orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from fpdf import FPDF

from fieldapp.actas.pdf import CONTENT_W, FONT, FONT_FILES, FONTS_DIR, GREY, MARGIN, printable
from fieldapp.credits.models import EstradosCase
from fieldapp.legal.labels import NOT_LOCATED_REASONS
from fieldapp.offices.models import Office
from fieldapp.web.formats import long_date, money

INSTITUTE = "Instituto Mexicano del Seguro Social"
TITLE = "Acuerdo de notificación por estrados"


@dataclass(frozen=True)
class Agreement:
    """What the acuerdo says, decided from the case (``agreement_of``), apart from its layout."""

    office: str
    number: str
    agreed_on: date
    debtor: str
    rfc: str
    address: str
    document: str
    credits: tuple[tuple[str, str, str], ...]  # number, concept and period, total
    failure: str
    signer: str


def agreement_of(case: EstradosCase, office: Office) -> Agreement:
    assert case.agreement_number is not None and case.agreement_on is not None
    document = case.document
    debtor = document.debtor
    return Agreement(
        office=office.name, number=case.agreement_number, agreed_on=case.agreement_on,
        debtor=debtor.legal_name, rfc=debtor.rfc, address=document.address.one_line,
        # "documento" keeps the sentence's gender whatever the kind (la cédula, el requerimiento).
        document=(f"documento «{document.kind_label}» con folio {document.folio}, emitido por "
                  f"{document.issuing_authority} el {long_date(document.issued_on)}"),
        credits=tuple((c.credit_number, f"{c.concept_label} {c.period}", money(c.total))
                      for c in document.credits),
        failure=failure_text(case, office),
        signer=case.agreement_by.full_name if case.agreement_by else "",
    )


def failure_text(case: EstradosCase, office: Office) -> str:
    """The diligence that failed and why, as the acuerdo tells it."""
    diligence = case.diligence
    facts = diligence.facts
    day = long_date(diligence.captured_at.astimezone(ZoneInfo(office.timezone)).date())
    who = (facts.get("field_user") or {}).get("name") or diligence.user.full_name
    where = (facts.get("address") or {}).get("text") or case.document.address.one_line
    opening = (f"El {day}, {who} se constituyó en el domicilio ubicado en {where} para notificar "
               f"el documento (diligencia {diligence.id})")
    if case.reason == "refused":
        return (f"{opening}; la persona con quien se entendió la diligencia de seguimiento se "
                "negó a recibirlo, por lo que procede su notificación por estrados.")
    found = facts.get("not_located") or {}
    reason = NOT_LOCATED_REASONS.get(found.get("reason") or "", "no fue localizado")
    statements = "; ".join(f"{s.get('name')}: «{s.get('text')}»"
                           for s in found.get("statements") or [] if s.get("text"))
    text = f"{opening}; el deudor no fue localizado en el domicilio ({reason.lower()})."
    if found.get("premises_state"):
        text += f" Estado del inmueble: {found['premises_state']}."
    if statements:
        text += f" Manifestaciones de vecinos: {statements}."
    return text


class AgreementPDF(FPDF):
    def __init__(self, agreement: Agreement) -> None:
        super().__init__(unit="mm", format="Letter")
        for (family, style), filename in FONT_FILES.items():
            self.add_font(family, style, FONTS_DIR / filename)
        self.agreement = agreement
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(printable(f"{TITLE} {agreement.number}"))
        self.set_author(printable(agreement.office))
        self.set_creator("fieldapp")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, printable(f"Acuerdo {self.agreement.number} · página "
                                          f"{self.page_no()} de {{nb}}"), align="C")
        self.set_text_color(0)

    def paragraph(self, text: str, size: float = 9.5, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(CONTENT_W, 5, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def agreement_pdf(agreement: Agreement) -> bytes:
    a = agreement
    pdf = AgreementPDF(a)
    pdf.add_page()
    pdf.paragraph(INSTITUTE.upper(), 10, "B")
    pdf.paragraph(a.office, 9)
    pdf.paragraph(TITLE.upper(), 14, "B")
    pdf.paragraph(f"Acuerdo número {a.number} · {long_date(a.agreed_on)}", 10, "B")
    pdf.paragraph(f"En {a.office}, a {long_date(a.agreed_on)}, visto el expediente de "
                  f"{a.debtor}, RFC {a.rfc}, con domicilio en {a.address}, respecto del "
                  f"{a.document}, que ampara los créditos siguientes:")
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(40, 90, 40), text_align=("LEFT", "LEFT", "RIGHT")) as table:
        table.row(("Crédito", "Concepto y periodo", "Importe"))
        for row in a.credits:
            table.row(tuple(printable(cell) for cell in row))
    pdf.ln(3)
    pdf.paragraph(f"RESULTANDO ÚNICO. {a.failure}")
    pdf.paragraph("CONSIDERANDO. Que conforme al artículo 134, fracción III, del Código Fiscal "
                  "de la Federación, las notificaciones se harán por estrados cuando la persona "
                  "a quien deba notificarse no sea localizable en el domicilio, se oponga a la "
                  "diligencia de notificación o desaparezca después de iniciadas las facultades "
                  "de comprobación; y que el artículo 139 del mismo Código dispone la forma de "
                  "hacerlo.")
    pdf.paragraph("Con fundamento en los artículos 134, fracción III, y 139 del Código Fiscal de "
                  "la Federación, se ACUERDA:", style="B")
    pdf.paragraph(f"PRIMERO. Notifíquese por estrados a {a.debtor} el documento citado, "
                  "fijándolo durante diez días en sitio abierto al público de las oficinas de "
                  "esta subdelegación y publicándolo durante el mismo plazo en la página "
                  "electrónica del Instituto.")
    pdf.paragraph("SEGUNDO. Se tendrá como fecha de notificación la del décimo primer día "
                  "contado a partir del día siguiente a aquél en que se hubiera fijado o "
                  "publicado el documento (artículo 139 del Código Fiscal de la Federación).")
    pdf.ln(16)
    pdf.set_font(FONT, "", 9)
    pdf.cell(CONTENT_W, 5, "_" * 40, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(CONTENT_W, 5, printable(a.signer), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(CONTENT_W, 5, printable(f"Jefatura de Oficina para Cobros, {a.office}"), align="C",
             new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
