"""What an acta says, built from the stored record of one diligence.

``build_acta`` reads the record as the phone hashed it (``Diligence.content``) plus the
portfolio rows it points at (office, document, debtor, credits) and returns plain text in
sections; ``fieldapp.actas.pdf`` only lays them out. The facts are told by
``fieldapp.diligences.narrative`` (the same sections the review page shows): each kind of
diligence carries the fields legal-rules.md requires of its act, the place, time and people
(R-NOT-8), the citatorio's appointment (R-NOT-3), the posting (R-NOT-4), the signature or its
refusal (R-NOT-7), the evidence of a debtor not located (R-NOT-10), the executor's credential
(R-PAE-2), the goods in CFF 155 order (R-PAE-4/5), witnesses, custody and seals (R-PAE-4,
R-PAE-8), third-party claims (R-PAE-9), sufficiency (R-PAE-7), enforcement costs (R-PAE-3) and
obstruction (R-PAE-10). This module adds the document and its credits, the legal findings
stored at receipt (with the field user's reasons), the photos and every signature.

``verification`` answers the public page: whether a printed acta's id and hash prefix still
point at a stored record that matches its hash, and the few facts the printed acta shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from fieldapp.diligences.models import Diligence
from fieldapp.diligences.narrative import (
    NO,
    Line,
    Section,
    Table,
    narrate,
    role_of,
    seized_value,
    split_items,
)
from fieldapp.diligences.services import stored_record_matches
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.legal.facts import Attendee, DiligenceFacts, FactsError, FieldUser
from fieldapp.legal.labels import CAPACITIES, MEDIA_ROLES, NOT_LOCATED_REASONS, PAYMENT_OUTCOMES, SEVERITIES
from fieldapp.media.services import present
from fieldapp.offices.models import Office
from fieldapp.web.formats import long_date, long_datetime, money

__all__ = ["Acta", "ActaError", "Line", "Photo", "Section", "Signer", "Table", "build_acta",
           "verification"]

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
    "localization": "Constancia de localización del deudor",
}
SIGNATURE_ROLES = frozenset({"signature", "witness_signature", "custodian_signature"})


class ActaError(DomainError):
    """The stored record cannot be read as an acta (its facts no longer follow the contract):
    a conflict between what is stored and what an acta needs, not a bad request."""

    code = "acta_unreadable"
    status = 409


@dataclass(frozen=True)
class Photo:
    caption: str
    sha256: str
    stored: bool  # False while the phone has not sent the file


@dataclass(frozen=True)
class Signer:
    """One signature block at the end of the acta: who signs, in what capacity, and their
    signature drawn on the phone or why there is none (a refusal, a file still on its way)."""

    caption: str
    name: str
    signature: Photo | None = None
    note: str = ""


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
    signers: tuple[Signer, ...]  # the attendee, the field user, witnesses, custodian
    content_hash: str
    hash_prefix: str
    version: int
    record_matches: bool
    superseded: bool


# Building ---------------------------------------------------------------------------------------

def parse_facts(diligence: Diligence) -> DiligenceFacts:
    """The stored facts, read with the sync contract; a stored row that no longer follows it
    (altered behind the app) raises ``ActaError``."""
    content = diligence.content if isinstance(diligence.content, dict) else {}
    try:
        return DiligenceFacts.from_dict(content.get("facts") or {})
    except FactsError as exc:
        raise ActaError(f"No se puede imprimir el acta: los hechos almacenados no se pueden leer "
                        f"({exc.path}).") from None


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
    role = role_of(diligence.kind)
    started = facts.started_at or diligence.captured_at
    sections = [_document_section(diligence), *narrate(diligence, facts, office),
                _findings_section(diligence)]
    stored = present(m.sha256 for m in diligence.media)
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
        date_label=long_date(started.astimezone(tz).date()),
        summary=_summary(diligence, facts, tz),
        sections=tuple(sections),
        photos=_photos(diligence, facts, stored),
        signers=_signers(diligence, facts, field_user_name, role, stored),
        content_hash=diligence.content_hash,
        hash_prefix=hash_prefix(diligence),
        version=diligence.version,
        record_matches=stored_record_matches(diligence),
        superseded=diligence.superseded_by_id is not None,
    )


def _summary(diligence: Diligence, facts: DiligenceFacts, tz: ZoneInfo) -> str:
    kind, a = diligence.kind, facts.attendee
    if kind in ("citatorio", "posting_record"):
        return f"Cita: {long_datetime(facts.appointment_at, tz) if facts.appointment_at else NO}"
    if kind == "not_located":
        reason = facts.not_located.reason if facts.not_located else None
        return f"Motivo: {NOT_LOCATED_REASONS.get(reason or '', NO)}"
    if kind in ("seizure", "seizure_extension") and facts.seizure is not None:
        seized = split_items(facts.seizure)[0]
        return (f"Bienes embargados: {len(seized)}, con valor estimado de "
                f"{money(seized_value(facts.seizure))}")
    if kind == "payment_demand" and facts.payment is not None:
        return f"Resultado: {PAYMENT_OUTCOMES.get(facts.payment.outcome or '', NO)}"
    if a is not None:
        name = "persona que se negó a dar su nombre" if a.refused_name else (a.name or NO)
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
    rows = tuple((c.credit_number, c.concept_label, c.period, money(c.total))
                 for c in document.credits)
    table = Table(("Crédito", "Concepto", "Periodo", "Importe"), (1.2, 2.6, 0.9, 1.3), rows)
    return Section("Documento y créditos", tuple(lines), table,
                   note=f"Importe total de los créditos: {money(document.total)}")


def _findings_section(diligence: Diligence) -> Section:
    lines = []
    for f in diligence.findings or []:
        text = str(f.get("message") or "")
        if f.get("reason"):
            text += f" Motivo registrado por quien actúa: {f['reason']}"
        lines.append(Line(f"{f.get('rule_id')} · {SEVERITIES.get(f.get('severity'), '')}", text))
    return Section("Revisión legal al recibir el registro", tuple(lines),
                   note=None if lines else "El motor legal no encontró impedimentos ni advertencias.")


def _photos(diligence: Diligence, facts: DiligenceFacts, stored: set[str]) -> tuple[Photo, ...]:
    """The photographic annex: every file but the signatures, a good's photos named by the
    good's number in the acta."""
    items = facts.seizure.items if facts.seizure is not None else ()
    item_of_photo = {sha: n for n, item in enumerate(items, start=1) for sha in item.photos}
    photos = []
    counts: dict[str, int] = {}
    for m in diligence.media:
        if m.role in SIGNATURE_ROLES:
            continue
        label = MEDIA_ROLES.get(m.role, "Fotografía")
        counts[m.role] = counts.get(m.role, 0) + 1
        caption = (f"{label} (bien {item_of_photo[m.sha256]})" if m.sha256 in item_of_photo
                   else f"{label} {counts[m.role]}")
        photos.append(Photo(caption, m.sha256, m.sha256 in stored))
    return tuple(photos)


