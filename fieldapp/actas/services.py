"""What an acta says, built from the stored record of one diligence.

``build_acta`` reads the record as the phone hashed it (``Diligence.content``) plus the
portfolio rows it points at (office, document, debtor, credits) and returns plain text in
sections; ``fieldapp.actas.pdf`` only lays them out. Each kind of diligence carries the fields
legal-rules.md requires of its act: the place, time and people (R-NOT-8), the citatorio's
appointment (R-NOT-3), the posting (R-NOT-4), the signature or its refusal (R-NOT-7), the
evidence of a debtor not located (R-NOT-10), the executor's credential (R-PAE-2), the goods in
CFF 155 order (R-PAE-4/5), custody and seals (R-PAE-8), third-party claims (R-PAE-9),
sufficiency (R-PAE-7), enforcement costs (R-PAE-3) and obstruction (R-PAE-10). The legal
findings stored at receipt are printed with their rule ids and the field user's reasons.

``verification`` answers the public page: whether a printed acta's id and hash prefix still
point at a stored record that matches its hash, and the few facts the printed acta shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import stored_record_matches
from fieldapp.extensions import db
from fieldapp.legal.costs import CHARGED_ACTS, NoCostBracket, bracket_on, diligence_costs
from fieldapp.legal.facts import (
    EXECUTOR_KINDS,
    Attendee,
    DiligenceFacts,
    FactsError,
    FieldUser,
    SeizedItem,
    Seizure,
)
from fieldapp.legal.goods import ITEM_CATEGORIES, is_exempt
from fieldapp.legal.labels import (
    ADDRESSEE_TYPES,
    APPOINTED_BY,
    CAPACITIES,
    DESIGNATED_BY,
    EXECUTOR_REASONS,
    ID_TYPES,
    MEDIA_ROLES,
    NOT_LOCATED_REASONS,
    PAYMENT_OUTCOMES,
    POSTING_REASONS,
    SEVERITIES,
    VERIFICATION_METHODS,
    WITNESS_NOTES,
)
from fieldapp.legal.messages import ADDRESS_ORIGIN_LABELS, fmt_money
from fieldapp.legal.services import enforcement_cost_base, parameters_for
from fieldapp.media.services import present
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import ADDRESS_ORIGINS

HASH_PREFIX_LEN = 16  # what the QR carries: enough to tell records apart, short to print
_HEX_PREFIX = re.compile(rf"[0-9a-f]{{{HASH_PREFIX_LEN}}}")

TITLES = {
    "citatorio": "Citatorio",
    "posting_record": "Constancia de fijación de citatorio",
    "notification": "Acta de notificación",
    "not_located": "Acta de no localización",
    "payment_demand": "Acta de requerimiento de pago",
    "seizure": "Acta de requerimiento de pago y embargo",
    "seizure_extension": "Acta de ampliación de embargo",
}
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
NO = "No consta"

ON_SITE_LABELS = {
    "attendee.name": "Nombre de quien atiende",
    "attendee.id_number": "Identificación de quien atiende",
    "attendee.relationship": "Relación con el destinatario",
    "absence_reason": "Motivo de la ausencia",
    "absence_informant": "Quién informó la ausencia",
    "not_located.premises_state": "Estado del inmueble",
}


class ActaError(ValueError):
    """The stored record cannot be read as an acta (its facts no longer follow the contract)."""


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # relative widths
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...] = ()
    table: Table | None = None
    note: str | None = None


@dataclass(frozen=True)
class Photo:
    caption: str
    sha256: str
    stored: bool  # False while the phone has not sent the file


@dataclass(frozen=True)
class Acta:
    diligence_id: str
    kind: str
    title: str
    institute: str
    office: str
    folio: str
    debtor_name: str
    field_user_name: str
    field_user_role: str
    date_label: str
    summary: str  # the act's key fact, printed under the title
    sections: tuple[Section, ...]
    photos: tuple[Photo, ...]
    signature: Photo | None
    signature_note: str
    attendee_name: str | None  # who signs as receiving; None when nobody attended
    witnesses: tuple[str, ...]  # names for the signature lines of an embargo (R-PAE-4)
    content_hash: str
    hash_prefix: str
    version: int
    record_matches: bool
    superseded: bool


# Formatting -----------------------------------------------------------------------------------

def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def long_date(day: date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]} de {day.year}"


def long_datetime(moment: datetime | None, tz: ZoneInfo) -> str:
    """``10 de marzo de 2026, 12:00 horas`` in the office's time zone (times are kept aware)."""
    if moment is None:
        return NO
    local = _local(moment, tz)
    return f"{long_date(local.date())}, {local:%H:%M} horas"


