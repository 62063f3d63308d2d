"""Importing the emisión: check every row, then write all of it or nothing.

The file is checked completely before anything is written: each row on its own
(`fieldapp.imports.rows`), then against the other rows (duplicates, one folio or one RFC described
in two ways) and against what is stored (offices, sectors, known credits and documents). Any
problem rejects the whole file with every problem listed by line. A clean file is written in one
go: known records are matched by their keys and updated, never duplicated, so importing the same
file twice changes nothing the second time.

Keys: debtor = office + RFC; address = debtor + origin + street + number; credit = office + credit
number; document = office + folio.

Everything existing is loaded up front in a few bulk queries (no query per row), so a 10,000-row
emisión imports in seconds (bench/import_bench.py). Like every service, this adds and flushes;
the caller commits once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from fieldapp.audit.models import AuditEvent
from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.bulk import insert_rows
from fieldapp.errors import DomainError
from fieldapp.extensions import db
from fieldapp.imports.rows import COLUMN_NAMES, REQUIRED_COLUMNS, ImportRow, address_key, parse_row
from fieldapp.offices.models import Office, Sector
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import (
    Address,
    Credit,
    Debtor,
    Document,
    EmployerRegistration,
    document_credits,
)
from fieldapp.portfolio.services import CreditState, advance_credit_states

IMPORT_ACTION = "credits_imported"
IMPORTED_CREDIT_STATUS = "issued"  # as the emisión issued it…
NEW_CREDIT_STATUS = "to_notify"  # …and at once in the office's portfolio, with that history row
_CHUNK = 500  # bound parameters per IN (...) query, well under SQLite's limit
# Bulk INSERTs leave out None values by default, so rows with and without an optional value
# would go in separate statements; rendering NULLs keeps them in the same multi-row INSERT.
_ONE_BATCH = {"render_nulls": True}

T = TypeVar("T")
K = TypeVar("K")
RawRecord = tuple[int, Mapping[str, str | None]]


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str  # Spanish, for the admin who prepared the file


class ImportRejected(DomainError):
    """The file has problems; nothing was written. `problems` lists each with its line."""

    code = "import_rejected"
    status = 422

    def __init__(self, problems: Sequence[RowProblem], message: str | None = None) -> None:
        problems = sorted(problems, key=lambda p: p.line)  # stable: a row's columns in order
        bad_lines = len({p.line for p in problems})
        super().__init__(message or (
            f"El archivo no se importó: {bad_lines} {'fila' if bad_lines == 1 else 'filas'} con "
            f"errores ({len(problems)} {'problema' if len(problems) == 1 else 'problemas'}). "
            "No se guardó nada."))
        self.problems = problems
        self.bad_lines = bad_lines


class ImportCollided(ImportRejected):
    """Another import saved the same rows at the same moment (a unique key taken between our
    checks and our writes): the file is fine, the data it meets changed — a conflict."""

    code = "import_collided"
    status = 409

    def __init__(self) -> None:
        super().__init__([RowProblem(1, "otra importación guardó los mismos créditos al mismo "
                                        "tiempo; vuelva a importar el archivo.")],
                         "Otra importación guardó los mismos créditos al mismo tiempo; no se "
                         "guardó nada. Vuelva a importar el archivo.")


@dataclass
class ImportSummary:
    rows: int = 0
    debtors_created: int = 0
    debtors_updated: int = 0
    registrations_created: int = 0
    addresses_created: int = 0
    addresses_updated: int = 0
    credits_created: int = 0
    credits_updated: int = 0
    credits_unchanged: int = 0
    documents_created: int = 0
    documents_updated: int = 0
    offices: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}

    def describe(self) -> str:
        """One Spanish sentence for the CLI and the flash message."""
        return (
            f"{self.rows} filas: {self.credits_created} créditos nuevos, "
            f"{self.credits_updated} actualizados, {self.credits_unchanged} sin cambios; "
            f"{self.documents_created} documentos nuevos, {self.documents_updated} actualizados; "
            f"{self.debtors_created} patrones nuevos, {self.debtors_updated} actualizados; "
            f"{self.addresses_created} domicilios nuevos."
        )


# --- Reading the file ---------------------------------------------------------------------


def read_csv(data: bytes, *, known: Sequence[str] = COLUMN_NAMES,
             required: frozenset[str] = REQUIRED_COLUMNS, rows_of: str = "créditos"
             ) -> list[RawRecord]:
    """Splits a UTF-8 CSV (header row, comma separated) into (line number, values by column).
    Problems with the file as a whole are reported as line 1 (the header) or their own line.
    ``known`` and ``required`` are the file's columns (the emisión's by default)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([RowProblem(line, "el archivo no está en UTF-8. Guárdelo como "
                                               "«CSV UTF-8 (delimitado por comas)».")]) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportRejected([RowProblem(1, f"el encabezado no se puede leer ({exc}).")]) from exc
    if header is None or not any(h.strip() for h in header):
        raise ImportRejected([RowProblem(1, "el archivo está vacío; la primera fila debe ser el "
                                            "encabezado con los nombres de las columnas.")])
    columns = [h.strip().lower() for h in header]
    _check_header(columns, known, required)

    records: list[RawRecord] = []
    problems: list[RowProblem] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RowProblem(line, f"la fila no se puede leer ({exc})."))
            break
        if values and any(v.strip() for v in values):
            if len(values) != len(columns):
                problems.append(RowProblem(line, f"tiene {len(values)} campos y el encabezado tiene "
                                                 f"{len(columns)}."))
            else:
                records.append((line, dict(zip(columns, values, strict=True))))
        line = reader.line_num + 1
    if problems:
        raise ImportRejected(problems)
    if not records:
        raise ImportRejected([RowProblem(1, f"el archivo no tiene filas de {rows_of}.")])
    return records


