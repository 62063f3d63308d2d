"""The import file's columns and the checks one row must pass on its own.

Pure functions: no database, no clock. What needs the database (offices, sectors, known credits)
or other rows (duplicates, consistency) is checked in `fieldapp.imports.services`. Every message
is for the admin who prepared the file, so it is in Spanish and names the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from fieldapp.db_types import CENT
from fieldapp.portfolio.models import ADDRESS_ORIGINS, CONCEPTS, DOCUMENT_KINDS, PERSON_TYPES


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # Spanish, shown on the upload page and in docs/import-format.md
    required: bool
    example: str
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("office_code", "Clave de la subdelegación", True, "1401", 10),
    Column("legal_name", "Nombre o razón social del patrón", True, "Textiles Minerva SA de CV", 200),
    Column("person_type", "Tipo de persona: company (moral) o person (física)", True, "company"),
    Column("rfc", "RFC con homoclave (12 moral, 13 física)", True, "TMI1503127A2"),
    Column("curp", "CURP (sólo persona física, opcional)", False, "", 18),
    Column("legal_representative", "Representante legal (opcional)", False, "Laura Ortiz Ruiz", 160),
    Column("employer_registration", "Registro patronal (1 letra + 10 dígitos)", True, "C1234567105"),
    Column("address_origin", "Origen del domicilio: fiscal, rfc, employer_registration, designated",
           True, "fiscal"),
    Column("street", "Calle", True, "Av. Juárez", 160),
    Column("exterior_number", "Número exterior", True, "1250", 20),
    Column("interior_number", "Número interior (opcional)", False, "3", 20),
    Column("neighborhood", "Colonia", True, "Americana", 120),
    Column("municipality", "Municipio o alcaldía", True, "Guadalajara", 120),
    Column("state", "Entidad federativa", True, "Jalisco", 60),
    Column("postal_code", "Código postal (5 dígitos)", True, "44160"),
    Column("latitude", "Latitud, grados decimales (opcional, junto con la longitud)", False, "20.672300"),
    Column("longitude", "Longitud, grados decimales (opcional, junto con la latitud)", False, "-103.367700"),
    Column("sector_code", "Clave del sector de notificación (opcional; debe existir)", False, "S02", 20),
    Column("credit_number", "Número de crédito", True, "261400123", 20),
    Column("concept", "Concepto: " + ", ".join(CONCEPTS), True, "cop"),
    Column("period", "Periodo AAAA-MM", True, "2026-01"),
    Column("principal", "Importe histórico (mayor que 0)", True, "18250.00"),
    Column("inflation_adjustment", "Actualización (opcional, 0 si vacío)", False, "412.35"),
    Column("surcharges", "Recargos (opcional, 0 si vacío)", False, "690.80"),
    Column("issued_on", "Fecha de emisión del crédito AAAA-MM-DD", True, "2026-03-16"),
    Column("document_kind", "Tipo de documento: " + ", ".join(DOCUMENT_KINDS), True,
           "liquidation_certificate"),
    Column("document_folio", "Folio del documento", True, "CL-1401-2026-000123", 40),
    Column("issuing_authority", "Autoridad emisora", True, "Subdelegación Guadalajara Centro", 200),
    Column("document_date", "Fecha del documento AAAA-MM-DD", True, "2026-03-16"),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS = frozenset(c.name for c in COLUMNS if c.required)
_MAX_LENGTH = {c.name: c.max_length for c in COLUMNS if c.max_length}

# Mexico's extreme points (Isla Guadalupe to Isla Mujeres, Suchiate to Los Algodones), rounded out.
MEXICO_LATITUDE = (14.5, 32.75)
MEXICO_LONGITUDE = (-118.5, -86.7)
MAX_AMOUNT = Decimal("999999999999.99")
COMPANY_RFC_LENGTH, PERSON_RFC_LENGTH = 12, 13

MEXICAN_STATES = (
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Chiapas", "Chihuahua",
    "Ciudad de México", "Coahuila", "Colima", "Durango", "Guanajuato", "Guerrero", "Hidalgo",
    "Jalisco", "México", "Michoacán", "Morelos", "Nayarit", "Nuevo León", "Oaxaca", "Puebla",
    "Querétaro", "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco", "Tamaulipas",
    "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas",
)
_STATE_ALIASES = {
    "cdmx": "Ciudad de México", "distrito federal": "Ciudad de México",
    "estado de mexico": "México", "edomex": "México",
    "coahuila de zaragoza": "Coahuila", "michoacan de ocampo": "Michoacán",
    "queretaro de arteaga": "Querétaro", "veracruz de ignacio de la llave": "Veracruz",
}

_EMPLOYER_REGISTRATION = re.compile(r"[A-Z][0-9]{10}")
_POSTAL_CODE = re.compile(r"[0-9]{5}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")
_AMOUNT = re.compile(r"[0-9]+(\.[0-9]+)?")
_CREDIT_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9-]*")
_FOLIO = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]*")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def template_csv() -> bytes:
    """The header and one example row: a starting point for whoever prepares the file."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    writer.writerow(c.example for c in COLUMNS)
    return out.getvalue().encode("utf-8")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching names typed in different ways."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