def _signature_file(diligence: Diligence, stored: set[str], role: str,
                    sha256: str | None = None) -> Photo | None:
    """The signature of ``role`` in the record's files (by its sha256 when the facts name it)."""
    for m in diligence.media:
        if m.role == role and (sha256 is None or m.sha256 == sha256):
            return Photo(MEDIA_ROLES.get(role, "Firma"), m.sha256, m.sha256 in stored)
    return None


def _signature_note(signature: Photo | None, refused: bool, signed_on_paper: bool = False) -> str:
    if refused:
        return "Se negó a firmar"
    if signature is None:
        return "" if signed_on_paper else "Sin firma registrada"
    if not signature.stored:
        return "La firma aún no llega del teléfono"
    return ""


def _signers(diligence: Diligence, facts: DiligenceFacts, field_user_name: str, role: str,
             stored: set[str]) -> tuple[Signer, ...]:
    signers = []
    receiver = _attendee_name(diligence.kind, facts.attendee)
    if receiver is not None:  # R-NOT-7: the receiver's signature, or their refusal
        signature = _signature_file(diligence, stored, "signature")
        note = ("Se negó a firmar (R-NOT-7)" if facts.refused_to_sign
                else "Se negó a recibir" if facts.refused_to_receive
                else _signature_note(signature, False))
        signers.append(Signer("Nombre y firma de quien recibe la diligencia", receiver,
                              signature, note))
    signers.append(Signer(f"Nombre y firma de quien actúa ({role.lower()})", field_user_name))
    seizure = facts.seizure
    if seizure is not None:  # R-PAE-4, R-PAE-8: witnesses and custodian sign too
        for n, w in enumerate(seizure.witnesses, start=1):
            signature = (_signature_file(diligence, stored, "witness_signature", w.signature)
                         if w.signature else None)
            signers.append(Signer(f"Testigo {n}", w.name or "", signature,
                                  _signature_note(signature, w.refused_to_sign, w.signed)))
        c = seizure.custodian
        if c is not None:
            signature = (_signature_file(diligence, stored, "custodian_signature", c.signature)
                         if c.signature else None)
            signers.append(Signer("Depositario", c.name or "", signature,
                                  _signature_note(signature, c.refused_to_sign)))
    return tuple(signers)


def _attendee_name(kind: str, a: Attendee | None) -> str | None:
    if kind in ("posting_record", "not_located") or a is None:
        return None
    return "" if a.refused_name else (a.name or "")


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
