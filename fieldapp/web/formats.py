"""How a Mexican reader writes money, dates, times and distances (es-MX): the one formatter
behind the Jinja filters (fieldapp.web.templating), the review screens and the printed actas.

Pure functions of their arguments (no request, no database), so the acta's PDF, the review
page and a test all get the same text for the same value. Money is the legal pack's
``fmt_money`` (the phone's legal.js formats it the same way).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from fieldapp.legal.messages import fmt_money

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre"]
SHORT_MONTHS = [m[:3] for m in MONTHS]
BLANK = "—"


def money(value: Decimal | None) -> str:
    """``$86,460.00`` (rounded half up to cents); ``—`` when there is no amount."""
    return fmt_money(value) if value is not None else BLANK


def short_date(value: date | None) -> str:
    """``10 mar 2026``: tables and lists."""
    if value is None:
        return BLANK
    return f"{value.day:02d} {SHORT_MONTHS[value.month - 1]} {value.year}"


def long_date(value: date) -> str:
    """``10 de marzo de 2026``: how an acta writes a day."""
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"


def clock(moment: datetime, tz: ZoneInfo) -> str:
    """``12:05`` in the time zone of the office (times are stored aware, in UTC)."""
    return f"{moment.astimezone(tz):%H:%M}"


def long_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """``10 de marzo de 2026, 12:00 horas`` in the office's time zone."""
    local = moment.astimezone(tz)
    return f"{long_date(local.date())}, {local:%H:%M} horas"


def short_datetime(moment: datetime | None, tz: ZoneInfo) -> str:
    """``10 mar 2026 12:00`` in the office's time zone."""
    if moment is None:
        return BLANK
    local = moment.astimezone(tz)
    return f"{short_date(local.date())} {local:%H:%M}"


def counted(n: int, one: str, many: str) -> str:
    """``1 diligencia``, ``2 diligencias``, ``1,204 créditos``: the noun (and any adjective
    with it) agrees with the number."""
    return f"{n:,} {one if n == 1 else many}"


def distance(km: float | None) -> str:
    """``350 m``, ``465.7 km``, ``1,204.3 km``: es-MX writes a decimal point and thousands
    commas, as in money."""
    if km is None:
        return ""
    return f"{km * 1000:.0f} m" if km < 1 else f"{km:,.1f} km"