def _check_header(columns: list[str], known: Sequence[str], required: frozenset[str]) -> None:
    problems = []
    missing = [c for c in known if c in required and c not in columns]
    unknown = [c for c in columns if c not in known]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if missing:
        problems.append(RowProblem(1, f"faltan columnas en el encabezado: {', '.join(missing)}."))
    if unknown:
        problems.append(RowProblem(1, f"columnas desconocidas en el encabezado: {', '.join(unknown)}."))
    if repeated:
        problems.append(RowProblem(1, f"columnas repetidas en el encabezado: {', '.join(repeated)}."))
    if problems:
        raise ImportRejected(problems)


# --- Importing ----------------------------------------------------------------------------


def import_credit_file(
    data: bytes, *, actor: User | None, only_office: Office | None = None, source: str,
    filename: str | None = None,
) -> ImportSummary:
    return import_credit_rows(read_csv(data), actor=actor, only_office=only_office, source=source,
                              filename=filename)


def import_credit_rows(
    records: Sequence[RawRecord], *, actor: User | None, only_office: Office | None = None,
    source: str, filename: str | None = None,
) -> ImportSummary:
    """Checks every row, then writes them all (raises ImportRejected and writes nothing if any
    row is bad). `only_office`: rows must belong to it (the upload page: an admin imports
    for their own office only). Flushes; the caller commits."""
    problems: list[RowProblem] = []
    rows: list[ImportRow] = []
    for line, raw in records:
        row, messages = parse_row(line, dict(raw))
        problems.extend(RowProblem(line, m) for m in messages)
        if row is not None:
            rows.append(row)

    codes = {r.office_code for r in rows}
    offices = _offices_by_code(codes if only_office is None else codes & {only_office.code})
    sectors = _sectors_by_key(offices.values())
    rows = _check_against_offices(rows, offices, sectors, only_office, problems)
    _check_between_rows(rows, problems)
    known = _Known.load(rows, offices)
    _check_against_known(rows, offices, known, problems)
    if problems:
        raise ImportRejected(problems)

    try:
        summary = _write(rows, offices, sectors, known, actor)
    except IntegrityError as exc:
        raise ImportCollided() from exc
    summary.offices = sorted(offices)
    single_office = next(iter(offices.values())).id if len(offices) == 1 else None
    record(IMPORT_ACTION, actor=actor, office_id=single_office, object_type="credits",
           source=source, filename=filename, offices=summary.offices, **summary.counts())
    return summary


def _offices_by_code(codes: set[str]) -> dict[str, Office]:
    if not codes:
        return {}
    return {o.code: o for o in db.session.scalars(select(Office).where(Office.code.in_(codes)))}


