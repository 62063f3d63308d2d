"""Jinja filters for how Mexican users read money, dates and distances (fieldapp.web.formats)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask

from fieldapp.db_types import utcnow
from fieldapp.web.formats import counted, distance, long_date, money, short_date, short_datetime
from fieldapp.web.identity import current_user

__all__ = ["init_app", "local_datetime", "money", "short_date", "distance", "long_date", "counted"]

DEFAULT_TZ = "America/Mexico_City"


def user_timezone() -> ZoneInfo:
    user = current_user()
    return ZoneInfo(user.office.timezone) if user is not None else ZoneInfo(DEFAULT_TZ)


def local_datetime(value: datetime | None) -> str:
    """Server times are UTC; people read them in their office's time zone."""
    return short_datetime(value, user_timezone())


def today_here() -> date:
    """Today where the signed-in user's office is (deadlines shown on every page count from it)."""
    return utcnow().astimezone(user_timezone()).date()


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"today": today_here()})
    app.add_template_filter(money)
    app.add_template_filter(short_date)
    app.add_template_filter(long_date)
    app.add_template_filter(local_datetime)
    app.add_template_filter(distance)
    app.add_template_filter(counted)
