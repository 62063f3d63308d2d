"""The situations feed of the institute's systems (payments, guarantees, suspensions,
clarifications, cancellations) as a CSV: ``fieldapp import-situations FILE.csv`` or
/oficina/creditos/situaciones/importar.

Same rules as the emisión import (docs/import-format.md): the whole file is checked before
anything is written; a file with a bad row imports nothing and lists every bad row with its
line; re-importing the same file changes nothing (a situation is known by credit, kind and
reference); a row may add the end date of a situation already recorded, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from fieldapp.audit.services import record
from fieldapp.auth.models import User
from fieldapp.credits.models import CreditSituation
from fieldapp.credits.situations import (
    SituationIn,
    end_situation,
    find_situation,
    record_situation,
    situation_problems,
)
from fieldapp.extensions import db
from fieldapp.imports.services import ImportRejected, RowProblem, read_csv
from fieldapp.offices.models import Office
from fieldapp.offices.services import office_today
from fieldapp.portfolio.models import Credit

COLUMNS = ("oficina", "numero_credito", "tipo", "subtipo", "fecha_inicio", "fecha_fin",
           "importe", "referencia", "documento_origen", "motivo_fin")
REQUIRED = frozenset({"oficina", "numero_credito", "tipo", "subtipo", "fecha_inicio",
                      "referencia", "documento_origen"})
# The file's Spanish codes → the model's keys.
KINDS = {"pago": "payment", "garantia": "guarantee", "suspension": "suspension",
         "aclaracion": "clarification", "cancelacion": "cancellation"}
SUBKINDS = {
    "payment": {"total": "full", "parcial": "partial"},
    "guarantee": {"billete_deposito": "deposit", "fianza": "bond", "hipoteca": "mortgage",
                  "prenda": "pledge", "embargo": "seizure", "otra": "other"},
    "suspension": {"recurso": "appeal", "judicial": "court", "concurso": "insolvency",
                   "convenio": "instalments"},
    "clarification": {"presentada": "filed"},
    "cancellation": {"cancelacion": "cancelled"},
}


@dataclass
class SituationImportSummary:
    rows: int = 0
    created: int = 0
    ended: int = 0
    unchanged: int = 0

    def describe(self) -> str:
        return (f"{self.rows} filas: {self.created} situaciones nuevas, {self.ended} terminadas, "
                f"{self.unchanged} sin cambios.")


@dataclass(frozen=True)
class _Row:
    line: int
    credit: Credit
    data: SituationIn
    existing: CreditSituation | None


def import_situation_file(data: bytes, *, actor: User | None, only_office: Office | None = None,
                          filename: str | None = None) -> SituationImportSummary:
    """Checks every row, then writes them all (the caller commits) or raises ImportRejected."""
    records = read_csv(data, known=COLUMNS, required=REQUIRED, rows_of="situaciones")
    problems: list[RowProblem] = []
    rows: list[_Row] = []
    seen: dict[tuple[int, str, str], int] = {}
    offices: dict[str, Office | None] = {}
    for line, values in records:
        row, row_problems = _check(line, values, only_office, offices)
        problems += [RowProblem(line, p) for p in row_problems]
        if row is None:
            continue
        key = (row.credit.id, row.data.kind, row.data.reference)
        if key in seen:
            problems.append(RowProblem(line, f"repite la situación de la línea {seen[key]}."))
            continue
        seen[key] = line
        rows.append(row)
    if problems:
        raise ImportRejected(problems)
    summary = SituationImportSummary(rows=len(records))
    for row in rows:
        if row.existing is None:
            record_situation(row.credit, row.data, actor=actor, source="import")
            summary.created += 1
        elif row.existing.ends_on is None and row.data.ends_on is not None:
            end_situation(row.existing, row.data.ends_on,
                          row.data.end_reason or f"Fin informado en {filename or 'el archivo'}",
                          actor=actor)
            summary.ended += 1
        else:
            summary.unchanged += 1
    record("credit_situations_imported", actor=actor,
           office_id=only_office.id if only_office else None, object_type="credit_situations",
           filename=filename, rows=summary.rows, created=summary.created, ended=summary.ended,
           unchanged=summary.unchanged)
    return summary


def _check(line: int, values: dict[str, str | None], only_office: Office | None,
           offices: dict[str, Office | None]) -> tuple[_Row | None, list[str]]:
    get = {k: (values.get(k) or "").strip() for k in COLUMNS}
    problems: list[str] = []
    code = get["oficina"]
    if code not in offices:
        offices[code] = db.session.scalar(select(Office).where(Office.code == code))
    office = offices[code]
    if office is None:
        return None, [f"oficina desconocida: «{code}»."]
    if only_office is not None and office.id != only_office.id:
        return None, [f"la oficina {code} no es la suya; sólo puede importar situaciones de "
                      f"{only_office.code}."]
    credit = db.session.scalar(select(Credit).where(Credit.office_id == office.id,
                                                    Credit.credit_number == get["numero_credito"]))
    if credit is None:
        problems.append(f"el crédito «{get['numero_credito']}» no existe en la oficina {code}.")
    kind = KINDS.get(get["tipo"].lower())
    if kind is None:
        problems.append(f"tipo desconocido «{get['tipo']}» (use {', '.join(KINDS)}).")
    subkind = SUBKINDS[kind].get(get["subtipo"].lower()) if kind else None
    if kind and subkind is None:
        problems.append(f"subtipo desconocido «{get['subtipo']}» para {get['tipo']} "
                        f"(use {', '.join(SUBKINDS[kind])}).")
    starts_on, ends_on = _date(get, "fecha_inicio", problems), _date(get, "fecha_fin", problems)
    amount = _amount(get["importe"], problems)
    if problems or credit is None or kind is None or subkind is None or starts_on is None:
        return None, problems
    data = SituationIn(kind, subkind, starts_on, get["referencia"], get["documento_origen"],
                       amount=amount, ends_on=ends_on, end_reason=get["motivo_fin"] or None)
    existing = find_situation(credit, kind, get["referencia"])
    if existing is not None:
        return _Row(line, credit, data, existing), _differences(existing, data, office)
    return _Row(line, credit, data, None), situation_problems(credit, data, office_today(office))


def _differences(existing: CreditSituation, data: SituationIn, office: Office) -> list[str]:
    """A known situation may only gain its end date; any other difference is refused."""
    same = (existing.subkind == data.subkind and existing.starts_on == data.starts_on
            and existing.amount == data.amount
            and existing.source_document == data.source_document.strip())
    if not same:
        return [f"la situación con referencia {existing.reference} ya está registrada con otros "
                "datos; corrija el archivo o regístrela con otra referencia."]
    if data.ends_on is None or data.ends_on == existing.ends_on:
        return []
    if existing.ends_on is not None:
        return [f"la situación con referencia {existing.reference} ya terminó el "
                f"{existing.ends_on:%d/%m/%Y}; el archivo dice otra fecha de fin."]
    if data.ends_on > office_today(office):
        return ["la fecha de fin es posterior a hoy."]
    return []


def _date(get: dict[str, str], column: str, problems: list[str]) -> date | None:
    if not get[column]:
        if column == "fecha_inicio":
            problems.append("falta fecha_inicio.")
        return None
    try:
        return date.fromisoformat(get[column])
    except ValueError:
        problems.append(f"{column} no es una fecha AAAA-MM-DD: «{get[column]}».")
        return None


def _amount(text: str, problems: list[str]) -> Decimal | None:
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        problems.append(f"importe no es un número: «{text}» (use punto decimal, sin comas).")
        return None
    if amount != amount.quantize(Decimal("0.01")) or not amount.is_finite():
        problems.append(f"importe con más de dos decimales: «{text}».")
        return None
    return amount
