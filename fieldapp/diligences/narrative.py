"""The facts of one diligence told in Spanish: titled sections of sentences and labelled values.

One narrative for the two places the office reads a record, the printed acta
(fieldapp.actas) and the review page (fieldapp.review), so what the office head approves is
what the debtor signs and a judge reads. ``narrate`` turns the stored facts (the sync
contract, fieldapp.legal.facts) into sections; the acta adds what comes from the office's own
rows (the document and its credits) and the legal findings stored at receipt.

No internal key ever reaches the reader: coded values go through fieldapp.legal.labels, and
every field of the facts contract has a Spanish name in ``FIELD_LABELS`` (a test walks the
contract), which is how the times of capture (R-NOT-9) and the prefilled data are named.
Money, dates and distances go through fieldapp.web.formats (es-MX).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from fieldapp.diligences.models import Diligence
from fieldapp.legal.costs import CHARGED_ACTS, NoCostBracket, bracket_on, diligence_costs
from fieldapp.legal.facts import (
    EXECUTOR_KINDS,
    Attendee,
    Custodian,
    DiligenceFacts,
    FieldUser,
    NewAddress,
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
    NOT_LOCATED_REASONS,
    PAYMENT_OUTCOMES,
    POSTING_REASONS,
    VERIFICATION_METHODS,
    WITNESS_NOTES,
)
from fieldapp.legal.messages import ADDRESS_ORIGIN_LABELS
from fieldapp.legal.messages import LABELS as CHECK_LABELS
from fieldapp.legal.services import enforcement_cost_base, parameters_for
from fieldapp.offices.models import Office
from fieldapp.portfolio.models import ADDRESS_ORIGINS
from fieldapp.web.formats import clock, long_date, long_datetime, money

NO = "No consta"


@dataclass(frozen=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # relative widths, for the printed acta
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    """One titled part of the narrative: sentences first (``prose``), then labelled values, a
    table (goods, statements, times of capture) and a closing note."""

    title: str
    lines: tuple[Line, ...] = ()
    table: Table | None = None
    note: str | None = None
    prose: tuple[str, ...] = ()


# The Spanish name of every field of the facts contract, by its path; ``*`` stands for the
# position in a list and ``{n}`` in the name for that position counted from 1. The phone names
# the times of capture (entered_at) and the prefilled data with these paths.
FIELD_LABELS: dict[str, str] = {
    "kind": "Tipo de diligencia",
    "schema": "Versión del formato del registro",
    "arrived_at": "Hora de llegada al domicilio",
    "started_at": "Hora de inicio de la diligencia",
    "finished_at": "Hora de término de la diligencia",
    "enablement.number": "Número de la habilitación",
    "enablement.issued_on": "Fecha de la habilitación",
    "enablement.signer": "Quién firmó la habilitación",
    "addressee_type": "Tipo de destinatario",
    "address.text": "Domicilio donde se actúa",
    "address.origin": "Origen del domicilio",
    "address_verification": "Cercioramiento del domicilio",
    "gps.latitude": "Latitud del GPS del teléfono",
    "gps.longitude": "Longitud del GPS del teléfono",
    "gps.accuracy_m": "Precisión del GPS (m)",
    "address_location.latitude": "Latitud del domicilio registrado",
    "address_location.longitude": "Longitud del domicilio registrado",
    "addressee_asked": "Se preguntó por el destinatario",
    "representative_asked": "Se preguntó por el representante legal",
    "absence_reason": "Motivo de la ausencia",
    "absence_informant": "Quién informó la ausencia",
    "attendee.name": "Nombre de quien atiende",
    "attendee.refused_name": "Negativa de quien atiende a dar su nombre",
    "attendee.capacity": "Carácter de quien atiende",
    "attendee.relationship": "Relación de quien atiende con el destinatario",
    "attendee.id_type": "Tipo de identificación de quien atiende",
    "attendee.id_number": "Número de identificación de quien atiende",
    "attendee.not_identified": "Quien atiende no se identificó",
    "attendee.power.instrument_number": "Número de la escritura del poder",
    "attendee.power.notary": "Notario que otorgó el poder",
    "attendee.power.granted_on": "Fecha del poder notarial",
    "copy_delivered": "Entrega de la copia del documento",
    "refused_to_sign": "Negativa a firmar",
    "refused_to_receive": "Negativa a recibir",
    "appointment_at": "Fecha y hora de la cita",
    "posting_reason": "Motivo de la fijación del citatorio",
    "citatorio.issued_at": "Fecha y hora del citatorio previo",
    "citatorio.appointed_at": "Hora fijada en el citatorio previo",
    "not_located.reason": "Motivo de la no localización",
    "not_located.statements.*.name": "Nombre de quien declara ({n})",
    "not_located.statements.*.text": "Lo que declaró la persona {n}",
    "not_located.premises_state": "Estado del inmueble",
    "not_located.new_address.street": "Nuevo domicilio: calle",
    "not_located.new_address.exterior_number": "Nuevo domicilio: número exterior",
    "not_located.new_address.interior_number": "Nuevo domicilio: número interior",
    "not_located.new_address.neighborhood": "Nuevo domicilio: colonia",
    "not_located.new_address.municipality": "Nuevo domicilio: municipio o alcaldía",
    "not_located.new_address.state": "Nuevo domicilio: estado",
    "not_located.new_address.postal_code": "Nuevo domicilio: código postal",
    "not_located.new_address.informant": "Nuevo domicilio: quién lo informó",
    "localization.result": "Resultado de la localización",
    "localization.statements.*.name": "Nombre de quien declara ({n})",
    "localization.statements.*.text": "Lo que declaró la persona {n}",
    "localization.notes": "Notas de la investigación",
    "localization.new_address.street": "Domicilio donde se localizó: calle",
    "localization.new_address.exterior_number": "Domicilio donde se localizó: número exterior",
    "localization.new_address.interior_number": "Domicilio donde se localizó: número interior",
    "localization.new_address.neighborhood": "Domicilio donde se localizó: colonia",
    "localization.new_address.municipality": "Domicilio donde se localizó: municipio o alcaldía",
    "localization.new_address.state": "Domicilio donde se localizó: estado",
    "localization.new_address.postal_code": "Domicilio donde se localizó: código postal",
    "localization.new_address.informant": "Domicilio donde se localizó: quién lo informó",
    "field_user.name": "Nombre de quien actúa",
    "field_user.credential_number": "Número de credencial de quien actúa",
    "field_user.issued_on": "Fecha de expedición de la credencial",
    "field_user.valid_until": "Vigencia de la credencial",
    "field_user.issuer": "Funcionario que expidió la credencial",
    "field_user.legal_basis": "Fundamento legal de la credencial",
    "field_user.has_photo": "La credencial ostenta fotografía",
    "field_user.has_signature": "La credencial ostenta firma",
    "entered_at": "Horas de captura de los datos",
    "prefilled": "Datos prellenados",
    "media.*.role": "Tipo del archivo {n}",
    "media.*.id": "Huella del archivo {n}",
    "payment.outcome": "Resultado del requerimiento de pago",
    "payment.proof_document": "Documento con que se acreditó el pago",
    "payment.cheque.number": "Número del cheque",
    "payment.cheque.bank": "Banco del cheque",
    "payment.cheque.amount": "Importe del cheque",
    "payment.cheque.drawer": "Librador del cheque",
    "payment.receipt_number": "Número de recibo del cheque",
    "payment.no_seizure_reason": "Motivo por el que no se embargó",
    "seizure.designated_by": "Quién señaló los bienes",
    "seizure.executor_reason": "Motivo del ejecutor para señalar los bienes",
    "seizure.whole_business": "Embargo de la negociación en su totalidad",
    "seizure.items.*.category": "Bien {n}: categoría",
    "seizure.items.*.description": "Bien {n}: descripción",
    "seizure.items.*.quantity": "Bien {n}: cantidad",
    "seizure.items.*.value": "Bien {n}: valor estimado",
    "seizure.items.*.seal": "Bien {n}: sello",
    "seizure.items.*.id": "Bien {n}: número en el teléfono",
    "seizure.items.*.third_party_claim.claimant": "Bien {n}: tercero que lo reclama",
    "seizure.items.*.third_party_claim.documents": "Bien {n}: documentos del reclamo",
    "seizure.items.*.brand": "Bien {n}: marca",
    "seizure.items.*.model": "Bien {n}: modelo",
    "seizure.items.*.serial_number": "Bien {n}: número de serie",
    "seizure.items.*.condition": "Bien {n}: estado",
    "seizure.items.*.photos": "Bien {n}: fotografías",
    "seizure.witnesses.*.name": "Testigo {n}: nombre",
    "seizure.witnesses.*.signed": "Testigo {n}: firma",
    "seizure.witnesses.*.id_type": "Testigo {n}: tipo de identificación",
    "seizure.witnesses.*.id_number": "Testigo {n}: número de identificación",
    "seizure.witnesses.*.not_identified": "Testigo {n}: no se identificó",
    "seizure.witnesses.*.refused_to_sign": "Testigo {n}: negativa a firmar",
    "seizure.witnesses.*.signature": "Testigo {n}: firma en pantalla",
    "seizure.witnesses_note": "Constancia sobre los testigos",
    "seizure.custodian.name": "Nombre del depositario",
    "seizure.custodian.appointed_by": "Quién designó al depositario",
    "seizure.custodian.location": "Lugar donde quedan los bienes",
    "seizure.custodian.is_debtor": "El depositario es el propio deudor",
    "seizure.custodian.id_type": "Tipo de identificación del depositario",
    "seizure.custodian.id_number": "Número de identificación del depositario",
    "seizure.custodian.not_identified": "El depositario no se identificó",
    "seizure.custodian.refused_to_sign": "Negativa del depositario a firmar",
    "seizure.custodian.signature": "Firma en pantalla del depositario",
    "seizure.amount_secured": "Interés fiscal",
    "seizure.previously_seized_value": "Valor embargado antes (de la diligencia anterior)",
    "seizure.real_estate_statement.liens": "Gravámenes del inmueble",
    "seizure.real_estate_statement.prior_seizures": "Embargos anteriores del inmueble",
    "seizure.real_estate_statement.co_ownership": "Copropiedad del inmueble",
    "seizure.real_estate_statement.marital_property": "Sociedad conyugal sobre el inmueble",
    "seizure.exempt_goods_noted": "Bienes inembargables encontrados en el domicilio",
    "obstruction.public_force_requested": "Solicitud del auxilio de la fuerza pública",
    "obstruction.public_force_reason": "Motivo para solicitar la fuerza pública",
    "obstruction.locks_broken": "Ruptura de cerraduras",
    "obstruction.lock_order_number": "Número de la orden para romper cerraduras",
    "obstruction.lock_order_date": "Fecha de la orden para romper cerraduras",
    # Groups the legal checks name as a whole.
    "seizure.items": "Bienes embargados",
    "seizure.items.*": "Bien {n}",
    "seizure.items.*.third_party_claim": "Bien {n}: reclamo de un tercero",
    "seizure.witnesses": "Testigos",
    "seizure.witnesses.*": "Testigo {n}",
    "not_located.statements": "Dichos de vecinos",
}
# A path a phone names that is not a field of the contract (an older or altered phone): the
# reader gets a plain word, never the key.
UNKNOWN_FIELD = "Otro dato del registro"
# Positions in a path: "seizure.items.0.category" (the phone's form names) or
# "seizure.items[0].category" (the checks' field names).
_POSITION = re.compile(r"\.(\d+)(?=\.|$)|\[(\d+)\]")


def field_label(path: str) -> str:
    """The Spanish name of a facts path such as ``attendee.id_type`` or
    ``seizure.witnesses.1.signed`` (``Testigo 2: firma``)."""
    positions = [int(a or b) for a, b in _POSITION.findall(path)]
    generic = _POSITION.sub(lambda m: ".*", path)
    label = FIELD_LABELS.get(generic)
    if label is None:  # a group the checks name as a whole ("seizure.witnesses")
        group = CHECK_LABELS.get(generic)
        return _capitalized(group) if group else UNKNOWN_FIELD
    return label.replace("{n}", str(positions[0] + 1)) if positions else label


# Small wordings -------------------------------------------------------------------------------

def _text(value: str | None) -> str:
    return value if value else NO


def _yes(value: bool) -> str:
    return "Sí" if value else "No"


def _when(moment: datetime | None, tz: ZoneInfo) -> str:
    return long_datetime(moment, tz) if moment is not None else NO


def _day(value: date | None) -> str:
    return long_date(value) if value is not None else NO


def _money(value: Decimal | None) -> str:
    return money(value) if value is not None else NO


def _join(parts: Iterable[str]) -> str:
    """``a, b y c``: how a sentence lists things."""
    items = [p for p in parts if p]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} y {items[-1]}"


def _sentence(text: str) -> str:
    """``text`` ending in one period (an address may already end with "Jal.")."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _capitalized(text: str) -> str:
    # Only the first letter: str.capitalize would also lower "GPS" or "RFC".
    return text[:1].upper() + text[1:]