def _sectors_by_key(offices: Iterable[Office]) -> dict[tuple[int, str], Sector]:
    ids = [o.id for o in offices]
    if not ids:
        return {}
    return {(s.office_id, s.code): s
            for s in db.session.scalars(select(Sector).where(Sector.office_id.in_(ids)))}


def _check_against_offices(
    rows: list[ImportRow], offices: dict[str, Office], sectors: dict[tuple[int, str], Sector],
    only_office: Office | None, problems: list[RowProblem],
) -> list[ImportRow]:
    today = {code: office_today(o) for code, o in offices.items()}
    good = []
    for row in rows:
        office = offices.get(row.office_code)
        before = len(problems)
        if only_office is not None and row.office_code != only_office.code:
            # The same answer whether that office exists or not: an office learns nothing of
            # the others.
            problems.append(RowProblem(row.line, f"office_code: «{row.office_code}» no es su "
                                                 f"subdelegación ({only_office.code}); sólo puede "
                                                 "importar créditos de la suya."))
        elif office is None:
            problems.append(RowProblem(row.line, f"office_code: no existe la subdelegación con clave "
                                                 f"«{row.office_code}»."))
        else:
            if row.sector_code and (office.id, row.sector_code) not in sectors:
                problems.append(RowProblem(row.line, f"sector_code: no existe el sector «{row.sector_code}» "
                                                     f"en la subdelegación {office.code}; el "
                                                     "administrador debe crearlo antes."))
            for column in ("issued_on", "document_date"):
                day: date = getattr(row, column)
                if day > today[row.office_code]:
                    problems.append(RowProblem(row.line, f"{column}: {day.isoformat()} es una fecha "
                                                         "futura."))
        if len(problems) == before:
            good.append(row)
    return good


def _check_between_rows(rows: list[ImportRow], problems: list[RowProblem]) -> None:
    """The same credit twice is a duplicate line; a debtor, address or document that appears
    on several rows must be described the same way on each of them."""
    first_credit: dict[tuple[str, str], ImportRow] = {}
    first_debtor: dict[tuple[str, str], ImportRow] = {}
    first_address: dict[tuple[str, str, tuple[str, ...]], ImportRow] = {}
    first_document: dict[tuple[str, str], ImportRow] = {}
    for row in rows:
        credit = first_credit.setdefault((row.office_code, row.credit_number), row)
        if credit is not row:
            problems.append(RowProblem(row.line, f"credit_number: el crédito {row.credit_number} ya "
                                                 f"aparece en la línea {credit.line} (línea duplicada)."))
            continue
        debtor = first_debtor.setdefault((row.office_code, row.rfc), row)
        for column, label in (("legal_name", "otra razón social"), ("curp", "otra CURP"),
                              ("legal_representative", "otro representante legal")):
            mine, theirs = getattr(row, column), getattr(debtor, column)
            if mine and theirs and mine != theirs:
                problems.append(RowProblem(row.line, f"{column}: el RFC {row.rfc} aparece en la línea "
                                                     f"{debtor.line} con {label} («{theirs}»)."))
        address = first_address.setdefault((row.office_code, row.rfc, row.address_key), row)
        for column in ("neighborhood", "municipality", "state", "postal_code", "latitude",
                       "longitude", "sector_code"):
            mine, theirs = getattr(row, column), getattr(address, column)
            if mine != theirs:
                problems.append(RowProblem(row.line, f"{column}: el domicilio {row.street} "
                                                     f"{row.exterior_number} aparece en la línea "
                                                     f"{address.line} con otro valor («{theirs or ''}»)."))
        document = first_document.setdefault((row.office_code, row.document_folio), row)
        if document.rfc != row.rfc:
            problems.append(RowProblem(row.line, f"document_folio: el folio {row.document_folio} aparece "
                                                 f"en la línea {document.line} con otro patrón "
                                                 f"(RFC {document.rfc})."))
            continue
        for column, label in (("document_kind", "otro tipo"), ("issuing_authority", "otra autoridad"),
                              ("document_date", "otra fecha")):
            if getattr(row, column) != getattr(document, column):
                problems.append(RowProblem(row.line, f"{column}: el folio {row.document_folio} aparece "
                                                     f"en la línea {document.line} con {label}."))
        if row.address_key != document.address_key:
            problems.append(RowProblem(row.line, f"street: el folio {row.document_folio} aparece en la "
                                                 f"línea {document.line} con otro domicilio."))


