"""Office-local time: business days and due dates are judged where the office is."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from fieldapp.db_types import utcnow
from fieldapp.offices.models import Office


def is_valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in available_timezones()


def office_now(office: Office) -> datetime:
    return utcnow().astimezone(ZoneInfo(office.timezone))


def office_today(office: Office) -> date:
    return office_now(office).date()
