"""Jinja filters for how Mexican users read money, dates and distances."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask

from fieldapp.auth.access import current_user

MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]


def money(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"${value:,.2f}"


def short_date(value: date | None) -> str:
    if value is None:
        return "—"
    return f"{value.day:02d} {MONTHS[value.month - 1]} {value.year}"


def local_datetime(value: datetime | None) -> str:
    """Server times are UTC; people read them in their office's time zone."""
    if value is None:
        return "—"
    user = current_user()
    tz = ZoneInfo(user.office.timezone) if user is not None else ZoneInfo("America/Mexico_City")
    local = value.astimezone(tz)
    return f"{short_date(local.date())} {local:%H:%M}"


def distance(km: float | None) -> str:
    if km is None:
        return ""
    return f"{km * 1000:.0f} m" if km < 1 else f"{km:.1f} km".replace(".", ",")


def today_here() -> date:
    from fieldapp.offices.services import office_today

    user = current_user()
    return office_today(user.office) if user is not None else date.today()


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"today": today_here()})
    app.add_template_filter(money)
    app.add_template_filter(short_date)
    app.add_template_filter(local_datetime)
    app.add_template_filter(distance)