def _date(day: date | None) -> str:
    return long_date(day) if day is not None else NO


def _text(value: str | None) -> str:
    return value if value else NO


def _yes(value: bool) -> str:
    return "Sí" if value else "No"


def _money(value: Decimal | None) -> str:
    return fmt_money(value) if value is not None else NO


# Building ---------------------------------------------------------------------------------------

def parse_facts(diligence: Diligence) -> DiligenceFacts:
    """The stored facts, read with the sync contract; a stored row that no longer follows it
    (altered behind the app) raises ``ActaError``."""
    content = diligence.content if isinstance(diligence.content, dict) else {}
    try:
        return DiligenceFacts.from_dict(content.get("facts") or {})
    except FactsError as exc:
        raise ActaError(f"Los hechos almacenados no se pueden leer ({exc.path}).") from None


def office_of(diligence: Diligence) -> Office:
    office = db.session.get(Office, diligence.office_id)
    assert office is not None
    return office


def hash_prefix(diligence: Diligence) -> str:
    return diligence.content_hash[:HASH_PREFIX_LEN]


def build_acta(diligence: Diligence) -> Acta:
    """Everything one acta prints, from the stored record (raises ``ActaError`` when the stored
    facts cannot be read)."""
    facts = parse_facts(diligence)
    office = office_of(diligence)
    tz = ZoneInfo(office.timezone)
    document = diligence.document
    user = facts.field_user or FieldUser()
    field_user_name = user.name or diligence.user.full_name
    role = "Ejecutor(a)" if diligence.kind in EXECUTOR_KINDS else "Notificador(a)"
    started = facts.started_at or diligence.captured_at

    sections = [
        _document_section(diligence),
        _place_and_time_section(diligence, facts, tz),
        _field_user_section(user, field_user_name, role),
        *_kind_sections(diligence, facts, tz),
        _findings_section(diligence),
        _on_site_section(facts, tz),
    ]
    photos, signature = _media(diligence, _item_of_photo(facts))
    return Acta(
        diligence_id=diligence.id,
        kind=diligence.kind,
        title=TITLES.get(diligence.kind, diligence.kind_label),
        institute="Instituto Mexicano del Seguro Social",
        office=f"{office.name} (clave {office.code}) · Departamento de Cobranza",
        folio=document.folio,
        debtor_name=document.debtor.legal_name,
        field_user_name=field_user_name,
        field_user_role=role,
        date_label=long_date(_local(started, tz).date()),
        summary=_summary(diligence, facts, tz),
        sections=tuple(s for s in sections if s is not None),
        photos=photos,
        signature=signature,
        signature_note=_signature_note(facts, signature),
        attendee_name=_attendee_name(diligence.kind, facts.attendee),
        witnesses=tuple(w.name or "" for w in facts.seizure.witnesses) if facts.seizure else (),
        content_hash=diligence.content_hash,
        hash_prefix=hash_prefix(diligence),
        version=diligence.version,
        record_matches=stored_record_matches(diligence),
        superseded=diligence.superseded_by_id is not None,
    )