def identity_text(id_type: str | None, id_number: str | None, not_identified: bool) -> str:
    """``Credencial para votar (INE) número RUSP9002``, or that the person did not identify."""
    if not_identified:
        return "No se identificó"
    if not (id_type or id_number):
        return NO
    kind = ID_TYPES.get(id_type or "", id_type or "Identificación")
    return f"{kind} número {_text(id_number)}"


# The narrative --------------------------------------------------------------------------------

def narrate(diligence: Diligence, facts: DiligenceFacts, office: Office) -> list[Section]:
    """The facts of ``diligence`` as the sections both the acta and the review page show, in
    the office's time zone."""
    tz = ZoneInfo(office.timezone)
    user = facts.field_user or FieldUser()
    sections: list[Section | None] = [
        place_and_time_section(diligence, facts, tz),
        field_user_section(user, user.name or diligence.user.full_name, diligence.kind),
        *_kind_sections(diligence, facts, office, tz),
        on_site_section(facts, tz),
    ]
    return [s for s in sections if s is not None]


def role_of(kind: str) -> str:
    return "Ejecutor(a)" if kind in EXECUTOR_KINDS else "Notificador(a)"


def place_and_time_section(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    address = facts.address
    origin = address.origin if address else None
    methods = [VERIFICATION_METHODS.get(m, NO) for m in facts.address_verification]
    where = _text(address.text if address else None)
    started = facts.started_at or facts.arrived_at
    prose = [_sentence(f"Siendo las {clock(started, tz)} horas del "
                       f"{long_date(started.astimezone(tz).date())}, quien suscribe se "
                       f"constituyó en el domicilio ubicado en {where}")
             if started is not None else f"Quien suscribe se constituyó en el domicilio ubicado "
                                         f"en {where}; no consta la hora."]
    if methods:  # R-NOT-8: how the address was verified
        prose.append(f"Se cercioró de que es el domicilio buscado por {_join(methods)}.")
    else:
        prose.append("No consta cómo se cercioró del domicilio.")
    lines = [
        Line("Domicilio donde se actúa", where),
        Line("Origen del domicilio (R-NOT-2)", _origin_label(origin)),
        Line("Domicilio en la cartera", diligence.document.address.one_line),
        Line("Cercioramiento del domicilio (R-NOT-8)", _capitalized(", ".join(methods)) or NO),
    ]
    if "gps" in facts.address_verification and diligence.gps_latitude is not None:
        accuracy = (f" (precisión {diligence.gps_accuracy_m:.0f} m)"
                    if diligence.gps_accuracy_m is not None else "")
        lines.append(Line("Posición GPS",
                          f"{diligence.gps_latitude:.6f}, {diligence.gps_longitude:.6f}{accuracy}"))
    lines += [
        Line("Llegada al domicilio", _when(facts.arrived_at, tz)),
        Line("Inicio de la diligencia", _when(facts.started_at, tz)),
        Line("Término de la diligencia", _when(facts.finished_at, tz)),
        Line("Zona horaria", tz.key),
    ]
    if facts.enablement is not None:  # R-CAL-3
        e = facts.enablement
        enablement = (f"Número {_text(e.number)}, del {_day(e.issued_on)}, firmada por "
                      f"{_text(e.signer)}")
        lines.append(Line("Habilitación de días u horas inhábiles (R-CAL-3)", enablement))
        prose.append(f"Se actúa con habilitación de días u horas inhábiles: {enablement.lower()}.")
    return Section("Lugar, fecha y hora", tuple(lines), prose=tuple(prose))


def _origin_label(origin: str | None) -> str:
    if origin is None:
        return NO
    return ADDRESS_ORIGINS.get(origin) or _capitalized(ADDRESS_ORIGIN_LABELS.get(origin, NO))


def field_user_section(user: FieldUser, name: str, kind: str) -> Section:
    # R-NOT-8 (notifier) / R-PAE-2 (executor): the identification shown at the door.
    role = role_of(kind)
    lines = [
        Line("Nombre", name),
        Line("Cargo", role),
        Line("Credencial número", _text(user.credential_number)),
        Line("Fecha de expedición", _day(user.issued_on)),
        Line("Vigente hasta", _day(user.valid_until)),
        Line("Expedida por", _text(user.issuer)),
    ]
    prose = (f"{name}, {role.lower()}, se identificó con la credencial número "
             f"{_text(user.credential_number)}, expedida el {_day(user.issued_on)} por "
             f"{_text(user.issuer)} y vigente hasta el {_day(user.valid_until)}.")
    if kind in EXECUTOR_KINDS:
        both = user.has_photo and user.has_signature
        lines += [
            Line("Fundamento legal", _text(user.legal_basis)),
            Line("La credencial ostenta fotografía y firma",
                 "Sí" if both
                 else f"Fotografía: {_yes(user.has_photo)}; firma: {_yes(user.has_signature)}"),
        ]
        prose += (f" La credencial se expidió con fundamento en {_text(user.legal_basis)}"
                  + (" y ostenta fotografía y firma." if both else "."))
    return Section("Identificación de quien actúa (R-NOT-8, R-PAE-2)", tuple(lines),
                   prose=(prose,))


def _kind_sections(diligence: Diligence, facts: DiligenceFacts, office: Office,
                   tz: ZoneInfo) -> list[Section | None]:
    kind = diligence.kind
    if kind == "not_located":
        return [search_section(facts), not_located_section(facts),
                new_address_section(facts.not_located.new_address if facts.not_located else None)]
    if kind == "localization":
        return [localization_section(facts),
                new_address_section(facts.localization.new_address if facts.localization else None)]
    if kind == "posting_record":
        return [search_section(facts), posting_section(facts, tz)]
    sections: list[Section | None] = [search_section(facts)]
    if facts.citatorio is not None:
        sections.append(follow_up_section(facts, tz))
    sections.append(attendee_section(facts.attendee))
    if kind == "citatorio":
        sections.append(appointment_section(facts, tz))
    if kind in EXECUTOR_KINDS:
        sections.append(demand_section(diligence, facts))
    if kind in ("seizure", "seizure_extension") and facts.seizure is not None:
        sections += seizure_sections(facts.seizure)
    if kind in EXECUTOR_KINDS:
        sections += [costs_section(diligence, facts, office, tz), obstruction_section(facts)]
    sections.append(delivery_section(facts, kind))
    return sections


def search_section(facts: DiligenceFacts) -> Section:
    # R-NOT-8: the addressee, and for a company its legal representative, were asked for.
    company = facts.addressee_type == "company"
    lines = [
        Line("Tipo de destinatario", ADDRESSEE_TYPES.get(facts.addressee_type or "", NO)),
        Line("Se preguntó por el destinatario", _yes(facts.addressee_asked)),
    ]
    asked = ("Se preguntó por el destinatario" if facts.addressee_asked
             else "No consta que se preguntara por el destinatario")
    if company:
        lines.append(Line("Se preguntó por el representante legal", _yes(facts.representative_asked)))
        asked += (" y por su representante legal" if facts.representative_asked
                  else "; no consta que se preguntara por su representante legal")
    prose = [asked + "."]
    if facts.absence_reason or facts.absence_informant:
        lines += [Line("Motivo de la ausencia", _text(facts.absence_reason)),
                  Line("Quién informó la ausencia", _text(facts.absence_informant))]
        prose.append(_sentence(f"{_text(facts.absence_informant)} informó que no se "
                               f"encontraba: {_text(facts.absence_reason)}"))
    return Section("Búsqueda del destinatario (R-NOT-8)", tuple(lines), prose=tuple(prose))


def attendee_section(a: Attendee | None) -> Section:
    title = "Persona con quien se entiende la diligencia (R-NOT-7, R-NOT-8)"
    if a is None:
        return Section(title, (Line("Persona", "Nadie atendió la diligencia"),),
                       prose=("Nadie atendió la diligencia.",))
    name = "Se negó a dar su nombre" if a.refused_name and not a.name else _text(a.name)
    identity = identity_text(a.id_type, a.id_number, a.not_identified)
    capacity = CAPACITIES.get(a.capacity or "", NO)
    relationship = _text(a.relationship) if a.capacity != "addressee" else "Es el destinatario"
    lines = [
        Line("Nombre", name),
        Line("Carácter", capacity),
        Line("Relación con el destinatario", relationship),
        Line("Identificación", identity),
    ]
    who = ("una persona que se negó a dar su nombre" if a.refused_name and not a.name
           else _text(a.name))
    sentence = f"La diligencia se entendió con {who}, en su carácter de {capacity.lower()}"
    if a.capacity != "addressee" and a.relationship:
        sentence += f" ({a.relationship})"
    sentence += (", quien no se identificó" if a.not_identified
                 else f", quien se identificó con {_lower_first(identity)}"
                 if identity != NO else "; no consta su identificación")
    prose = [sentence + "."]
    if a.capacity == "legal_representative":
        p = a.power
        power = (f"Escritura {_text(p.instrument_number)}, otorgada ante {_text(p.notary)}, el "
                 f"{_day(p.granted_on)}" if p else NO)
        lines.append(Line("Poder notarial", power))
        prose.append(f"Acredita su representación con la {_lower_first(power)}."
                     if p else "No consta el poder notarial de su representación.")
    return Section(title, tuple(lines), prose=tuple(prose))


def appointment_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    # R-NOT-3: the date and time the citatorio is issued and the fixed hour of the later day.
    lines = (
        Line("Fecha y hora en que se deja el citatorio", _when(facts.started_at, tz)),
        Line("Cita: el destinatario debe esperar el", _when(facts.appointment_at, tz)),
    )
    return Section("Citatorio (R-NOT-3)", lines, prose=(
        f"Se cita al destinatario o a su representante legal para que espere a quien suscribe "
        f"en este domicilio el {_when(facts.appointment_at, tz)}, para la práctica de la "
        f"diligencia.",))


def posting_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    # R-NOT-4: nobody received the citatorio, or it was refused: it is fixed at the entrance.
    reason = POSTING_REASONS.get(facts.posting_reason or "", NO)
    lines = (
        Line("Motivo de la fijación", reason),
        Line("Fecha y hora de la fijación", _when(facts.started_at, tz)),
        Line("Cita fijada en el citatorio", _when(facts.appointment_at, tz)),
    )
    return Section("Fijación del citatorio en la entrada principal (R-NOT-4)", lines,
                   note="La fotografía del citatorio fijado consta en el anexo fotográfico.",
                   prose=(f"{reason}; por ello el citatorio se fijó en la entrada principal del "
                          f"domicilio el {_when(facts.started_at, tz)}, con cita para el "
                          f"{_when(facts.appointment_at, tz)}.",))


def follow_up_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section:
    c = facts.citatorio
    assert c is not None
    lines = (
        Line("Citatorio dejado el", _when(c.issued_at, tz)),
        Line("Hora fijada en el citatorio", _when(c.appointed_at, tz)),
        Line("Inicio de esta diligencia", _when(facts.started_at, tz)),
    )
    return Section("Citatorio previo (R-NOT-5, R-NOT-8)", lines, prose=(
        f"Esta diligencia atiende el citatorio dejado el {_when(c.issued_at, tz)}, que fijó la "
        f"cita para el {_when(c.appointed_at, tz)}.",))


def not_located_section(facts: DiligenceFacts) -> Section:
    n = facts.not_located
    reason = NOT_LOCATED_REASONS.get(n.reason or "", NO) if n else NO
    lines = (Line("Motivo", reason), Line("Estado del inmueble", _text(n.premises_state if n else None)))
    rows = tuple((s.name or "Sin nombre", s.text or NO) for s in (n.statements if n else ()))
    table = Table(("Persona", "Manifestó"), (1.4, 4.0), rows) if rows else None
    prose = [f"No se localizó al destinatario: {_lower_first(reason)}."]
    if n is not None and n.premises_state:
        prose.append(_sentence(f"Estado del inmueble: {n.premises_state}"))
    return Section("Evidencia de la no localización (R-NOT-10)", lines, table,
                   note=None if rows else "No se recabaron dichos de vecinos.", prose=tuple(prose))


def new_address_section(a: NewAddress | None) -> Section | None:
    """The new address reported (R-NOT-10): the office head decides whether it becomes a new
    address of the debtor (cambio de domicilio)."""
    if a is None or not a.is_given:
        return None
    interior = f" Int. {a.interior_number}" if a.interior_number else ""
    where = ", ".join(p for p in (
        f"{a.street or ''} {a.exterior_number or ''}{interior}".strip(),
        f"Col. {a.neighborhood}" if a.neighborhood else "",
        f"C.P. {a.postal_code}" if a.postal_code else "", a.municipality or "", a.state or "") if p)
    lines = (Line("Domicilio", where or NO), Line("Lo proporcionó", _text(a.informant)))
    return Section("Nuevo domicilio informado (R-NOT-10)", lines, prose=(
        _sentence(f"Se informó como nuevo domicilio del deudor: {where}"),))


def localization_section(facts: DiligenceFacts) -> Section:
    loc = facts.localization
    found = loc is not None and loc.result == "found"
    lines = (Line("Resultado", "Localizado" if found else "No localizado" if loc and loc.result
                  else NO), Line("Notas de la investigación", _text(loc.notes if loc else None)))
    rows = tuple((s.name or "Sin nombre", s.text or NO) for s in (loc.statements if loc else ()))
    table = Table(("Persona", "Manifestó"), (1.4, 4.0), rows) if rows else None
    prose = ("Se localizó al deudor en el domicilio que se indica." if found
             else "No se logró localizar al deudor.",)
    return Section("Localización del deudor (R-NOT-10)", lines, table, prose=prose)


def demand_section(diligence: Diligence, facts: DiligenceFacts) -> Section:
    total = money(diligence.document.total)
    lines = [Line("Importe requerido", total)]
    prose = [f"Se requirió el pago de {total}."]
    p = facts.payment
    if p is not None:
        outcome = PAYMENT_OUTCOMES.get(p.outcome or "", NO)
        lines.append(Line("Resultado del requerimiento (R-PAE-1)", outcome))
        prose.append(f"Resultado: {_lower_first(outcome)}.")
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
    return Section("Requerimiento de pago (R-PAE-1)", tuple(lines), prose=tuple(prose))


# The embargo ----------------------------------------------------------------------------------

def category_label(code: str | None) -> str:
    category = ITEM_CATEGORIES.get(code or "")
    if category is None:
        return NO
    if category.fraction is not None and not category.exempt:
        return f"{category.label} (CFF 155 fr. {category.fraction})"
    return f"{category.label} ({category.exempt_basis})"


def _item_description(item: SeizedItem) -> str:
    """The description, then what identifies the good: brand, model, serial number."""
    marks = [f"{label}: {value}" for label, value in (
        ("Marca", item.brand), ("Modelo", item.model), ("Serie", item.serial_number)) if value]
    return "\n".join([_text(item.description), *(["; ".join(marks)] if marks else [])])


Numbered = list[tuple[int, SeizedItem]]


def split_items(s: Seizure) -> tuple[Numbered, Numbered, Numbered]:
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


def seized_value(s: Seizure) -> Decimal:
    return sum((i.value for _, i in split_items(s)[0] if i.value is not None), Decimal(0))


def seizure_sections(s: Seizure) -> list[Section | None]:
    seized, exempt, claimed = split_items(s)
    designated = DESIGNATED_BY.get(s.designated_by or "", NO)
    designation = [Line("Señaló los bienes (R-PAE-4)", designated)]
    prose = [f"Señaló los bienes: {_lower_first(designated)}."]
    if s.designated_by == "executor":
        reason = EXECUTOR_REASONS.get(s.executor_reason or "", NO)
        designation.append(Line("Motivo del ejecutor (CFF 156, R-PAE-5)", reason))
        prose.append(f"El ejecutor señaló los bienes porque {_lower_first(reason)}.")
    if s.whole_business:
        designation.append(Line("Embargo de la negociación", "Se embarga la negociación en su totalidad"))
    value = seized_value(s)
    prose.append(f"Se embargaron {len(seized)} bienes con valor estimado de {money(value)}."
                 if len(seized) != 1 else f"Se embargó un bien con valor estimado de {money(value)}.")
    rows = tuple((str(n), category_label(i.category), _item_description(i), i.quantity or "1",
                  _text(i.condition), _money(i.value), i.seal or "Sin sello") for n, i in seized)
    goods = Section("Bienes embargados (R-PAE-4, R-PAE-8)", tuple(designation),
                    Table(("#", "Categoría", "Descripción", "Cant.", "Estado", "Valor estimado",
                           "Sello"), (0.3, 1.7, 2.5, 0.5, 1.0, 1.1, 1.5), rows),
                    note=None if rows else "No se embargaron bienes.", prose=tuple(prose))
    sections: list[Section | None] = [goods]
    if exempt:  # R-PAE-6: never seized, the acta says they were refused
        sections.append(Section("Bienes inembargables no embargados (CFF 157, R-PAE-6)", table=Table(
            ("#", "Categoría", "Descripción"), (0.35, 3.0, 3.5),
            tuple((str(n), category_label(i.category), _text(i.description)) for n, i in exempt))))
    if s.exempt_goods_noted:  # R-PAE-6: seen at the address and left out (the phone's checklist)
        noted = "; ".join(category_label(k) for k in s.exempt_goods_noted)
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
    sections += [witnesses_section(s), custody_section(s, seized), sufficiency_section(s, value)]
    return sections


def _signed_text(signed: bool, refused: bool, signature: str | None) -> str:
    if refused:
        return "se negó a firmar"
    if signature:
        return "firmó en pantalla"
    return "firmó" if signed else "no firmó"


def witnesses_section(s: Seizure) -> Section:
    # R-PAE-4: two witnesses, with their identification and signature, or the executor's note.
    lines: list[Line] = []
    prose: list[str] = []
    for n, w in enumerate(s.witnesses, start=1):
        identity = identity_text(w.id_type, w.id_number, w.not_identified)
        signed = _signed_text(w.signed, w.refused_to_sign, w.signature)
        lines.append(Line(f"Testigo {n}", f"{_text(w.name)} · {identity} · {signed}"))
        prose.append(f"Testigo {n}: {_text(w.name)}, identificación: "
                     f"{_lower_first(identity)}; {signed}.")
    if s.witnesses_note:
        note = WITNESS_NOTES.get(s.witnesses_note, NO)
        lines.append(Line("Constancia del ejecutor", note))
        prose.append(f"{note}.")
    if not lines:
        lines.append(Line("Testigos", NO))
    return Section("Testigos (R-PAE-4)", tuple(lines), prose=tuple(prose))


def custody_section(s: Seizure, seized: Numbered) -> Section:
    c = s.custodian or Custodian()
    name = _text(c.name) + (" (el propio deudor)" if c.is_debtor else "")
    identity = identity_text(c.id_type, c.id_number, c.not_identified)
    seals = ", ".join(i.seal for _, i in seized if i.seal) or "Ninguno"
    lines = (
        Line("Depositario", name),
        Line("Identificación del depositario", identity),
        Line("Designado por", APPOINTED_BY.get(c.appointed_by or "", NO)),
        Line("Lugar donde quedan los bienes", _text(c.location)),
        Line("Firma del depositario", _capitalized(_signed_text(False, c.refused_to_sign,
                                                                c.signature))),
        Line("Sellos colocados", seals),
    )
    appointed = APPOINTED_BY.get(c.appointed_by or "", NO)
    prose = (_sentence(f"{appointed} designó depositario de los bienes a {name}, quien acepta "
                       f"el cargo; los bienes quedan en {_text(c.location)}"),)
    return Section("Depositario y sellos (R-PAE-8)", lines, prose=prose)


def sufficiency_section(s: Seizure, value: Decimal) -> Section:
    total = value + (s.previously_seized_value or Decimal(0))
    lines = [Line("Interés fiscal", _money(s.amount_secured)),
             Line("Valor de lo embargado en esta diligencia", money(value))]
    if s.previously_seized_value is not None:
        lines.append(Line("Valor embargado antes", money(s.previously_seized_value)))
    if s.amount_secured is not None:
        lines.append(Line("Suficiencia", "Lo embargado cubre el interés fiscal"
                          if total >= s.amount_secured else
                          "Lo embargado no cubre el interés fiscal: procede ampliación "
                          "(CFF 154)"))
    return Section("Suficiencia del embargo (R-PAE-7)", tuple(lines))


def costs_section(diligence: Diligence, facts: DiligenceFacts, office: Office,
                  tz: ZoneInfo) -> Section | None:
    # R-PAE-3: 2 % of the credits, clamped to the bracket in force, once per diligence.
    acts = CHARGED_ACTS.get(diligence.kind)
    if not acts:
        return None
    started = facts.started_at or diligence.captured_at
    day = started.astimezone(tz).date()
    params = parameters_for(office, day)
    bases = [enforcement_cost_base(c, params) for c in diligence.document.credits]
    title = "Gastos de ejecución (CFF 150, R-PAE-3)"
    try:
        bracket = bracket_on(day, params.cost_table)
        amount = diligence_costs(bases, day, acts, params.cost_table)
    except NoCostBracket:
        return Section(title, (Line("Gastos de ejecución", "Sin tabla de gastos vigente en la fecha"),))
    lines = (
        Line("Gastos de ejecución", money(amount)),
        Line("Cálculo", f"{bracket.rate * 100:.0f} % de {money(sum(bases, Decimal(0)))} "
                        f"({params.cost_base_label.lower()}), mínimo {money(bracket.minimum)}, "
                        f"máximo {money(bracket.maximum)}; un solo cobro por diligencia"),
    )
    return Section(title, lines, note=bracket.note or None)


def obstruction_section(facts: DiligenceFacts) -> Section | None:
    o = facts.obstruction
    if o is None or not (o.public_force_requested or o.locks_broken):
        return None
    lines = []
    if o.public_force_requested:
        lines.append(Line("Auxilio de la fuerza pública", _text(o.public_force_reason)))
    if o.locks_broken:
        lines.append(Line("Ruptura de cerraduras", f"Orden número {_text(o.lock_order_number)} "
                                                  f"del {_day(o.lock_order_date)}, ante dos testigos"))
    return Section("Oposición a la diligencia (CFF 162-163, R-PAE-10)", tuple(lines))


def delivery_section(facts: DiligenceFacts, kind: str) -> Section:
    lines = [Line("Se entregó copia del documento", _yes(facts.copy_delivered))]
    prose = ["Se entregó copia del documento a la persona con quien se entendió la diligencia."
             if facts.copy_delivered else "No consta que se entregara copia del documento."]
    if facts.refused_to_receive:
        refusal = ("La persona que atendió se negó a recibir"
                   + (": el acto se notificará por estrados (R-NOT-6)"
                      if kind == "notification" else ""))
        lines.append(Line("Negativa a recibir", refusal))
        prose.append(refusal + ".")
    if facts.refused_to_sign:
        lines.append(Line("Firma (R-NOT-7)", "Se negó a firmar"))
        prose.append("La persona con quien se entendió la diligencia se negó a firmar.")
    return Section("Entrega de copia y firma (R-NOT-7, R-PAE-2)", tuple(lines), prose=tuple(prose))


def on_site_section(facts: DiligenceFacts, tz: ZoneInfo) -> Section | None:
    # R-NOT-9: facts known only on site carry the time they were entered; a prefilled one is
    # named as such.
    times = sorted(facts.entered_at.items(), key=lambda kv: (kv[1], _order(kv[0])))
    rows = tuple((field_label(key), long_datetime(at, tz)) for key, at in times)
    lines = tuple(Line("Dato prellenado (no capturado en el lugar)", field_label(key))
                  for key in facts.prefilled)
    if not rows and not lines:
        return None
    return Section("Hora de captura de los datos del lugar (R-NOT-9)", lines,
                   Table(("Dato", "Capturado el"), (3.0, 2.4), rows) if rows else None)


def _order(path: str) -> tuple[int, ...]:
    """Positions in a path as numbers, so item 10 sorts after item 2 at the same minute."""
    return tuple(int(a or b) for a, b in _POSITION.findall(path))