_STATES_BY_FOLD = {fold(s): s for s in MEXICAN_STATES} | _STATE_ALIASES


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One valid row, typed. Keys say which stored record it matches (see services)."""

    line: int
    office_code: str
    legal_name: str
    person_type: str
    rfc: str
    curp: str | None
    legal_representative: str | None
    employer_registration: str
    address_origin: str
    street: str
    exterior_number: str
    interior_number: str | None
    neighborhood: str
    municipality: str
    state: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    sector_code: str | None
    credit_number: str
    concept: str
    period: str
    principal: Decimal
    inflation_adjustment: Decimal
    surcharges: Decimal
    issued_on: date
    document_kind: str
    document_folio: str
    issuing_authority: str
    document_date: date
    address_key: tuple[str, str, str, str]


def address_key(origin: str, street: str, exterior_number: str,
                interior_number: str | None) -> tuple[str, str, str, str]:
    """Within one debtor, origin + street + number identify an address (case and accents
    ignored, so «AV. JUÁREZ» and «Av. Juarez» are the same place)."""
    return (origin, fold(street), fold(exterior_number), fold(interior_number or ""))


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, column: str, message: str) -> None:
        self.messages.append(f"{column}: {message}")


def _text(value: str | None) -> str:
    return " ".join((value or "").split())


def _choice(value: str, column: str, allowed: dict[str, str], problems: _Problems) -> str:
    if value not in allowed:
        problems.add(column, f"«{value}» no es válido; use uno de: {', '.join(allowed)}.")
    return value


def _rfc(value: str, person_type: str, problems: _Problems) -> str:
    number = stdnum_rfc.compact(value)
    expected = {"company": COMPANY_RFC_LENGTH, "person": PERSON_RFC_LENGTH}.get(person_type)
    try:
        stdnum_rfc.validate(number, validate_check_digits=True)
    except InvalidChecksum:
        problems.add("rfc", f"«{value}» tiene el dígito verificador incorrecto.")
        return number
    except InvalidLength:
        problems.add("rfc", f"«{value}» debe tener 12 caracteres (persona moral) o 13 (persona física).")
        return number
    except InvalidComponent:
        problems.add("rfc", f"«{value}» tiene una fecha o una homoclave que no es válida.")
        return number
    except ValidationError:
        problems.add("rfc", f"«{value}» no tiene el formato de un RFC.")
        return number
    if len(number) not in (COMPANY_RFC_LENGTH, PERSON_RFC_LENGTH):
        # python-stdnum accepts 10-character personal RFCs without homoclave; we need the
        # homoclave, the check digit is part of what makes the debtor unambiguous.
        problems.add("rfc", f"«{value}» no tiene homoclave; escriba el RFC completo.")
    elif expected is not None and len(number) != expected:
        kind = "moral" if person_type == "company" else "física"
        problems.add("rfc", f"«{value}» tiene {len(number)} caracteres y una persona {kind} "
                            f"lleva {expected}.")
    return number


def _curp(value: str, person_type: str, problems: _Problems) -> str | None:
    if not value:
        return None
    number = stdnum_curp.compact(value)
    if person_type == "company":
        problems.add("curp", "una persona moral no tiene CURP; deje la columna vacía.")
        return number
    try:
        stdnum_curp.validate(number)
    except InvalidChecksum:
        problems.add("curp", f"«{value}» tiene el dígito verificador incorrecto.")
    except ValidationError:
        problems.add("curp", f"«{value}» no es una CURP válida.")
    return number


def _employer_registration(value: str, problems: _Problems) -> str:
    # Format only: no public IMSS document describes the check digit (docs/import-format.md).
    number = value.replace(" ", "").replace("-", "").upper()
    if not _EMPLOYER_REGISTRATION.fullmatch(number):
        problems.add("employer_registration",
                     f"«{value}» debe ser una letra seguida de 10 dígitos (por ejemplo C1234567105).")
    return number


def _amount(value: str, column: str, problems: _Problems, *, positive: bool = False) -> Decimal:
    if not value:
        if positive:
            problems.add(column, "falta el importe.")
        return Decimal("0.00")
    if value.startswith("-"):
        problems.add(column, f"«{value}» no puede ser negativo.")
        return Decimal("0.00")
    if not _AMOUNT.fullmatch(value):
        problems.add(column, f"«{value}» no es un importe; use dígitos y punto decimal, "
                             "sin comas ni signo de pesos (por ejemplo 18250.00).")
        return Decimal("0.00")
    amount = Decimal(value)  # the pattern admits only plain decimal numbers
    if amount > MAX_AMOUNT:
        problems.add(column, f"«{value}» es demasiado grande.")
        return Decimal("0.00")
    if amount != amount.quantize(CENT):
        problems.add(column, f"«{value}» tiene más de 2 decimales.")
    elif positive and amount == 0:
        problems.add(column, "debe ser mayor que cero.")
    return amount.quantize(CENT)


def _date(value: str, column: str, problems: _Problems) -> date:
    if not _ISO_DATE.fullmatch(value):
        problems.add(column, f"«{value}» no es una fecha AAAA-MM-DD.")
        return date.min
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add(column, f"«{value}» no es una fecha que exista.")
        return date.min


def _period(value: str, problems: _Problems) -> str:
    match = _PERIOD.fullmatch(value)
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1943:
        problems.add("period", f"«{value}» no es un periodo AAAA-MM.")
    return value


def _coordinates(lat: str, lon: str, problems: _Problems) -> tuple[float | None, float | None]:
    if not lat and not lon:
        return None, None
    if not lat or not lon:
        problems.add("latitude" if not lat else "longitude",
                     "escriba latitud y longitud juntas, o deje ambas vacías.")
        return None, None
    try:
        latitude, longitude = float(lat), float(lon)
    except ValueError:
        problems.add("latitude", f"«{lat}, {lon}» no son coordenadas en grados decimales.")
        return None, None
    if not (MEXICO_LATITUDE[0] <= latitude <= MEXICO_LATITUDE[1]
            and MEXICO_LONGITUDE[0] <= longitude <= MEXICO_LONGITUDE[1]):
        problems.add("latitude", f"«{lat}, {lon}» queda fuera de México "
                                 "(¿latitud y longitud invertidas o sin signo negativo?).")
        return None, None
    return latitude, longitude


def _state(value: str, problems: _Problems) -> str:
    canonical = _STATES_BY_FOLD.get(fold(value))
    if canonical is None:
        problems.add("state", f"«{value}» no es una entidad federativa.")
        return value
    return canonical


def _pattern(value: str, column: str, pattern: re.Pattern[str], what: str, problems: _Problems) -> str:
    if value and not pattern.fullmatch(value):
        problems.add(column, f"«{value}» no es {what} válido.")
    return value


def parse_row(line: int, raw: dict[str, str | None]) -> tuple[ImportRow | None, list[str]]:
    """Checks one row on its own. Returns the typed row, or None and every problem found."""
    problems = _Problems()
    v = {name: _text(raw.get(name)) for name in COLUMN_NAMES}
    for name in COLUMN_NAMES:
        if name in REQUIRED_COLUMNS and not v[name]:
            problems.add(name, "es obligatoria y está vacía.")
        elif (limit := _MAX_LENGTH.get(name)) and len(v[name]) > limit:
            problems.add(name, f"tiene {len(v[name])} caracteres; el máximo es {limit}.")
    if problems.messages:
        # Empty or oversize values make the checks below noisy; report these first.
        return None, problems.messages

    person_type = _choice(v["person_type"], "person_type", PERSON_TYPES, problems)
    latitude, longitude = _coordinates(v["latitude"], v["longitude"], problems)
    credit_number = _pattern(v["credit_number"].upper(), "credit_number", _CREDIT_NUMBER,
                             "un número de crédito", problems)
    row_values = dict(
        line=line,
        office_code=_pattern(v["office_code"], "office_code", _CODE, "una clave", problems),
        legal_name=v["legal_name"],
        person_type=person_type,
        rfc=_rfc(v["rfc"], person_type, problems),
        curp=_curp(v["curp"], person_type, problems),
        legal_representative=v["legal_representative"] or None,
        employer_registration=_employer_registration(v["employer_registration"], problems),
        address_origin=_choice(v["address_origin"], "address_origin", ADDRESS_ORIGINS, problems),
        street=v["street"],
        exterior_number=v["exterior_number"],
        interior_number=v["interior_number"] or None,
        neighborhood=v["neighborhood"],
        municipality=v["municipality"],
        state=_state(v["state"], problems),
        postal_code=_pattern(v["postal_code"], "postal_code", _POSTAL_CODE,
                             "un código postal de 5 dígitos", problems),
        latitude=latitude,
        longitude=longitude,
        sector_code=_pattern(v["sector_code"], "sector_code", _CODE, "una clave de sector",
                             problems) or None,
        credit_number=credit_number,
        concept=_choice(v["concept"], "concept", CONCEPTS, problems),
        period=_period(v["period"], problems),
        principal=_amount(v["principal"], "principal", problems, positive=True),
        inflation_adjustment=_amount(v["inflation_adjustment"], "inflation_adjustment", problems),
        surcharges=_amount(v["surcharges"], "surcharges", problems),
        issued_on=_date(v["issued_on"], "issued_on", problems),
        document_kind=_choice(v["document_kind"], "document_kind", DOCUMENT_KINDS, problems),
        document_folio=_pattern(v["document_folio"], "document_folio", _FOLIO, "un folio", problems),
        issuing_authority=v["issuing_authority"],
        document_date=_date(v["document_date"], "document_date", problems),
    )
    if not problems.messages:
        issued_on, document_date = row_values["issued_on"], row_values["document_date"]
        if f"{issued_on:%Y-%m}" < v["period"]:
            problems.add("period", f"el periodo {v['period']} es posterior a la emisión "
                                   f"({issued_on.isoformat()}).")
        if document_date < issued_on:  # type: ignore[operator]
            problems.add("document_date", f"el documento ({document_date.isoformat()}) no puede ser "
                                          f"anterior a la emisión del crédito ({issued_on.isoformat()}).")
    if problems.messages:
        return None, problems.messages
    row_values["address_key"] = address_key(v["address_origin"], v["street"], v["exterior_number"],
                                            v["interior_number"])
    return ImportRow(**row_values), []  # type: ignore[arg-type]