@dataclass
class _Known:
    """What is already stored for the rows' keys, loaded in bulk."""

    debtors: dict[tuple[int, str], Debtor]
    registrations: set[tuple[int, str]]
    addresses: dict[tuple[int, tuple[str, ...]], Address]
    credits: dict[tuple[int, str], tuple[Credit, str]]  # with the RFC of the credit's debtor
    documents: dict[tuple[int, str], tuple[Document, str]]  # with the RFC of its debtor
    links: set[tuple[int, int]]  # (document_id, credit_id)

    @classmethod
    def load(cls, rows: list[ImportRow], offices: dict[str, Office]) -> _Known:
        office_ids = [o.id for o in offices.values()]
        known = cls({}, set(), {}, {}, {}, set())
        if not rows:
            return known
        rfcs = sorted({r.rfc for r in rows})
        for chunk in _chunks(rfcs):
            for debtor in db.session.scalars(
                select(Debtor).where(Debtor.office_id.in_(office_ids), Debtor.rfc.in_(chunk))
            ):
                known.debtors[(debtor.office_id, debtor.rfc)] = debtor
        debtor_ids = [d.id for d in known.debtors.values()]
        for chunk in _chunks(debtor_ids):
            known.registrations.update((debtor_id, number) for debtor_id, number in db.session.execute(
                select(EmployerRegistration.debtor_id, EmployerRegistration.number)
                .where(EmployerRegistration.debtor_id.in_(chunk))))
            for address in db.session.scalars(select(Address).where(Address.debtor_id.in_(chunk))):
                key = address_key(address.origin, address.street, address.exterior_number,
                                  address.interior_number)
                known.addresses.setdefault((address.debtor_id, key), address)
        credits = [c for chunk in _chunks(sorted({r.credit_number for r in rows}))
                   for c in db.session.scalars(select(Credit).where(
                       Credit.office_id.in_(office_ids), Credit.credit_number.in_(chunk)))]
        documents = [d for chunk in _chunks(sorted({r.document_folio for r in rows}))
                     for d in db.session.scalars(select(Document).where(
                         Document.office_id.in_(office_ids), Document.folio.in_(chunk)))]
        # The RFC each stored credit and document belongs to; normally debtors of the file.
        rfc_of = {d.id: d.rfc for d in known.debtors.values()}
        others = sorted({x.debtor_id for x in [*credits, *documents]} - rfc_of.keys())
        for chunk in _chunks(others):
            rfc_of.update((debtor_id, rfc) for debtor_id, rfc in db.session.execute(
                select(Debtor.id, Debtor.rfc).where(Debtor.id.in_(chunk))))
        known.credits = {(c.office_id, c.credit_number): (c, rfc_of[c.debtor_id]) for c in credits}
        known.documents = {(d.office_id, d.folio): (d, rfc_of[d.debtor_id]) for d in documents}
        credit_ids = [c.id for c, _ in known.credits.values()]
        for chunk in _chunks(credit_ids):
            known.links.update((document_id, credit_id) for document_id, credit_id in db.session.execute(
                select(document_credits.c.document_id, document_credits.c.credit_id)
                .where(document_credits.c.credit_id.in_(chunk))))
        return known


def _check_against_known(rows: list[ImportRow], offices: dict[str, Office], known: _Known,
                         problems: list[RowProblem]) -> None:
    for row in rows:
        office_id = offices[row.office_code].id
        stored_credit = known.credits.get((office_id, row.credit_number))
        if stored_credit is not None and stored_credit[1] != row.rfc:
            problems.append(RowProblem(row.line, f"credit_number: el crédito {row.credit_number} ya "
                                                 f"existe y es del patrón con RFC {stored_credit[1]}."))
        stored_document = known.documents.get((office_id, row.document_folio))
        if stored_document is not None:
            document, rfc = stored_document
            if rfc != row.rfc:
                problems.append(RowProblem(row.line, f"document_folio: el folio {row.document_folio} ya "
                                                     f"existe y es del patrón con RFC {rfc}."))
            elif document.kind != row.document_kind:
                problems.append(RowProblem(row.line, f"document_kind: el folio {row.document_folio} ya "
                                                     f"existe como {document.kind_label}."))
        stored_debtor = known.debtors.get((office_id, row.rfc))
        if stored_debtor is not None and stored_debtor.person_type != row.person_type:
            problems.append(RowProblem(row.line, f"person_type: el patrón con RFC {row.rfc} ya existe "
                                                 f"como {stored_debtor.person_type_label}."))


