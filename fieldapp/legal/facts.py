"""The facts of a diligence: what the phone records and pushes, and what the checks judge.

``DiligenceFacts.from_dict`` is the contract of the sync API (field reference in
docs/legal-rules.md). The dict form is JSON: datetimes are ISO 8601 strings **with an offset**
(``2026-03-10T09:05:00-06:00`` or ``...Z``), dates are ``YYYY-MM-DD``, money is a decimal
string (``"12345.67"``; floats are refused). A missing key and ``null`` mean the same: not
recorded. Unknown keys and values outside an enumeration are refused with ``FactsError``: the
checks then judge what is missing, never what is malformed.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TypeVar

from fieldapp.legal.goods import ITEM_CATEGORIES

FACTS_SCHEMA_VERSION = 1

Kind = Literal["citatorio", "posting_record", "notification", "not_located", "payment_demand",
               "seizure", "seizure_extension", "localization"]
AddressOrigin = Literal["fiscal", "rfc", "employer_registration", "designated", "other"]
VerificationMethod = Literal["street_sign", "house_number", "signage", "statement", "photo",
                             "gps"]
AddresseeType = Literal["person", "company"]
Capacity = Literal["addressee", "legal_representative", "employee", "relative", "third_party",
                   "neighbor"]
# "witness_signature" and "custodian_signature": an embargo's witnesses and custodian sign on
# the screen too (R-PAE-4, R-PAE-8); the Witness or Custodian names its file by sha256.
MediaRole = Literal["facade", "posting", "signature", "evidence", "item", "document",
                    "witness_signature", "custodian_signature"]
PostingReason = Literal["nobody_present", "refused_to_receive"]
NotLocatedReason = Literal["moved", "closed", "address_not_found", "unknown_at_address",
                           "temporary_absence"]
PaymentOutcome = Literal["not_paid", "proof_shown", "cheque"]
DesignatedBy = Literal["attendee", "executor"]
ExecutorReason = Literal["not_designated", "insufficient", "out_of_order", "outside_territory",
                         "encumbered", "perishable"]
WitnessNote = Literal["none_designated", "refused_to_sign"]
AppointedBy = Literal["executor", "office_head"]
# The exempt categories of goods.ITEM_CATEGORIES (CFF 157): what an executor saw and left out.
ExemptCategory = Literal[tuple(k for k, c in ITEM_CATEGORIES.items() if c.exempt)]  # type: ignore[valid-type]

LocalizationResult = Literal["found", "not_found"]

NOTIFIER_KINDS: frozenset[str] = frozenset(
    {"citatorio", "posting_record", "notification", "not_located", "localization"})
EXECUTOR_KINDS: frozenset[str] = frozenset({"payment_demand", "seizure", "seizure_extension"})


class FactsError(ValueError):
    """The facts dict does not follow the contract (wrong type, unknown key or value)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Enablement:
    """Habilitación de días u horas inhábiles (R-CAL-3)."""

    number: str | None = None
    issued_on: date | None = None
    signer: str | None = None


@dataclass(frozen=True)
class GpsReading:
    """The phone's GPS fix for the diligence (R-GPS-1, R-GPS-2): not written by the user, the
    record's own ``gps`` put into the facts for the checks."""

    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Location:
    """The geocoded coordinates of the address on file (R-GPS-1), from the assignment."""

    latitude: float | None = None
    longitude: float | None = None


def position_facts(gps: Mapping[str, Any] | None, address_latitude: float | None,
                   address_longitude: float | None) -> dict[str, Any]:
    """The facts the GPS rules read, from the record's fix and the address on file: both the
    server and the phone add them to what the user entered before judging."""
    facts: dict[str, Any] = {}
    if gps:
        facts["gps"] = {k: gps.get(k) for k in ("latitude", "longitude", "accuracy_m")}
    if address_latitude is not None and address_longitude is not None:
        facts["address_location"] = {"latitude": address_latitude, "longitude": address_longitude}
    return facts


@dataclass(frozen=True)
class Address:
    """The address where the diligence took place and where it came from (R-NOT-2)."""

    text: str | None = None
    origin: AddressOrigin | None = None


@dataclass(frozen=True)
class PowerOfAttorney:
    """Notarial power of a legal representative (R-NOT-8)."""

    instrument_number: str | None = None
    notary: str | None = None
    granted_on: date | None = None


@dataclass(frozen=True)
class Attendee:
    """Persona con quien se entiende la diligencia (R-NOT-7, R-NOT-8)."""

    name: str | None = None
    refused_name: bool = False
    capacity: Capacity | None = None
    relationship: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    not_identified: bool = False
    power: PowerOfAttorney | None = None


@dataclass(frozen=True)
class CitatorioRef:
    """The citatorio a follow-up visit answers (R-NOT-5, R-NOT-8)."""

    issued_at: datetime | None = None
    appointed_at: datetime | None = None


