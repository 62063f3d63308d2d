"""Rows of the emisión file in the import's own vocabulary, for the import tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from fieldapp.imports.rows import COLUMN_NAMES

OFFICE = "1401"
COMPANY_RFC = "TMI1503127A2"  # valid check digit (python-stdnum)
OTHER_COMPANY_RFC = "MAB9307148T4"  # python-stdnum's valid example
PERSON_RFC = "GODE561231GR8"
PERSON_CURP = "BOXW310820HNERXN09"  # python-stdnum's own valid example


def row(**overrides: str) -> dict[str, str]:
    values = {
        "office_code": OFFICE,
        "legal_name": "Textiles Minerva SA de CV",
        "person_type": "company",
        "rfc": COMPANY_RFC,
        "curp": "",
        "legal_representative": "Laura Ortiz Ruiz",
        "employer_registration": "C1234567105",
        "address_origin": "fiscal",
        "street": "Av. Chapultepec",
        "exterior_number": "1250",
        "interior_number": "",
        "neighborhood": "Americana",
        "municipality": "Guadalajara",
        "state": "Jalisco",
        "postal_code": "44160",
        "latitude": "20.672300",
        "longitude": "-103.367700",
        "sector_code": "S02",
        "credit_number": "261400001",
        "concept": "cop",
        "period": "2026-01",
        "principal": "18250.00",
        "inflation_adjustment": "412.35",
        "surcharges": "690.80",
        "issued_on": "2026-03-16",
        "document_kind": "liquidation_certificate",
        "document_folio": "CL-1401-2026-000001",
        "issuing_authority": "Subdelegación Guadalajara Centro, IMSS",
        "document_date": "2026-03-16",
    }
    unknown = set(overrides) - set(values)
    assert not unknown, unknown
    values.update(overrides)
    return values


def person_row(**overrides: str) -> dict[str, str]:
    return row(**{"legal_name": "Emma Gómez Díaz", "person_type": "person", "rfc": PERSON_RFC,
                  "curp": "", "legal_representative": "", "credit_number": "261400900",
                  "document_folio": "CL-1401-2026-000900", **overrides})


def csv_bytes(rows: Sequence[dict[str, str]], columns: Sequence[str] = COLUMN_NAMES,
              encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def numbered(n: int, **overrides: str) -> dict[str, str]:
    """The n-th credit of the same debtor, each with its own cédula."""
    return row(**{"credit_number": f"2614{n:05d}", "document_folio": f"CL-1401-2026-{n:06d}", **overrides})