# --- Writing ------------------------------------------------------------------------------


def _set_changed(obj: Any, values: Mapping[str, Any]) -> bool:
    """Assigns only what differs, so an identical re-import leaves rows untouched."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _write(rows: list[ImportRow], offices: dict[str, Office],
           sectors: dict[tuple[int, str], Sector], known: _Known, actor: User | None) -> ImportSummary:
    """Known records are updated in place (only what differs); new ones are written with one
    multi-row INSERT per table, which is what makes 10,000 rows take seconds, not minutes."""
    summary = ImportSummary(rows=len(rows))
    office_of = {code: office.id for code, office in offices.items()}

    debtor_ids: dict[tuple[int, str], int] = {}
    new_debtors: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        key = (office_of[row.office_code], row.rfc)
        if key in debtor_ids:
            continue
        # Optional columns left empty keep what is stored (it may have been completed by hand).
        values: dict[str, Any] = {"legal_name": row.legal_name}
        values |= {k: getattr(row, k) for k in ("curp", "legal_representative") if getattr(row, k)}
        debtor = known.debtors.get(key)
        if debtor is None:
            new_debtors[key] = {"office_id": key[0], "rfc": row.rfc, "person_type": row.person_type,
                                "curp": None, "legal_representative": None, **values}
            debtor_ids[key] = 0  # until inserted
        else:
            if _set_changed(debtor, values):
                summary.debtors_updated += 1
            debtor_ids[key] = debtor.id
    debtor_ids |= _insert_new(Debtor, new_debtors, ("office_id", "rfc"),
                              lambda v: (v["office_id"], v["rfc"]))
    summary.debtors_created = len(new_debtors)

    new_registrations: list[dict[str, Any]] = []
    address_ids: dict[tuple[int, tuple[str, ...]], int] = {}
    new_addresses: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}
    for row in rows:
        office_id = office_of[row.office_code]
        debtor_id = debtor_ids[(office_id, row.rfc)]
        if (debtor_id, row.employer_registration) not in known.registrations:
            known.registrations.add((debtor_id, row.employer_registration))
            new_registrations.append({"debtor_id": debtor_id, "number": row.employer_registration})
        key = (debtor_id, row.address_key)
        if key in address_ids or key in new_addresses:
            continue
        values = {"neighborhood": row.neighborhood, "municipality": row.municipality,
                  "state": row.state, "postal_code": row.postal_code}
        if row.latitude is not None:
            values |= {"latitude": row.latitude, "longitude": row.longitude}
        if row.sector_code:
            values["sector_id"] = sectors[(office_id, row.sector_code)].id
        address = known.addresses.get(key)
        if address is None:
            new_addresses[key] = {"debtor_id": debtor_id, "origin": row.address_origin,
                                  "street": row.street, "exterior_number": row.exterior_number,
                                  "interior_number": row.interior_number, "latitude": None,
                                  "longitude": None, "sector_id": None, **values}
        else:
            if _set_changed(address, values):
                summary.addresses_updated += 1
            address_ids[key] = address.id
    _insert(EmployerRegistration, new_registrations)
    summary.registrations_created = len(new_registrations)
    address_ids |= _insert_new(
        Address, new_addresses, ("debtor_id", "origin", "street", "exterior_number", "interior_number"),
        lambda v: (v["debtor_id"], address_key(v["origin"], v["street"], v["exterior_number"],
                                               v["interior_number"])))
    summary.addresses_created = len(new_addresses)

    credit_ids: dict[tuple[int, str], int] = {}
    new_credits: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        office_id = office_of[row.office_code]
        values = {"concept": row.concept, "period": row.period, "principal": row.principal,
                  "inflation_adjustment": row.inflation_adjustment, "surcharges": row.surcharges,
                  "issued_on": row.issued_on}
        stored = known.credits.get((office_id, row.credit_number))
        if stored is None:
            new_credits[(office_id, row.credit_number)] = {
                "office_id": office_id, "debtor_id": debtor_ids[(office_id, row.rfc)],
                "credit_number": row.credit_number, "status": IMPORTED_CREDIT_STATUS, **values}
        else:
            credit = stored[0]
            # The status is not the emisión's business: field work moves it, forward only.
            if _set_changed(credit, values):
                summary.credits_updated += 1
            else:
                summary.credits_unchanged += 1
            credit_ids[(office_id, row.credit_number)] = credit.id
    created_ids = _insert_new(Credit, new_credits, ("office_id", "credit_number"),
                              lambda v: (v["office_id"], v["credit_number"]))
    credit_ids |= created_ids
    summary.credits_created = len(created_ids)

    document_ids: dict[tuple[int, str], int] = {}
    new_documents: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        office_id = office_of[row.office_code]
        key = (office_id, row.document_folio)
        if key in document_ids or key in new_documents:
            continue
        debtor_id = debtor_ids[(office_id, row.rfc)]
        values = {"issuing_authority": row.issuing_authority, "issued_on": row.document_date,
                  "address_id": address_ids[(debtor_id, row.address_key)]}
        stored_document = known.documents.get(key)
        if stored_document is None:
            new_documents[key] = {"office_id": office_id, "debtor_id": debtor_id,
                                  "kind": row.document_kind, "folio": row.document_folio, **values}
        else:
            document = stored_document[0]
            if _set_changed(document, values):
                summary.documents_updated += 1
            document_ids[key] = document.id
    document_ids |= _insert_new(Document, new_documents, ("office_id", "folio"),
                                lambda v: (v["office_id"], v["folio"]))
    summary.documents_created = len(new_documents)

    # A credit may be covered by several documents (its cédula, later its mandamiento): links
    # are only ever added.
    links = []
    for row in rows:
        office_id = office_of[row.office_code]
        pair = (document_ids[(office_id, row.document_folio)], credit_ids[(office_id, row.credit_number)])
        if pair not in known.links:
            known.links.add(pair)
            links.append({"document_id": pair[0], "credit_id": pair[1]})
    if links:
        insert_rows(document_credits, links)

    # New credits enter the office's portfolio: issued → to_notify, with its history (workflows.md).
    created = [CreditState(credit_id, IMPORTED_CREDIT_STATUS, office_id)
               for (office_id, _number), credit_id in sorted(created_ids.items(), key=lambda kv: kv[1])]
    advance_credit_states(created, NEW_CREDIT_STATUS, source="import", actor=actor)
    db.session.flush()
    return summary


def _insert(model: type[Any], values: list[dict[str, Any]]) -> None:
    insert_rows(model, values)


def _insert_new(model: type[Any], new: Mapping[K, dict[str, Any]], key_columns: tuple[str, ...],
                key_of: Callable[[Mapping[str, Any]], K]) -> dict[K, int]:
    """Inserts the new rows (keyed by their natural key) and returns their ids by that key.

    PostgreSQL: the ids are drawn from the table's sequence first, then the rows go in by COPY
    (fieldapp.bulk); a multi-row INSERT … RETURNING is several times slower there, most of it
    psycopg parsing the placeholders of the long statements. SQLite: multi-row INSERT …
    RETURNING the key columns (asking for parameter order instead would make SQLite insert one
    row per statement)."""
    if not new:
        return {}
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": model.__tablename__, "n": len(new)}).all()
        for values, new_id in zip(new.values(), ids, strict=True):
            values["id"] = new_id
        _insert(model, list(new.values()))
        return {key: values["id"] for key, values in new.items()}
    stmt = insert(model).returning(model.id, *(getattr(model, c) for c in key_columns))
    result = db.session.execute(stmt, list(new.values()), execution_options=_ONE_BATCH)
    return {key_of(dict(zip(key_columns, rest, strict=True))): new_id for new_id, *rest in result}


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def recent_imports(office_id: int, limit: int = 10) -> list[AuditEvent]:
    """The office's last imports, newest first, from the audit log."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.office_id == office_id, AuditEvent.action == IMPORT_ACTION)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