@dataclass(frozen=True)
class Statement:
    name: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class NewAddress:
    """Where the debtor is now, as neighbours told it or as found on site (R-NOT-10): the
    office head decides whether it becomes a new address of the debtor (cambio de domicilio)."""

    street: str | None = None
    exterior_number: str | None = None
    interior_number: str | None = None
    neighborhood: str | None = None
    municipality: str | None = None
    state: str | None = None
    postal_code: str | None = None
    informant: str | None = None  # who gave it ("vecina del 102"), or "constatado en el lugar"

    @property
    def is_given(self) -> bool:
        return any(getattr(self, f.name) is not None for f in dataclasses.fields(self))


@dataclass(frozen=True)
class NotLocated:
    """Evidence that the debtor is not at the address (R-NOT-10), and the new address if the
    neighbours gave one or it was found on site."""

    reason: NotLocatedReason | None = None
    statements: tuple[Statement, ...] = ()
    premises_state: str | None = None
    new_address: NewAddress | None = None


@dataclass(frozen=True)
class Localization:
    """The result of a localización (investigation of the debtor's whereabouts, R-NOT-10):
    found at an address (``new_address``), or not found, with its evidence."""

    result: LocalizationResult | None = None
    new_address: NewAddress | None = None
    statements: tuple[Statement, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class FieldUser:
    """The notifier's or executor's credential as shown in the acta (R-NOT-8, R-PAE-2)."""

    name: str | None = None
    credential_number: str | None = None
    issued_on: date | None = None
    valid_until: date | None = None
    issuer: str | None = None
    legal_basis: str | None = None
    has_photo: bool = False
    has_signature: bool = False


@dataclass(frozen=True)
class Media:
    """A photo or signature captured with the diligence; only its role matters to the checks."""

    role: MediaRole
    id: str | None = None


@dataclass(frozen=True)
class Cheque:
    number: str | None = None
    bank: str | None = None
    amount: Decimal | None = None
    drawer: str | None = None


@dataclass(frozen=True)
class Payment:
    """Outcome of the requerimiento de pago (R-PAE-1)."""

    outcome: PaymentOutcome | None = None
    proof_document: str | None = None
    cheque: Cheque | None = None
    receipt_number: str | None = None
    no_seizure_reason: str | None = None


@dataclass(frozen=True)
class ThirdPartyClaim:
    """A third party proved on the spot that a good is theirs (R-PAE-9)."""

    claimant: str | None = None
    documents: str | None = None


@dataclass(frozen=True)
class SeizedItem:
    """One good seized; ``category`` is a key of ``goods.ITEM_CATEGORIES`` (R-PAE-4, R-PAE-6).
    A good with a ``third_party_claim`` is provisionally not seized (R-PAE-9)."""

    category: str | None = None
    description: str | None = None
    quantity: str | None = None
    value: Decimal | None = None
    seal: str | None = None
    id: str | None = None
    third_party_claim: ThirdPartyClaim | None = None
    # What identifies the good in the acta (brand, model, serial) and its state; ``photos``
    # names the sha256 of this good's photos in the record's media (role "item").
    brand: str | None = None
    model: str | None = None
    serial_number: str | None = None
    condition: str | None = None
    photos: tuple[str, ...] = ()


@dataclass(frozen=True)
class Witness:
    """A witness of the embargo (R-PAE-4): identified as the attendee is, and signing on the
    screen (``signature`` is the sha256 of its file, role "witness_signature") or refusing.
    ``signed`` is what older phones sent (a checkbox); a drawn signature sets it too."""

    name: str | None = None
    signed: bool = False
    id_type: str | None = None
    id_number: str | None = None
    not_identified: bool = False
    refused_to_sign: bool = False
    signature: str | None = None


@dataclass(frozen=True)
class Custodian:
    """Depositario (R-PAE-8)."""

    name: str | None = None
    appointed_by: AppointedBy | None = None
    location: str | None = None
    is_debtor: bool = False
    # Identified and signing (role "custodian_signature") or refusing, as a witness does.
    id_type: str | None = None
    id_number: str | None = None
    not_identified: bool = False
    refused_to_sign: bool = False
    signature: str | None = None


@dataclass(frozen=True)
class RealEstateStatement:
    """Sworn statement the attendee gives when real estate is designated (R-PAE-4)."""

    liens: str | None = None
    prior_seizures: str | None = None
    co_ownership: str | None = None
    marital_property: str | None = None


@dataclass(frozen=True)
class Seizure:
    """Embargo: who designated, the goods, witnesses, custody (R-PAE-4…8)."""

    designated_by: DesignatedBy | None = None
    executor_reason: ExecutorReason | None = None
    whole_business: bool = False
    items: tuple[SeizedItem, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    witnesses_note: WitnessNote | None = None
    custodian: Custodian | None = None
    amount_secured: Decimal | None = None
    previously_seized_value: Decimal | None = None
    real_estate_statement: RealEstateStatement | None = None
    # CFF 157 (R-PAE-6): exempt goods found at the address and not seized, by category key.
    exempt_goods_noted: tuple[ExemptCategory, ...] = ()


@dataclass(frozen=True)
class Obstruction:
    """Public force and lock breaking (R-PAE-10)."""

    public_force_requested: bool = False
    public_force_reason: str | None = None
    locks_broken: bool = False
    lock_order_number: str | None = None
    lock_order_date: date | None = None


@dataclass(frozen=True)
class DiligenceFacts:
    """Everything the acta of one diligence states, as the checks need it."""

    kind: Kind
    schema: int = FACTS_SCHEMA_VERSION
    arrived_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    enablement: Enablement | None = None
    addressee_type: AddresseeType | None = None
    address: Address | None = None
    address_verification: tuple[VerificationMethod, ...] = ()
    addressee_asked: bool = False
    representative_asked: bool = False
    absence_reason: str | None = None
    absence_informant: str | None = None
    attendee: Attendee | None = None
    copy_delivered: bool = False
    refused_to_sign: bool = False
    refused_to_receive: bool = False
    appointment_at: datetime | None = None
    posting_reason: PostingReason | None = None
    citatorio: CitatorioRef | None = None
    not_located: NotLocated | None = None
    localization: Localization | None = None
    field_user: FieldUser | None = None
    entered_at: dict[str, datetime] = field(default_factory=dict)
    prefilled: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    payment: Payment | None = None
    seizure: Seizure | None = None
    obstruction: Obstruction | None = None
    gps: GpsReading | None = None
    address_location: Location | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DiligenceFacts:
        """Parse the JSON form; raises ``FactsError`` naming the offending path."""
        facts = _parse_dataclass(cls, data, "facts")
        if facts.schema != FACTS_SCHEMA_VERSION:
            raise FactsError("schema", f"versión no soportada: {facts.schema}")
        return facts

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``from_dict(to_dict())`` gives back an equal object)."""
        return typing.cast(dict[str, Any], _dump(self))

    @property
    def media_roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.media)


# Parsing ----------------------------------------------------------------------------------

T = TypeVar("T")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")  # what legal.js reads too: no exponent, no comma


@functools.cache
def _schema_of(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """A dataclass's resolved type hints and fields, computed once per class: resolving the
    string annotations (``from __future__ import annotations``) cost most of a record's
    parsing time at sync."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def _parse_dataclass(cls: type[T], data: object, path: str) -> T:
    if not isinstance(data, Mapping):
        raise FactsError(path, "se esperaba un objeto")
    hints, fields = _schema_of(cls)
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise FactsError(f"{path}.{unknown[0]}", "campo desconocido")
    values = {}
    for name in fields:
        raw = data.get(name)
        parsed = None if raw is None else _parse_value(hints[name], raw, f"{path}.{name}")
        if parsed is not None:
            values[name] = parsed
        elif not _has_default(fields[name]):
            raise FactsError(f"{path}.{name}", "campo obligatorio")
    return cls(**values)


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _parse_value(hint: Any, value: object, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _parse_value(inner, value, path)
    if origin is Literal:
        if value not in args:
            raise FactsError(path, f"valor no permitido: {value!r}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise FactsError(path, "se esperaba una lista")
        items = (_parse_value(args[0], v, f"{path}[{i}]") for i, v in enumerate(value))
        return tuple(item for item in items if item is not None)
    if origin is dict:
        if not isinstance(value, Mapping):
            raise FactsError(path, "se esperaba un objeto")
        return {str(k): _parse_value(args[1], v, f"{path}.{k}")
                for k, v in value.items() if v is not None}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _parse_dataclass(hint, value, path)
    return _parse_scalar(hint, value, path)


def _parse_scalar(hint: Any, value: object, path: str) -> Any:
    if hint is bool or hint is int:
        if type(value) is not hint:
            raise FactsError(path, f"se esperaba {'verdadero/falso' if hint is bool else 'entero'}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FactsError(path, "se esperaba un número")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise FactsError(path, "se esperaba texto")
        return value.strip() or None  # a blank answer is no answer
    if hint is Decimal:
        return _parse_decimal(value, path)
    if hint is datetime:
        return _parse_datetime(value, path)
    if hint is date:
        return _parse_date(value, path)
    raise TypeError(f"unsupported type in facts: {hint!r}")  # a programming error, not input


def _parse_decimal(value: object, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FactsError(path, "se esperaba un importe como texto decimal")
    if isinstance(value, str) and not _DECIMAL.fullmatch(value.strip()):
        raise FactsError(path, f"importe no válido: {value!r}")
    return Decimal(str(value).strip())


def _parse_datetime(value: object, path: str) -> datetime:
    if not isinstance(value, str) or value[10:11] != "T":
        raise FactsError(path, "se esperaba fecha y hora ISO 8601 (AAAA-MM-DDThh:mm:ss±hh:mm)")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FactsError(path, f"fecha y hora no válida: {value!r}") from None
    if parsed.tzinfo is None:
        raise FactsError(path, "la fecha y hora debe llevar su desfase horario (p. ej. -06:00)")
    return parsed


def _parse_date(value: object, path: str) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise FactsError(path, "se esperaba una fecha AAAA-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FactsError(path, f"fecha no válida: {value!r}") from None


def _dump(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
