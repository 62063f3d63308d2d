"""Factories that build the central credit store in the app's vocabulary. They flush and
commit, because requests in tests run in their own sessions."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from stdnum.mx import rfc as rfc_number
from werkzeug.security import generate_password_hash

from fieldapp.assignments.models import Assignment
from fieldapp.auth.models import User
from fieldapp.extensions import db
from fieldapp.offices.models import Office, Sector
from fieldapp.portfolio.models import Address, Credit, Debtor, Document, EmployerRegistration

_seq = itertools.count(1)
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def company_rfc(n: int) -> str:
    """A valid company RFC (3 letters, date, homoclave, check digit), different for each n."""
    letters = "".join(LETTERS[(n // len(LETTERS) ** i) % len(LETTERS)] for i in range(3))
    day = date(1990, 1, 1).toordinal() + n % 9000
    stem = f"{letters}{date.fromordinal(day):%y%m%d}A1"
    return stem + rfc_number.calc_check_digit(stem)


@cache
def _password_hash(password: str) -> str:
    """One real scrypt hash per password for the whole run: a login still checks it for real,
    but the worlds of a thousand tests no longer spend a tenth of a second per user making it."""
    return generate_password_hash(password)


class Factory:
    def __init__(self, password: str) -> None:
        self.password = password

    def _n(self) -> int:
        return next(_seq)

    def office(self, code: str | None = None, **kw: Any) -> Office:
        n = self._n()
        office = Office(code=code or f"{n:04d}", name=kw.pop("name", f"Subdelegación {n}"),
                        state=kw.pop("state", "Jalisco"),
                        timezone=kw.pop("timezone", "America/Mexico_City"), **kw)
        db.session.add(office)
        db.session.commit()
        return office

    def sector(self, office: Office, code: str | None = None, **kw: Any) -> Sector:
        n = self._n()
        sector = Sector(office=office, code=code or f"S{n}", name=kw.pop("name", f"Sector {n}"))
        db.session.add(sector)
        db.session.commit()
        return sector

    def user(self, office: Office, role: str = "notifier", username: str | None = None,
             **kw: Any) -> User:
        n = self._n()
        user = User(office=office, username=username or f"{role}{n}",
                    full_name=kw.pop("full_name", f"Persona {n}"), role=role,
                    credential_number=kw.pop("credential_number", f"CRED-{n}"),
                    credential_issued_on=kw.pop("credential_issued_on", date(2026, 1, 2)),
                    credential_valid_until=kw.pop("credential_valid_until", date(2026, 12, 31)),
                    credential_issuer=kw.pop("credential_issuer", "Titular de la Subdelegación"),
                    **kw)
        user.password_hash = _password_hash(self.password)
        db.session.add(user)
        db.session.commit()
        return user

    def debtor(self, office: Office, **kw: Any) -> Debtor:
        n = self._n()
        debtor = Debtor(office=office, legal_name=kw.pop("legal_name", f"Empresa {n} SA de CV"),
                        person_type=kw.pop("person_type", "company"),
                        rfc=kw.pop("rfc", company_rfc(n)), **kw)
        debtor.registrations.append(EmployerRegistration(number=f"A{n:010d}"[:11]))
        db.session.add(debtor)
        db.session.commit()
        return debtor

    def address(self, debtor: Debtor, sector: Sector | None = None, **kw: Any) -> Address:
        address = Address(debtor=debtor, origin=kw.pop("origin", "fiscal"),
                          street=kw.pop("street", "Av. Juárez"),
                          exterior_number=kw.pop("exterior_number", str(self._n())),
                          neighborhood=kw.pop("neighborhood", "Centro"),
                          municipality=kw.pop("municipality", "Guadalajara"),
                          state=kw.pop("state", "Jalisco"), postal_code=kw.pop("postal_code", "44100"),
                          latitude=kw.pop("latitude", 20.6767), longitude=kw.pop("longitude", -103.3475),
                          sector=sector, **kw)
        db.session.add(address)
        db.session.commit()
        return address

    def credit(self, debtor: Debtor, **kw: Any) -> Credit:
        n = self._n()
        credit = Credit(office_id=debtor.office_id, debtor=debtor,
                        credit_number=kw.pop("credit_number", f"{n:09d}"),
                        concept=kw.pop("concept", "cop"), period=kw.pop("period", "2026-03"),
                        principal=kw.pop("principal", Decimal("12500.00")),
                        inflation_adjustment=kw.pop("inflation_adjustment", Decimal("310.25")),
                        surcharges=kw.pop("surcharges", Decimal("450.10")),
                        issued_on=kw.pop("issued_on", date(2026, 4, 15)), **kw)
        db.session.add(credit)
        db.session.commit()
        return credit

    def document(self, debtor: Debtor, address: Address | None = None,
                 credits: list[Credit] | None = None, **kw: Any) -> Document:
        n = self._n()
        document = Document(office_id=debtor.office_id, debtor=debtor,
                            address=address or self.address(debtor),
                            kind=kw.pop("kind", "liquidation_certificate"),
                            folio=kw.pop("folio", f"F-{n:07d}"),
                            issuing_authority=kw.pop("issuing_authority", "Subdelegación"),
                            issued_on=kw.pop("issued_on", date(2026, 4, 15)), **kw)
        document.credits.extend(credits if credits is not None else [self.credit(debtor)])
        db.session.add(document)
        db.session.commit()
        return document

    def assignment(self, document: Document, user: User, **kw: Any) -> Assignment:
        assignment = Assignment(office_id=document.office_id, document=document, user=user,
                                due_on=kw.pop("due_on", date(2026, 12, 31)), **kw)
        db.session.add(assignment)
        db.session.commit()
        return assignment

    def portfolio_item(self, office: Office, user: User | None = None, sector: Sector | None = None,
                       **kw: Any) -> Document:
        """A debtor with an address, a credit and its document; assigned when `user` is given."""
        debtor = self.debtor(office)
        document = self.document(debtor, self.address(debtor, sector=sector, **kw))
        if user is not None:
            self.assignment(document, user)
        return document
