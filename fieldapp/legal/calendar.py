"""Business days and hours (CFF 12, 13).

Statutory holidays come from the ``holidays`` package (country MX), plus what CFF 12 adds and
the package lacks (R-CAL-1). Institutional days (R-CAL-2) and federal election days (LFT 74 IX)
are configuration: pass them as ``extra_non_business_days``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TZ = "America/Mexico_City"
DEFAULT_HOURS_START = time(7, 30)  # R-CAL-3 (CFF 13)
DEFAULT_HOURS_END = time(18, 0)
INSTITUTIONAL_REASON = "Día inhábil institucional (CFF 12, párr. 2)"
BATTLE_OF_PUEBLA = "5 de mayo (CFF 12)"
TRANSMISSION_OCT = "Transmisión del Poder Ejecutivo Federal (LFT 74)"
TRANSMISSION_DEC = "Transmisión del Poder Ejecutivo Federal (CFF 12)"
FIRST_TRANSMISSION_ON_OCT_1 = 2024  # R-CAL-1: every six years from here on (2030, 2036, ...)
SATURDAY = 5


def is_transmission_year(year: int) -> bool:
    """R-CAL-1: the federal executive changes hands every six years (2024, 2030, ...)."""
    return year >= FIRST_TRANSMISSION_ON_OCT_1 and (year - FIRST_TRANSMISSION_ON_OCT_1) % 6 == 0


@lru_cache(maxsize=64)
def statutory_non_business_days(year: int) -> Mapping[date, str]:
    """R-CAL-1: the days CFF 12 declares non-business in ``year`` (weekends aside), with names.

    The ``holidays`` package supplies the LFT 74 list (moving Mondays included); CFF 12 adds
    5 May, and both 1 Oct (LFT 74) and 1 Dec (CFF 12's text) of transmission years.
    """
    days: dict[date, str] = dict(holidays.country_holidays("MX", years=year, language="es"))
    days.setdefault(date(year, 5, 5), BATTLE_OF_PUEBLA)
    if is_transmission_year(year):
        days.setdefault(date(year, 10, 1), TRANSMISSION_OCT)
        days.setdefault(date(year, 12, 1), TRANSMISSION_DEC)
    return MappingProxyType(days)


@dataclass(frozen=True)
class HoursEnablement:
    """A habilitación de días y horas inhábiles (CFF 13) recorded by the office: the authority
    enables acting on the days ``first_day``–``last_day`` between ``hours_from`` and
    ``hours_to`` (wall time of the office, to the minute, both included), under ``folio``."""

    folio: str
    first_day: date
    last_day: date
    hours_from: time
    hours_to: time

    def covers(self, wall: datetime) -> bool:
        minute = wall.time().replace(second=0, microsecond=0)
        return (self.first_day <= wall.date() <= self.last_day
                and self.hours_from <= minute <= self.hours_to)


class BusinessCalendar:
    """Business days and hours of one office (its time zone, its institutional days), and the
    habilitaciones of non-business days and hours it holds (R-CAL-3)."""

    def __init__(
        self,
        extra_non_business_days: Iterable[date] | Mapping[date, str] = (),
        tz: str = DEFAULT_TZ,
        *,
        hours_start: time = DEFAULT_HOURS_START,
        hours_end: time = DEFAULT_HOURS_END,
        statutory: bool = True,
        enablements: Iterable[HoursEnablement] = (),
    ) -> None:
        """``extra_non_business_days``: institutional days (R-CAL-2), election days, or any
        other day the office declares non-business; a mapping keeps a reason per day.
        ``statutory=False`` leaves out the CFF 12 list: used when the list already comes
        complete from a legal pack (see ``pack.calendar_from_pack``)."""
        if hours_start >= hours_end:
            raise ValueError("hours_start must be before hours_end")
        if isinstance(extra_non_business_days, Mapping):
            extra = dict(extra_non_business_days)
        else:
            extra = {d: INSTITUTIONAL_REASON for d in extra_non_business_days}
        self._extra: dict[date, str] = extra
        self._statutory = statutory
        self.tz = tz
        self.zone = ZoneInfo(tz)
        self.hours_start = hours_start
        self.hours_end = hours_end
        self.enablements: tuple[HoursEnablement, ...] = tuple(enablements)

    def __repr__(self) -> str:
        return (f"BusinessCalendar(tz={self.tz!r}, hours={self.hours_start}-{self.hours_end}, "
                f"extra={len(self._extra)}, statutory={self._statutory})")

    # Days ---------------------------------------------------------------------------------

    def non_business_reason(self, d: date) -> str | None:
        """Why ``d`` is non-business, apart from being a Saturday or Sunday (None if it isn't)."""
        if d in self._extra:
            return self._extra[d]
        if self._statutory:
            return statutory_non_business_days(d.year).get(d)
        return None

    def is_business_day(self, d: date) -> bool:
        """R-CAL-1/R-CAL-2: not a weekend, statutory holiday or institutional day."""
        return d.weekday() < SATURDAY and self.non_business_reason(d) is None

    def next_business_day(self, d: date) -> date:
        """The first business day strictly after ``d``."""
        d += timedelta(days=1)
        while not self.is_business_day(d):
            d += timedelta(days=1)
        return d

    def add_business_days(self, d: date, n: int) -> date:
        """The ``n``-th business day strictly after ``d`` (``d`` itself when n is 0).

        R-CAL-5: a term in days counts business days only, from the day after its start.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        for _ in range(n):
            d = self.next_business_day(d)
        return d

    def non_business_days(self, start: date, end: date) -> list[tuple[date, str]]:
        """Every day in [start, end) that is non-business for a reason other than being a
        Saturday or Sunday (a holiday on a Sunday is listed too), with its reason."""
        found = []
        d = start
        while d < end:
            reason = self.non_business_reason(d)
            if reason is not None:
                found.append((d, reason))
            d += timedelta(days=1)
        return found

    # Hours --------------------------------------------------------------------------------

    def local(self, dt: datetime) -> datetime:
        """``dt`` as wall time of the office's zone (R-CAL-3: local time of the place)."""
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("dt must be an aware datetime")
        return dt.astimezone(self.zone)

    def local_date(self, dt: datetime) -> date:
        return self.local(dt).date()

    def within_business_hours(self, dt: datetime) -> bool:
        """R-CAL-3: wall time between hours_start and hours_end, both included, to the second."""
        wall = self.local(dt).time().replace(microsecond=0)
        return self.hours_start <= wall <= self.hours_end

    def is_business_time(self, dt: datetime) -> bool:
        """R-CAL-3: a business day of the office's zone and within business hours there."""
        return self.is_business_day(self.local_date(dt)) and self.within_business_hours(dt)

    def enablement_at(self, dt: datetime) -> HoursEnablement | None:
        """R-CAL-3: the office's habilitación (CFF 13) covering the instant ``dt``, if any."""
        wall = self.local(dt)
        return next((e for e in self.enablements if e.covers(wall)), None)

    def at(self, d: date, wall: time) -> datetime:
        """The aware instant of wall time ``wall`` on day ``d`` in the office's zone."""
        return datetime.combine(d, wall, tzinfo=self.zone)
