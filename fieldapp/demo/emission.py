"""A made-up emisión: import rows (column → text, exactly as in a CSV file) for fictional debtors
of the demo city. Used by `fieldapp demo` and by bench/import_bench.py, so both go through the
import's one write path. Deterministic for a given random generator."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from fieldapp.db_types import CENT
from fieldapp.demo.data import (
    CEDULA_AUTHORITY,
    COLONIA_RADIUS_DEGREES,
    COMPANY_FORMS,
    COMPANY_PLACES,
    COMPANY_TRADES,
    FINE_AUTHORITY,
    GIVEN_NAMES,
    MUNICIPALITY,
    OFFICE_STATE,
    SECTORS,
    SURNAMES,
    Colonia,
    DemoSector,
)
from fieldapp.imports.rows import COLUMN_NAMES, fold

Row = dict[str, str]

# concept → (document kind, folio prefix, authority, principal range in pesos)
CONCEPT_PROFILES = {
    "cop": ("liquidation_certificate", "CL", CEDULA_AUTHORITY, (3_000, 180_000)),
    "rcv": ("liquidation_certificate", "CL", CEDULA_AUTHORITY, (2_000, 90_000)),
    "capital_constitutivo": ("liquidation_certificate", "CC", CEDULA_AUTHORITY, (20_000, 400_000)),
    "multa": ("fine", "MU", FINE_AUTHORITY, (1_500, 25_000)),
    "gastos": ("resolution", "RE", FINE_AUTHORITY, (800, 5_000)),
}
_WORDS_LEFT_OUT = {"de", "del", "la", "las", "los", "y", "sa", "cv", "s", "rl", "sapi"}
# SAT replaces the last letter of an offensive four-letter start by X (RFC rules).
_OFFENSIVE_STARTS = {"BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "COGE", "COJA", "COJE",
                     "COJI", "COJO", "CULO", "FETO", "GUEY", "JOTO", "KACA", "KAGO", "KOGE", "KULO",
                     "MAME", "MAMO", "MEAR", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE",
                     "PUTA", "PUTO", "QULO", "RATA", "RUIN"}


_HOMOCLAVE_FIRST = "123456789ABCDEFGHIJKLMNPQRSTUV"  # what python-stdnum accepts in each position
_HOMOCLAVE_SECOND = "123456789ABCDEFGHIJKLMNPQRSTUVWXYZ"


def _letters(text: str) -> str:
    return "".join(c for c in fold(text).upper() if "A" <= c <= "Z")


def _homoclave(rng: random.Random, stem: str) -> str:
    """Two random homoclave characters and the real check digit (python-stdnum's algorithm)."""
    body = stem + rng.choice(_HOMOCLAVE_FIRST) + rng.choice(_HOMOCLAVE_SECOND)
    return body + stdnum_rfc.calc_check_digit(body)


def company_rfc(rng: random.Random, legal_name: str, founded: date) -> str:
    words = [w for w in fold(legal_name).split() if w not in _WORDS_LEFT_OUT]
    if len(words) >= 3:
        initials = "".join(_letters(w)[0] for w in words[:3])
    elif len(words) == 2:
        initials = _letters(words[0])[0] + _letters(words[1])[:2]
    else:
        initials = (_letters(words[0]) + "XXX")[:3]
    return _homoclave(rng, initials + f"{founded:%y%m%d}")


def person_rfc_and_curp(rng: random.Random, given: str, surname1: str, surname2: str,
                        born: date, female: bool) -> tuple[str, str]:
    first_names = fold(given).split()
    # José and María are skipped when another given name follows (RFC and CURP rules).
    name = first_names[1] if len(first_names) > 1 and first_names[0] in ("jose", "maria") else first_names[0]
    p1, p2, n = _letters(surname1), _letters(surname2), _letters(name)
    vowel = next((c for c in p1[1:] if c in "AEIOU"), "X")
    start = p1[0] + vowel + p2[0] + n[0]
    if start in _OFFENSIVE_STARTS:
        start = start[:3] + "X"
    rfc = _homoclave(rng, start + f"{born:%y%m%d}")

    def inner_consonant(word: str) -> str:
        return next((c for c in word[1:] if c not in "AEIOU"), "X")

    stem = (start + f"{born:%y%m%d}" + ("M" if female else "H") + "JC" + inner_consonant(p1)
            + inner_consonant(p2) + inner_consonant(n) + ("0" if born.year < 2000 else "A"))
    curp = stem + stdnum_curp.calc_check_digit(stem)
    if not stdnum_curp.is_valid(curp):  # an offensive start: RENAPO puts an X in second place
        stem = stem[0] + "X" + stem[2:]
        curp = stem + stdnum_curp.calc_check_digit(stem)
    return rfc, curp


@dataclass
class _Debtor:
    legal_name: str
    person_type: str
    rfc: str
    curp: str
    legal_representative: str
    employer_registration: str
    address: Row


def _person_name(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(GIVEN_NAMES), rng.choice(SURNAMES), rng.choice(SURNAMES)


def _address(rng: random.Random, sector: DemoSector, colonia: Colonia) -> Row:
    radius = COLONIA_RADIUS_DEGREES
    interior = rng.choice(["", "", "", "A", "B", "2", "3", "Local 4"])
    return {
        "address_origin": "fiscal" if rng.random() < 0.85 else "employer_registration",
        "street": rng.choice(colonia.streets),
        "exterior_number": str(rng.randint(10, 2999)),
        "interior_number": interior,
        "neighborhood": colonia.name,
        "municipality": MUNICIPALITY,
        "state": OFFICE_STATE,
        "postal_code": colonia.postal_code,
        "latitude": f"{colonia.latitude + rng.uniform(-radius, radius):.6f}",
        "longitude": f"{colonia.longitude + rng.uniform(-radius, radius):.6f}",
        "sector_code": sector.code,
    }


def _debtor(rng: random.Random, used_rfcs: set[str], sectors: Sequence[DemoSector]) -> _Debtor:
    sector = rng.choice(sectors)
    address = _address(rng, sector, rng.choice(sector.colonias))
    registration = rng.choice("ABCDEFGHJ") + "".join(rng.choice("0123456789") for _ in range(10))
    while True:
        if rng.random() < 0.75:
            name = f"{rng.choice(COMPANY_TRADES)} {rng.choice(COMPANY_PLACES)} {rng.choice(COMPANY_FORMS)}"
            founded = date(rng.randint(1975, 2020), rng.randint(1, 12), rng.randint(1, 28))
            rfc, curp, person_type = company_rfc(rng, name, founded), "", "company"
            given, s1, s2 = _person_name(rng)
            representative = f"{given} {s1} {s2}"
        else:
            given, s1, s2 = _person_name(rng)
            name = f"{given} {s1} {s2}"
            born = date(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
            female = given.split()[0] in ("María", "Ana", "Rosa", "Patricia", "Verónica", "Claudia",
                                          "Gabriela", "Leticia", "Silvia", "Adriana", "Norma")
            rfc, curp = person_rfc_and_curp(rng, given, s1, s2, born, female)
            person_type, representative = "person", ""
        if rfc not in used_rfcs:
            used_rfcs.add(rfc)
            return _Debtor(name, person_type, rfc, curp if rng.random() < 0.6 else "", representative,
                           registration, address)


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(round(rng.uniform(low, high), 2))).quantize(CENT)


def _share(rng: random.Random, principal: Decimal, low: float, high: float) -> str:
    return f"{(principal * Decimal(rng.uniform(low, high))).quantize(CENT)}"


def _period_before(rng: random.Random, issued_on: date, concept: str) -> str:
    month_start = (issued_on.replace(day=1) - timedelta(days=rng.randint(30, 400))).replace(day=1)
    if concept == "rcv" and month_start.month % 2:  # RCV is paid by bimester: periods end in even months
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    return f"{month_start:%Y-%m}"


def emission_rows(
    rng: random.Random, *, office_code: str, count: int, today: date,
    sectors: Sequence[DemoSector] = SECTORS, first_number: int = 1, oldest_days: int = 150,
) -> list[Row]:
    """`count` import rows. Each debtor gets one to three documents; most cover one credit, some
    a cédula for COP and RCV of the same period (two or three credits)."""
    rows: list[Row] = []
    used_rfcs: set[str] = set()
    number = first_number
    while len(rows) < count:
        debtor = _debtor(rng, used_rfcs, sectors)
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            issued_on = today - timedelta(days=rng.randint(5, oldest_days))
            concept = rng.choices(list(CONCEPT_PROFILES), weights=(50, 20, 8, 15, 7))[0]
            concepts = [concept]
            if concept == "cop" and rng.random() < 0.3:
                concepts = ["cop", "rcv"] + (["cop"] if rng.random() < 0.4 else [])
            kind, prefix, authority, (low, high) = CONCEPT_PROFILES[concept]
            folio = f"{prefix}-{office_code}-{issued_on:%Y}-{number:06d}"
            for item in concepts:
                if len(rows) == count:
                    break
                principal = _money(rng, low, high)
                rows.append({
                    "office_code": office_code,
                    "legal_name": debtor.legal_name,
                    "person_type": debtor.person_type,
                    "rfc": debtor.rfc,
                    "curp": debtor.curp,
                    "legal_representative": debtor.legal_representative,
                    "employer_registration": debtor.employer_registration,
                    **debtor.address,
                    "credit_number": f"{issued_on:%y}{number:07d}",
                    "concept": item,
                    "period": _period_before(rng, issued_on, item),
                    "principal": f"{principal}",
                    "inflation_adjustment": _share(rng, principal, 0.005, 0.04),
                    "surcharges": _share(rng, principal, 0.01, 0.12),
                    "issued_on": issued_on.isoformat(),
                    "document_kind": kind,
                    "document_folio": folio,
                    "issuing_authority": authority,
                    "document_date": issued_on.isoformat(),
                })
                number += 1
    return rows


def as_csv(rows: Sequence[Row]) -> bytes:
    """The rows as the UTF-8 CSV an admin would upload."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(COLUMN_NAMES), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")
