"""The import service: every row checked before anything is written, all or nothing,
and importing the same file twice changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.imports.rows import COLUMN_NAMES, COLUMNS, parse_row, template_csv
from fieldapp.imports.services import IMPORT_ACTION, ImportRejected, import_credit_file
from fieldapp.portfolio.models import (
    Address,
    Credit,
    CreditStatusChange,
    Debtor,
    Document,
    EmployerRegistration,
)
from fieldapp.portfolio.services import advance_credit_status
from tests.imports.helpers import (
    COMPANY_RFC,
    OTHER_COMPANY_RFC,
    PERSON_CURP,
    PERSON_RFC,
    csv_bytes,
    numbered,
    person_row,
)


def run_import(rows, **kw):  # type: ignore[no-untyped-def]
    return run_import_bytes(csv_bytes(rows), **kw)


def run_import_bytes(data: bytes, **kw):  # type: ignore[no-untyped-def]
    summary = import_credit_file(data, actor=None, source="test", **kw)
    db.session.commit()
    return summary


def rejected(data: bytes, **kw) -> ImportRejected:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as info:
        import_credit_file(data, actor=None, source="test", **kw)
    db.session.rollback()
    return info.value


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _updated_at() -> dict[int, object]:
    return {credit_id: at for credit_id, at in db.session.execute(select(Credit.id, Credit.updated_at))}


def stored_counts() -> dict[str, int]:
    return {m.__name__: count(m) for m in (Debtor, EmployerRegistration, Address, Credit, Document,
                                           CreditStatusChange)}


NOTHING = {"Debtor": 0, "EmployerRegistration": 0, "Address": 0, "Credit": 0, "Document": 0,
           "CreditStatusChange": 0}
FUTURE = (date.today() + timedelta(days=40)).isoformat()

BAD_ROWS = [
    # (what is wrong, overrides of the second row, words the message must contain)
    ("RFC check digit", {"rfc": "TMI1503127A3"},
     "rfc: «TMI1503127A3» tiene el dígito verificador incorrecto"),
    ("RFC not an RFC", {"rfc": "12345"}, "rfc:"),
    ("RFC without homoclave", {"person_type": "person", "rfc": "GODE561231", "legal_representative": ""},
     "no tiene homoclave"),
    ("company RFC for a person", {"person_type": "person"}, "persona física lleva 13"),
    ("person RFC for a company", {"rfc": PERSON_RFC}, "persona moral lleva 12"),
    ("CURP check digit", {"person_type": "person", "rfc": PERSON_RFC, "curp": "BOXW310820HNERXN08"},
     "curp: «BOXW310820HNERXN08» tiene el dígito verificador incorrecto"),
    ("CURP of a company", {"curp": PERSON_CURP}, "una persona moral no tiene CURP"),
    ("registration too short", {"employer_registration": "C123456710"}, "una letra seguida de 10"),
    ("registration without letter", {"employer_registration": "11234567105"}, "una letra seguida de 10"),
    ("amount with thousands separator", {"principal": "18,250.00"},
     "principal: «18,250.00» no es un importe"),
    ("amount with pesos sign", {"surcharges": "$690.80"}, "surcharges: «$690.80» no es un importe"),
    ("negative amount", {"inflation_adjustment": "-1.00"}, "no puede ser negativo"),
    ("three decimals", {"principal": "100.005"}, "más de 2 decimales"),
    ("zero principal", {"principal": "0.00"}, "principal: debe ser mayor que cero"),
    ("huge amount", {"principal": "1" * 20}, "demasiado grande"),
    ("unknown office", {"office_code": "9999"}, "no existe la subdelegación con clave «9999»"),
    ("unknown sector", {"sector_code": "S77"}, "no existe el sector «S77»"),
    ("not an ISO date", {"issued_on": "16/03/2026"}, "issued_on: «16/03/2026» no es una fecha AAAA-MM-DD"),
    ("impossible date", {"document_date": "2026-02-30"}, "no es una fecha que exista"),
    ("future date", {"issued_on": FUTURE, "document_date": FUTURE}, "es una fecha futura"),
    ("document before the credit", {"document_date": "2026-03-01"}, "no puede ser anterior a la emisión"),
    ("bad period", {"period": "2026-13"}, "period: «2026-13» no es un periodo AAAA-MM"),
    ("period after issue", {"period": "2026-05"}, "es posterior a la emisión"),
    ("unknown concept", {"concept": "cuotas"}, "concept: «cuotas» no es válido"),
    ("unknown document kind", {"document_kind": "cedula"}, "document_kind: «cedula» no es válido"),
    ("unknown address origin", {"address_origin": "casa"}, "address_origin: «casa» no es válido"),
    ("unknown person type", {"person_type": "moral"}, "person_type: «moral» no es válido"),
    ("short postal code", {"postal_code": "4416"}, "postal_code: «4416» no es un código postal"),
    ("coordinates outside Mexico", {"latitude": "40.4168", "longitude": "-3.7038"}, "queda fuera de México"),
    ("longitude without sign", {"longitude": "103.3677"}, "queda fuera de México"),
    ("latitude alone", {"longitude": ""}, "escriba latitud y longitud juntas"),
    ("unknown state", {"state": "Jalisko"}, "state: «Jalisko» no es una entidad federativa"),
    ("missing legal name", {"legal_name": ""}, "legal_name: es obligatoria y está vacía"),
    ("too long street", {"street": "Av. " + "x" * 200}, "el máximo es 160"),
    ("bad credit number", {"credit_number": "26/14"}, "no es un número de crédito válido"),
]


@pytest.mark.parametrize(("overrides", "message"), [case[1:] for case in BAD_ROWS],
                         ids=[case[0] for case in BAD_ROWS])
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(office, overrides, message):
    good, bad = numbered(1), numbered(2, **overrides)
    problems = rejected(csv_bytes([good, bad])).problems
    assert {p.line for p in problems} == {3}, problems
    assert any(message in p.message for p in problems), problems
    assert stored_counts() == NOTHING


def test_each_bad_row_is_reported(office):
    rows = [numbered(1), numbered(2, rfc="TMI1503127A3"), numbered(3), numbered(4, principal="abc"),
            numbered(5, postal_code="1")]
    error = rejected(csv_bytes(rows))
    assert [p.line for p in error.problems] == [3, 5, 6]
    assert error.bad_lines == 3
    assert stored_counts() == NOTHING


def test_a_row_may_have_several_problems(office):
    problems = rejected(csv_bytes([numbered(1, rfc="TMI1503127A3", concept="x", postal_code="1")])).problems
    assert [p.message.split(":")[0] for p in problems] == ["rfc", "postal_code", "concept"]


def test_a_duplicate_line_is_an_error(office):
    problems = rejected(csv_bytes([numbered(1), numbered(2), numbered(1)])).problems
    assert [(p.line, p.message) for p in problems] == [
        (4, "credit_number: el crédito 261400001 ya aparece en la línea 2 (línea duplicada).")]
    assert stored_counts() == NOTHING


@pytest.mark.parametrize(("overrides", "message"), [
    ({"rfc": OTHER_COMPANY_RFC, "legal_name": "Otra SA de CV"}, "con otro patrón (RFC TMI1503127A2)"),
    ({"document_kind": "fine"}, "con otro tipo"),
    ({"document_date": "2026-03-17", "issued_on": "2026-03-17"}, "con otra fecha"),
    ({"issuing_authority": "Otra autoridad"}, "con otra autoridad"),
    ({"exterior_number": "99"}, "con otro domicilio"),
], ids=["other debtor", "other kind", "other date", "other authority", "other address"])
def test_one_folio_described_two_ways_is_an_error(office, overrides, message):
    first = numbered(1)
    second = numbered(2, document_folio=first["document_folio"], **overrides)
    problems = rejected(csv_bytes([first, second])).problems
    assert problems and all(p.line == 3 for p in problems)
    assert any(message in p.message and "línea 2" in p.message for p in problems), problems


@pytest.mark.parametrize(("overrides", "message"), [
    ({"legal_name": "Textiles Minerva SAPI de CV"}, "con otra razón social"),
    ({"legal_representative": "Otra Persona"}, "con otro representante legal"),
    ({"postal_code": "44150"}, "aparece en la línea 2 con otro valor («44160»)"),
], ids=["legal name", "representative", "address data"])
def test_one_debtor_described_two_ways_is_an_error(office, overrides, message):
    problems = rejected(csv_bytes([numbered(1), numbered(2, **overrides)])).problems
    assert problems and all(p.line == 3 for p in problems)
    assert any(message in p.message for p in problems), problems


def test_a_valid_file_is_imported(office):
    rows = [numbered(1), numbered(2, document_folio=numbered(1)["document_folio"], concept="rcv",
                                     period="2026-02"),
            numbered(3, address_origin="employer_registration", employer_registration="C1234567113",
                     street="Calle Libertad", exterior_number="1890"),
            person_row(curp=PERSON_CURP, sector_code="", latitude="", longitude="")]
    summary = run_import(rows)
    assert (summary.rows, summary.credits_created, summary.documents_created, summary.debtors_created,
            summary.addresses_created, summary.registrations_created) == (4, 4, 3, 2, 3, 3)

    debtor = db.session.scalar(select(Debtor).where(Debtor.rfc == COMPANY_RFC))
    assert debtor.office_id == office.id and debtor.person_type == "company"
    assert [r.number for r in debtor.registrations] == ["C1234567105", "C1234567113"]
    assert sorted(a.origin for a in debtor.addresses) == ["employer_registration", "fiscal"]
    fiscal = next(a for a in debtor.addresses if a.origin == "fiscal")
    assert (fiscal.sector.code, fiscal.postal_code, fiscal.latitude) == ("S02", "44160", 20.6723)

    cedula = db.session.scalar(select(Document).where(Document.folio == "CL-1401-2026-000001"))
    assert [c.credit_number for c in cedula.credits] == ["261400001", "261400002"]
    assert cedula.address == fiscal and cedula.kind == "liquidation_certificate"
    credit = cedula.credits[0]
    assert (credit.principal, credit.inflation_adjustment, credit.surcharges, credit.total) == (
        Decimal("18250.00"), Decimal("412.35"), Decimal("690.80"), Decimal("19353.15"))
    assert credit.issued_on == date(2026, 3, 16) and credit.period == "2026-01"

    person = db.session.scalar(select(Debtor).where(Debtor.rfc == PERSON_RFC))
    assert person.curp == PERSON_CURP and person.addresses[0].sector is None
    assert person.addresses[0].latitude is None


def test_new_credits_start_to_notify_with_their_history(office):
    run_import([numbered(1), numbered(2)])
    credits = db.session.scalars(select(Credit)).all()
    assert {c.status for c in credits} == {"to_notify"}
    history = db.session.scalars(select(CreditStatusChange)).all()
    assert sorted((h.credit_id, h.from_status, h.to_status, h.source) for h in history) == sorted(
        (c.id, "issued", "to_notify", "import") for c in credits)


def test_one_audit_event_per_import_with_counts(office, factory):
    admin = factory.user(office, role="admin")
    import_credit_file(csv_bytes([numbered(1), numbered(2)]), actor=admin, source="test", filename="e.csv")
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == IMPORT_ACTION)).all()
    assert len(events) == 1
    event = events[0]
    assert (event.actor_id, event.office_id) == (admin.id, office.id)
    assert event.details["credits_created"] == 2 and event.details["rows"] == 2
    assert event.details["filename"] == "e.csv" and event.details["offices"] == ["1401"]


def test_reimporting_the_same_file_changes_nothing(office):
    rows = [numbered(n) for n in range(1, 6)] + [person_row()]
    run_import(rows)
    before = stored_counts()
    stamps = _updated_at()

    again = run_import(rows)
    assert stored_counts() == before
    assert (again.credits_created, again.credits_updated, again.credits_unchanged) == (0, 0, 6)
    assert (again.debtors_created, again.debtors_updated, again.documents_created,
            again.documents_updated, again.addresses_created, again.addresses_updated,
            again.registrations_created) == (0, 0, 0, 0, 0, 0, 0)
    assert _updated_at() == stamps


def test_reimporting_updates_known_records_and_never_duplicates_them(office, factory):
    sector = factory.sector(office, code="S03", name="Providencia")
    run_import([numbered(1), numbered(2)])
    before = stored_counts()

    changed = [numbered(1, principal="20000.00", surcharges="0", legal_name="Textiles Minerva SAPI de CV",
                        neighborhood="Col. Americana", sector_code=sector.code,
                        issuing_authority="Jefatura de Cobranza"),
               numbered(2, legal_name="Textiles Minerva SAPI de CV", neighborhood="Col. Americana",
                        sector_code=sector.code)]
    summary = run_import(changed)
    assert stored_counts() == before
    assert (summary.credits_updated, summary.credits_unchanged, summary.debtors_updated,
            summary.addresses_updated, summary.documents_updated) == (1, 1, 1, 1, 1)
    credit = db.session.scalar(select(Credit).where(Credit.credit_number == "261400001"))
    assert (credit.principal, credit.surcharges) == (Decimal("20000.00"), Decimal("0.00"))
    assert credit.debtor.legal_name == "Textiles Minerva SAPI de CV"
    assert credit.documents[0].issuing_authority == "Jefatura de Cobranza"
    assert {(a.neighborhood, a.sector_id) for a in credit.debtor.addresses} == {("Col. Americana", sector.id)}


def test_an_address_is_matched_ignoring_case_and_accents(office):
    run_import([numbered(1, street="Av. Chapultepec")])
    run_import([numbered(2, street="AV. CHAPÚLTEPEC")])
    assert count(Address) == 1


def test_empty_optional_columns_keep_what_is_stored(office):
    run_import([person_row(curp=PERSON_CURP)])
    run_import([person_row(curp="", latitude="", longitude="", sector_code="")])
    debtor = db.session.scalar(select(Debtor))
    assert debtor.curp == PERSON_CURP
    assert debtor.addresses[0].latitude == 20.6723 and debtor.addresses[0].sector is not None


def test_reimporting_never_moves_a_status_back(office):
    run_import([numbered(1)])
    credit = db.session.scalar(select(Credit))
    advance_credit_status(credit, "notified", source="test")
    db.session.commit()
    run_import([numbered(1, principal="1.00")])
    db.session.refresh(credit)
    assert credit.status == "notified" and credit.principal == Decimal("1.00")
    assert [h.to_status for h in credit.status_changes] == ["to_notify", "notified"]


def test_a_later_document_covers_a_known_credit(office):
    run_import([numbered(1)])
    order = numbered(1, document_kind="execution_order", document_folio="ME-1401-2026-00001",
                     issuing_authority="Oficina para Cobros", document_date="2026-05-04")
    summary = run_import([order])
    assert (summary.credits_created, summary.documents_created) == (0, 1)
    credit = db.session.scalar(select(Credit))
    assert sorted(d.kind for d in credit.documents) == ["execution_order", "liquidation_certificate"]
    run_import([order])
    assert count(Document) == 2


def test_a_known_credit_of_another_debtor_is_an_error(office):
    run_import([numbered(1)])
    other = numbered(1, rfc=OTHER_COMPANY_RFC, legal_name="Otra SA de CV", document_folio="CL-X")
    problems = rejected(csv_bytes([other])).problems
    assert [p.message for p in problems] == [
        f"credit_number: el crédito 261400001 ya existe y es del patrón con RFC {COMPANY_RFC}."]


def test_a_known_folio_of_another_kind_is_an_error(office):
    run_import([numbered(1)])
    problems = rejected(csv_bytes([numbered(2, document_folio=numbered(1)["document_folio"],
                                            document_kind="fine")])).problems
    assert any("ya existe como Cédula de liquidación" in p.message for p in problems), problems


def test_the_upload_page_imports_only_into_the_admins_office(office, factory):
    other = factory.office(code="1402", name="Subdelegación Zapopan")
    data = csv_bytes([numbered(1, office_code="1402", sector_code="")])
    problems = rejected(data, only_office=office).problems
    assert [p.message for p in problems] == [
        "office_code: «1402» no es su subdelegación (1401); sólo puede importar créditos de la suya."]
    # The CLI imports into any existing office; keys are per office.
    run_import([numbered(1), numbered(1, office_code=other.code, sector_code="")])
    assert db.session.scalar(select(func.count(Credit.id)).where(Credit.office_id == other.id)) == 1
    assert count(Debtor) == 2


# --- The file as a whole -------------------------------------------------------------------


def test_a_file_not_in_utf8_is_refused(office):
    rows = [numbered(1, issuing_authority="IMSS"), numbered(2, legal_name="Panificadora Peñón SA de CV")]
    problems = rejected(csv_bytes(rows, encoding="latin-1")).problems
    assert [(p.line, p.message) for p in problems] == [
        (3, "el archivo no está en UTF-8. Guárdelo como «CSV UTF-8 (delimitado por comas)».")]


def test_a_byte_order_mark_is_accepted(office):
    summary = import_credit_file(b"\xef\xbb\xbf" + csv_bytes([numbered(1)]), actor=None, source="test")
    assert summary.credits_created == 1


@pytest.mark.parametrize(("columns", "message"), [
    ([c for c in COLUMN_NAMES if c != "rfc"], "faltan columnas en el encabezado: rfc."),
    ([*COLUMN_NAMES, "notes"], "columnas desconocidas en el encabezado: notes."),
    ([*COLUMN_NAMES, "rfc"], "columnas repetidas en el encabezado: rfc."),
], ids=["missing", "unknown", "repeated"])
def test_a_bad_header_is_reported_on_line_1(office, columns, message):
    problems = rejected(csv_bytes([numbered(1)], columns=columns)).problems
    assert [(p.line, p.message) for p in problems] == [(1, message)]


def test_optional_columns_may_be_left_out_of_the_header(office):
    columns = [c.name for c in COLUMNS if c.required]
    summary = import_credit_file(csv_bytes([numbered(1)], columns=columns), actor=None, source="test")
    assert summary.credits_created == 1
    credit = db.session.scalar(select(Credit))
    assert credit.surcharges == Decimal("0.00") and credit.debtor.addresses[0].latitude is None


def test_a_row_with_the_wrong_number_of_fields_is_reported(office):
    data = csv_bytes([numbered(1)]) + b"1401,solo,tres\r\n"
    problems = rejected(data).problems
    assert [(p.line, p.message) for p in problems] == [(3, "tiene 3 campos y el encabezado tiene 29.")]


@pytest.mark.parametrize("data", [b"", b"\r\n", csv_bytes([])], ids=["empty", "blank", "header only"])
def test_a_file_without_rows_is_refused(office, data):
    assert len(rejected(data).problems) == 1


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(office):
    data = csv_bytes([numbered(1, street="Av. Chapultepec\nesquina Libertad")]) + b"\r\n" + csv_bytes(
        [numbered(2, rfc="TMI1503127A3")]).split(b"\r\n", 1)[1]
    assert [p.line for p in rejected(data).problems] == [5]


def test_the_template_row_is_a_valid_row():
    data = template_csv().decode()
    header, example = data.splitlines()
    assert header.split(",") == list(COLUMN_NAMES)
    parsed, problems = parse_row(2, dict(zip(COLUMN_NAMES, example.split(","), strict=True)))
    assert problems == [] and parsed is not None


def test_the_documented_example_imports(office):
    doc = (Path(__file__).parents[2] / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    summary = run_import_bytes(example.encode("utf-8"))
    assert (summary.credits_created, summary.documents_created, summary.debtors_created) == (3, 2, 2)