def _summary(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> str:
    kind, a = diligence.kind, facts.attendee
    if kind in ("citatorio", "posting_record"):
        return f"Cita: {long_datetime(facts.appointment_at, tz)}"
    if kind == "not_located":
        reason = facts.not_located.reason if facts.not_located else None
        return f"Motivo: {NOT_LOCATED_REASONS.get(reason or '', NO)}"
    if kind in ("seizure", "seizure_extension") and facts.seizure is not None:
        seized = _split_items(facts.seizure)[0]
        value = sum((i.value for _, i in seized if i.value is not None), Decimal(0))
        return f"Bienes embargados: {len(seized)}, con valor estimado de {fmt_money(value)}"
    if kind == "payment_demand" and facts.payment is not None:
        return f"Resultado: {PAYMENT_OUTCOMES.get(facts.payment.outcome or '', NO)}"
    if a is not None:
        name = "persona que se negó a dar su nombre" if a.refused_name else _text(a.name)
        return f"Se entendió con: {name} ({CAPACITIES.get(a.capacity or '', NO).lower()})"
    return ""


def _document_section(diligence: Diligence) -> Section:
    document = diligence.document
    debtor = document.debtor
    registrations = ", ".join(r.number for r in debtor.registrations) or NO
    lines = [
        Line("Documento", f"{document.kind_label}, folio {document.folio}"),
        Line("Emitido por", f"{document.issuing_authority}, el {long_date(document.issued_on)}"),
        Line("Destinatario", debtor.legal_name),
        Line("RFC", debtor.rfc),
        Line("Registro patronal", registrations),
        Line("Tipo de persona", debtor.person_type_label),
    ]
    rows = tuple((c.credit_number, c.concept_label, c.period, fmt_money(c.total))
                 for c in document.credits)
    table = Table(("Crédito", "Concepto", "Periodo", "Importe"), (1.2, 2.6, 0.9, 1.3), rows)
    return Section("Documento y créditos", tuple(lines), table,
                   note=f"Importe total de los créditos: {fmt_money(document.total)}")


def _place_and_time_section(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    address = facts.address
    origin = address.origin if address else None
    methods = ", ".join(VERIFICATION_METHODS[m] for m in facts.address_verification)
    lines = [
        Line("Domicilio donde se actúa", _text(address.text if address else None)),
        Line("Origen del domicilio (R-NOT-2)", _origin_label(origin)),
        Line("Domicilio en la cartera", diligence.document.address.one_line),
        # Only the first letter: str.capitalize would also lower "GPS".
        Line("Cercioramiento del domicilio (R-NOT-8)", methods[:1].upper() + methods[1:] if methods else NO),
    ]
    if "gps" in facts.address_verification and diligence.gps_latitude is not None:
        accuracy = (f" (precisión {diligence.gps_accuracy_m:.0f} m)"
                    if diligence.gps_accuracy_m is not None else "")
        lines.append(Line("Posición GPS",
                          f"{diligence.gps_latitude:.6f}, {diligence.gps_longitude:.6f}{accuracy}"))
    lines += [
        Line("Llegada al domicilio", long_datetime(facts.arrived_at, tz)),
        Line("Inicio de la diligencia", long_datetime(facts.started_at, tz)),
        Line("Término de la diligencia", long_datetime(facts.finished_at, tz)),
        Line("Zona horaria", tz.key),
    ]
    if facts.enablement is not None:  # R-CAL-3
        e = facts.enablement
        lines.append(Line("Habilitación de días u horas inhábiles (R-CAL-3)",
                          f"Número {_text(e.number)}, del {_date(e.issued_on)}, firmada por "
                          f"{_text(e.signer)}"))
    return Section("Lugar, fecha y hora", tuple(lines))


def _origin_label(origin: str | None) -> str:
    if origin is None:
        return NO
    return ADDRESS_ORIGINS.get(origin) or ADDRESS_ORIGIN_LABELS.get(origin, origin).capitalize()


def _field_user_section(user: FieldUser, name: str, role: str) -> Section:
    # R-NOT-8 (notifier) / R-PAE-2 (executor): the identification shown at the door.
    lines = [
        Line("Nombre", name),
        Line("Cargo", role),
        Line("Credencial número", _text(user.credential_number)),
        Line("Fecha de expedición", _date(user.issued_on)),
        Line("Vigente hasta", _date(user.valid_until)),
        Line("Expedida por", _text(user.issuer)),
    ]
    if role.startswith("Ejecutor"):
        lines += [
            Line("Fundamento legal", _text(user.legal_basis)),
            Line("La credencial ostenta fotografía y firma",
                 "Sí" if user.has_photo and user.has_signature
                 else f"Fotografía: {_yes(user.has_photo)}; firma: {_yes(user.has_signature)}"),
        ]
    return Section("Identificación de quien actúa (R-NOT-8, R-PAE-2)", tuple(lines))


def _kind_sections(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> list[Section | None]:
    kind = diligence.kind
    if kind == "not_located":
        return [_search_section(facts), _not_located_section(facts)]
    if kind == "posting_record":
        return [_search_section(facts), _posting_section(facts, tz)]
    sections: list[Section | None] = [_search_section(facts)]
    if facts.citatorio is not None:
        sections.append(_follow_up_section(facts, tz))
    sections.append(_attendee_section(facts.attendee, facts))
    if kind == "citatorio":
        sections.append(_appointment_section(facts, tz))
    if kind in EXECUTOR_KINDS:
        sections += [_demand_section(diligence, facts)]
    if kind in ("seizure", "seizure_extension") and facts.seizure is not None:
        sections += _seizure_sections(facts.seizure)
    if kind in EXECUTOR_KINDS:
        sections += [_costs_section(diligence, facts, tz), _obstruction_section(facts)]
    sections.append(_delivery_section(facts, kind))
    return sections


def _search_section(facts: DiligenceFacts) -> Section:
    # R-NOT-8: the addressee, and for a company its legal representative, were asked for.
    lines = [
        Line("Tipo de destinatario", ADDRESSEE_TYPES.get(facts.addressee_type or "", NO)),
        Line("Se preguntó por el destinatario", _yes(facts.addressee_asked)),
    ]
    if facts.addressee_type == "company":
        lines.append(Line("Se preguntó por el representante legal", _yes(facts.representative_asked)))
    if facts.absence_reason or facts.absence_informant:
        lines += [Line("Motivo de la ausencia", _text(facts.absence_reason)),
                  Line("Quién informó la ausencia", _text(facts.absence_informant))]
    return Section("Búsqueda del destinatario (R-NOT-8)", tuple(lines))


def _attendee_section(a: Attendee | None, facts: DiligenceFacts) -> Section:
    if a is None:
        return Section("Persona con quien se entiende la diligencia (R-NOT-7, R-NOT-8)",
                       (Line("Persona", "Nadie atendió la diligencia"),))
    name = "Se negó a dar su nombre" if a.refused_name else _text(a.name)
    if a.not_identified:
        identity = "No se identificó"
    elif a.id_type or a.id_number:
        id_type = ID_TYPES.get(a.id_type or "", a.id_type or "Identificación")
        identity = f"{id_type} número {_text(a.id_number)}"
    else:
        identity = NO
    lines = [
        Line("Nombre", name),
        Line("Carácter", CAPACITIES.get(a.capacity or "", NO)),
        Line("Relación con el destinatario",
             _text(a.relationship) if a.capacity != "addressee" else "Es el destinatario"),
        Line("Identificación", identity),
    ]
    if a.capacity == "legal_representative":
        p = a.power
        lines.append(Line("Poder notarial",
                          f"Escritura {_text(p.instrument_number)}, otorgada ante "
                          f"{_text(p.notary)}, el {_date(p.granted_on)}" if p else NO))
    return Section("Persona con quien se entiende la diligencia (R-NOT-7, R-NOT-8)", tuple(lines))


def _appointment_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    # R-NOT-3: the date and time the citatorio is issued and the fixed hour of the later day.
    lines = (
        Line("Fecha y hora en que se deja el citatorio", long_datetime(facts.started_at, tz)),
        Line("Cita: el destinatario debe esperar el", long_datetime(facts.appointment_at, tz)),
    )
    return Section("Citatorio (R-NOT-3)", lines,
                   note="Se cita al destinatario o a su representante legal para que espere a "
                        "quien suscribe en este domicilio, a la hora fijada, para la práctica "
                        "de la diligencia.")


def _posting_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    # R-NOT-4: nobody received the citatorio, or it was refused: it is fixed at the entrance.
    lines = (
        Line("Motivo de la fijación", POSTING_REASONS.get(facts.posting_reason or "", NO)),
        Line("Fecha y hora de la fijación", long_datetime(facts.started_at, tz)),
        Line("Cita fijada en el citatorio", long_datetime(facts.appointment_at, tz)),
    )
    return Section("Fijación del citatorio en la entrada principal (R-NOT-4)", lines,
                   note="El citatorio se fijó en la entrada principal del domicilio; la "
                        "fotografía consta en el anexo fotográfico de esta constancia.")


def _follow_up_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    c = facts.citatorio
    assert c is not None
    lines = (
        Line("Citatorio dejado el", long_datetime(c.issued_at, tz)),
        Line("Hora fijada en el citatorio", long_datetime(c.appointed_at, tz)),
        Line("Inicio de esta diligencia", long_datetime(facts.started_at, tz)),
    )
    return Section("Citatorio previo (R-NOT-5, R-NOT-8)", lines)


def _not_located_section(facts: DiligenceFacts) -> Section:
    n = facts.not_located
    lines = [Line("Motivo", NOT_LOCATED_REASONS.get(n.reason or "", NO) if n else NO),
             Line("Estado del inmueble", _text(n.premises_state if n else None))]
    rows = tuple((s.name or "Sin nombre", s.text or NO) for s in (n.statements if n else ()))
    table = Table(("Persona", "Manifestó"), (1.4, 4.0), rows) if rows else None
    return Section("Evidencia de la no localización (R-NOT-10)", tuple(lines), table,
                   note=None if rows else "No se recabaron dichos de vecinos.")


def _demand_section(diligence: Diligence, facts: DiligenceFacts) -> Section:
    document = diligence.document
    lines = [Line("Importe requerido", fmt_money(document.total))]
    p = facts.payment
    if p is not None:
        lines.append(Line("Resultado del requerimiento (R-PAE-1)",
                          PAYMENT_OUTCOMES.get(p.outcome or "", NO)))
        if p.proof_document:
            lines.append(Line("Documento con que acreditó el pago", p.proof_document))
        if p.cheque is not None:
            c = p.cheque
            lines.append(Line("Cheque", f"Número {_text(c.number)}, {_text(c.bank)}, por "
                                        f"{_money(c.amount)}, librado por {_text(c.drawer)}"))
        if p.receipt_number:
            lines.append(Line("Recibo número", p.receipt_number))
        if p.no_seizure_reason:
            lines.append(Line("Motivo por el que no se embargó", p.no_seizure_reason))
    return Section("Requerimiento de pago (R-PAE-1)", tuple(lines))


def _category_label(code: str | None) -> str:
    category = ITEM_CATEGORIES.get(code or "")
    if category is None:
        return code or NO
    if category.fraction is not None and not category.exempt:
        return f"{category.label} (CFF 155 fr. {category.fraction})"
    return f"{category.label} ({category.exempt_basis})"


def _item_description(item: SeizedItem) -> str:
    """The description, then what identifies the good: brand, model, serial number."""
    marks = [f"{label}: {value}" for label, value in (
        ("Marca", item.brand), ("Modelo", item.model), ("Serie", item.serial_number)) if value]
    return "\n".join([_text(item.description), *(["; ".join(marks)] if marks else [])])


Numbered = list[tuple[int, SeizedItem]]


def _split_items(s: Seizure) -> tuple[Numbered, Numbered, Numbered]:
    """The goods as numbered in the acta: seized, refused as exempt (R-PAE-6), released on a
    third party's claim (R-PAE-9)."""
    seized: Numbered = []
    exempt: Numbered = []
    claimed: Numbered = []
    for n, item in enumerate(s.items, start=1):
        category = ITEM_CATEGORIES.get(item.category or "")
        if item.third_party_claim is not None:
            claimed.append((n, item))
        elif category is not None and is_exempt(category, s.whole_business):
            exempt.append((n, item))
        else:
            seized.append((n, item))
    return seized, exempt, claimed


def _seizure_sections(s: Seizure) -> list[Section | None]:
    seized, exempt, claimed = _split_items(s)
    designation = [Line("Señaló los bienes (R-PAE-4)", DESIGNATED_BY.get(s.designated_by or "", NO))]
    if s.designated_by == "executor":
        designation.append(Line("Motivo del ejecutor (CFF 156, R-PAE-5)",
                                EXECUTOR_REASONS.get(s.executor_reason or "", NO)))
    if s.whole_business:
        designation.append(Line("Embargo de la negociación", "Se embarga la negociación en su totalidad"))
    rows = tuple((str(n), _category_label(i.category), _item_description(i), i.quantity or "1",
                  _text(i.condition), _money(i.value), i.seal or "Sin sello") for n, i in seized)
    goods = Section("Bienes embargados (R-PAE-4, R-PAE-8)", tuple(designation),
                    Table(("#", "Categoría", "Descripción", "Cant.", "Estado", "Valor estimado",
                           "Sello"), (0.3, 1.7, 2.5, 0.5, 1.0, 1.1, 1.5), rows),
                    note=None if rows else "No se embargaron bienes.")
    sections: list[Section | None] = [goods]
    if exempt:  # R-PAE-6: never seized, the acta says they were refused
        sections.append(Section("Bienes inembargables no embargados (CFF 157, R-PAE-6)", table=Table(
            ("#", "Categoría", "Descripción"), (0.35, 3.0, 3.5),
            tuple((str(n), _category_label(i.category), _text(i.description)) for n, i in exempt))))
    if s.exempt_goods_noted:  # R-PAE-6: seen at the address and left out (the phone's checklist)
        noted = "; ".join(_category_label(k) for k in s.exempt_goods_noted)
        sections.append(Section("Bienes inembargables encontrados en el domicilio (CFF 157, "
                                "R-PAE-6)", (Line("No se embargaron", noted),)))
    if claimed:  # R-PAE-9
        sections.append(Section("Reclamo de terceros (CFF 158, R-PAE-9)", table=Table(
            ("#", "Bien", "Reclamante", "Documentos exhibidos"), (0.35, 2.2, 1.8, 2.6),
            tuple((str(n), _text(i.description), _text(c.claimant), _text(c.documents))
                  for n, i in claimed if (c := i.third_party_claim) is not None)),
            note="Los bienes reclamados no se embargan provisionalmente; la oficina resolverá "
                 "sobre el reclamo."))
    if s.real_estate_statement is not None:  # R-PAE-4 IV
        r = s.real_estate_statement
        sections.append(Section("Declaración sobre el inmueble (CFF 155 IV)", (
            Line("Gravámenes", _text(r.liens)), Line("Embargos anteriores", _text(r.prior_seizures)),
            Line("Copropiedad", _text(r.co_ownership)),
            Line("Sociedad conyugal", _text(r.marital_property)))))
    witnesses = tuple(Line(f"Testigo {n}", f"{_text(w.name)} · "
                                          f"{'firmó' if w.signed else 'no firmó'}")
                      for n, w in enumerate(s.witnesses, start=1))
    if s.witnesses_note:
        witnesses += (Line("Constancia del ejecutor", WITNESS_NOTES[s.witnesses_note]),)
    sections.append(Section("Testigos (R-PAE-4)", witnesses or (Line("Testigos", NO),)))
    c = s.custodian
    custody = (
        Line("Depositario", _text(c.name if c else None)
             + (" (el propio deudor)" if c is not None and c.is_debtor else "")),
        Line("Designado por", APPOINTED_BY.get(c.appointed_by or "", NO) if c else NO),
        Line("Lugar donde quedan los bienes", _text(c.location if c else None)),
        Line("Sellos colocados", ", ".join(i.seal for _, i in seized if i.seal) or "Ninguno"),
    )
    sections.append(Section("Depositario y sellos (R-PAE-8)", custody))
    value = sum((i.value for _, i in seized if i.value is not None), Decimal(0))
    total = value + (s.previously_seized_value or Decimal(0))
    sufficiency = [Line("Interés fiscal", _money(s.amount_secured)),
                   Line("Valor de lo embargado en esta diligencia", fmt_money(value))]
    if s.previously_seized_value is not None:
        sufficiency.append(Line("Valor embargado antes", fmt_money(s.previously_seized_value)))
    if s.amount_secured is not None:
        sufficiency.append(Line("Suficiencia", "Lo embargado cubre el interés fiscal"
                                if total >= s.amount_secured else
                                "Lo embargado no cubre el interés fiscal: procede ampliación "
                                "(CFF 154)"))
    sections.append(Section("Suficiencia del embargo (R-PAE-7)", tuple(sufficiency)))
    return sections


def _costs_section(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> Section | None:
    # R-PAE-3: 2 % of the credits, clamped to the bracket in force, once per diligence.
    acts = CHARGED_ACTS.get(diligence.kind)
    if not acts:
        return None
    started = facts.started_at or diligence.captured_at
    day = _local(started, tz).date()
    params = parameters_for(office_of(diligence), day)
    bases = [enforcement_cost_base(c, params) for c in diligence.document.credits]
    try:
        bracket = bracket_on(day, params.cost_table)
        amount = diligence_costs(bases, day, acts, params.cost_table)
    except NoCostBracket:
        return Section("Gastos de ejecución (CFF 150, R-PAE-3)",
                       (Line("Gastos de ejecución", "Sin tabla de gastos vigente en la fecha"),))
    lines = (
        Line("Gastos de ejecución", fmt_money(amount)),
        Line("Cálculo", f"{bracket.rate * 100:.0f} % de {fmt_money(sum(bases, Decimal(0)))} "
                        f"({params.cost_base_label.lower()}), mínimo {fmt_money(bracket.minimum)}, "
                        f"máximo {fmt_money(bracket.maximum)}; un solo cobro por diligencia"),
    )
    return Section("Gastos de ejecución (CFF 150, R-PAE-3)", lines, note=bracket.note or None)


def _obstruction_section(facts: DiligenceFacts) -> Section | None:
    o = facts.obstruction
    if o is None or not (o.public_force_requested or o.locks_broken):
        return None
    lines = []
    if o.public_force_requested:
        lines.append(Line("Auxilio de la fuerza pública", _text(o.public_force_reason)))
    if o.locks_broken:
        lines.append(Line("Ruptura de cerraduras", f"Orden número {_text(o.lock_order_number)} "
                                                  f"del {_date(o.lock_order_date)}, ante dos testigos"))
    return Section("Oposición a la diligencia (CFF 162-163, R-PAE-10)", tuple(lines))


def _delivery_section(facts: DiligenceFacts, kind: str) -> Section:
    lines = [Line("Se entregó copia del documento", _yes(facts.copy_delivered))]
    if facts.refused_to_receive:
        lines.append(Line("Negativa a recibir", "La persona que atendió se negó a recibir"
                          + (": el acto se notificará por estrados (R-NOT-6)"
                             if kind == "notification" else "")))
    if facts.refused_to_sign:
        lines.append(Line("Firma (R-NOT-7)", "Se negó a firmar"))
    return Section("Entrega de copia y firma (R-NOT-7, R-PAE-2)", tuple(lines))


def _findings_section(diligence: Diligence) -> Section:
    lines = []
    for f in diligence.findings or []:
        text = str(f.get("message") or "")
        if f.get("reason"):
            text += f" Motivo registrado por quien actúa: {f['reason']}"
        lines.append(Line(f"{f.get('rule_id')} · {SEVERITIES.get(f.get('severity'), '')}", text))
    return Section("Revisión legal al recibir el registro", tuple(lines),
                   note=None if lines else "El motor legal no encontró impedimentos ni advertencias.")


def _on_site_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section | None:
    # R-NOT-9: facts known only on site carry the time they were entered.
    lines = tuple(Line(ON_SITE_LABELS.get(key, key), long_datetime(at, tz))
                  for key, at in sorted(facts.entered_at.items(), key=lambda kv: (kv[1], kv[0])))
    return Section("Hora de captura de los datos del lugar (R-NOT-9)", lines) if lines else None


def _item_of_photo(facts: DiligenceFacts) -> dict[str, int]:
    """sha256 of a seized good's photo → the good's number in the acta's list."""
    items = facts.seizure.items if facts.seizure is not None else ()
    return {sha: n for n, item in enumerate(items, start=1) for sha in item.photos}


def _media(diligence: Diligence, item_of_photo: dict[str, int]
           ) -> tuple[tuple[Photo, ...], Photo | None]:
    stored = present(m.sha256 for m in diligence.media)
    photos, signature = [], None
    counts: dict[str, int] = {}
    for m in diligence.media:
        label = MEDIA_ROLES.get(m.role, m.role)
        counts[m.role] = counts.get(m.role, 0) + 1
        caption = (f"{label} (bien {item_of_photo[m.sha256]})" if m.sha256 in item_of_photo
                   else f"{label} {counts[m.role]}")
        photo = Photo(caption, m.sha256, m.sha256 in stored)
        if m.role == "signature":
            signature = signature or photo
        else:
            photos.append(photo)
    return tuple(photos), signature


def _attendee_name(kind: str, a: Attendee | None) -> str | None:
    if kind in ("posting_record", "not_located") or a is None:
        return None
    return "" if a.refused_name else (a.name or "")


def _signature_note(facts: DiligenceFacts, signature: Photo | None) -> str:
    if facts.refused_to_sign:
        return "Se negó a firmar (R-NOT-7)"
    if facts.refused_to_receive:
        return "Se negó a recibir"
    if signature is None:
        return "Sin firma registrada"
    if not signature.stored:
        return "La firma aún no llega del teléfono"
    return ""


# Verification ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verification:
    """What the public page says about one printed acta. ``found`` is False for an unknown id
    and for a hash prefix that is not the stored one: the page then says the same thing in
    both cases, so it never tells whether an id exists."""

    found: bool
    matches: bool = False
    title: str = ""
    date_label: str = ""
    office: str = ""
    folio: str = ""
    field_user_name: str = ""
    debtor_name: str = ""
    superseded: bool = False


def verification(diligence_id: str, h: str | None) -> tuple[Verification, Diligence | None]:
    """The answer to ``/v/<id>?h=<prefix>``: found when the id exists and ``h`` is its stored
    hash prefix; matches when, besides, the stored record still gives that hash."""
    h = (h or "").strip().lower()
    if not _HEX_PREFIX.fullmatch(h) or len(diligence_id) > 36:
        return Verification(found=False), None
    diligence = db.session.get(Diligence, diligence_id)
    if diligence is None or hash_prefix(diligence) != h:
        return Verification(found=False), None
    try:
        acta = build_acta(diligence)
    except ActaError:  # facts no longer follow the contract: altered after they were hashed
        acta = None
    if acta is None or not acta.record_matches:
        # What the altered content says (date, field user) is not repeated: only what comes
        # from the office's own rows (kind, office, document, debtor).
        office, document = office_of(diligence), diligence.document
        return Verification(found=True, matches=False, title=TITLES.get(diligence.kind, ""),
                            office=f"{office.name} (clave {office.code})", folio=document.folio,
                            debtor_name=document.debtor.legal_name,
                            superseded=diligence.superseded_by_id is not None), diligence
    return Verification(found=True, matches=True, title=acta.title, date_label=acta.date_label,
                        office=acta.office, folio=acta.folio, field_user_name=acta.field_user_name,
                        debtor_name=acta.debtor_name, superseded=acta.superseded), diligence
