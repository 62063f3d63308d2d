"""BusinessCalendar: non-business days (CFF 12) and business hours (CFF 13)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from fieldapp.legal.calendar import BusinessCalendar, is_transmission_year

UTC = ZoneInfo("UTC")


def test_R_CAL_1_2026_check_list_is_non_business() -> None:
    """R-CAL-1: the 2026 list of legal-rules.md, weekends aside, is exactly what is listed."""
    cal = BusinessCalendar()
    listed = {date(2026, m, d) for m, d in [(1, 1), (2, 2), (3, 16), (5, 1), (5, 5), (9, 16),
                                             (11, 16), (12, 25)]}
    found = {d for d, _ in cal.non_business_days(date(2026, 1, 1), date(2027, 1, 1))}
    assert found == listed
    assert not any(cal.is_business_day(d) for d in listed)


def test_R_CAL_1_weekends_are_non_business() -> None:
    cal = BusinessCalendar()
    week = [date(2026, 3, 9) + timedelta(days=i) for i in range(7)]
    assert [cal.is_business_day(d) for d in week] == [True] * 5 + [False] * 2


def test_R_CAL_1_moving_mondays_come_from_the_holidays_package() -> None:
    """R-CAL-1: moving Mondays are the package's, not hand-written (checked over 20 years)."""
    cal = BusinessCalendar()
    for year in range(2020, 2040):
        package = holidays.country_holidays("MX", years=year)
        for d in package:
            assert not cal.is_business_day(d), d
        assert date(year, 5, 5) not in package  # what CFF 12 adds
        assert cal.non_business_reason(date(year, 5, 5)) is not None


def test_R_CAL_1_transmission_days_2024_2030_2036() -> None:
    """R-CAL-1: 1 Oct (LFT 74) and 1 Dec (CFF 12) of every transmission year."""
    cal = BusinessCalendar()
    assert [is_transmission_year(y) for y in (2024, 2027, 2030, 2036, 2042)] == [
        True, False, True, True, True]
    for year in (2024, 2030, 2036):
        assert cal.non_business_reason(date(year, 10, 1)) is not None
        assert cal.non_business_reason(date(year, 12, 1)) is not None
    assert not cal.is_business_day(date(2024, 10, 1))  # a Tuesday
    assert not cal.is_business_day(date(2036, 12, 1))  # a Monday
    assert cal.is_business_day(date(2025, 10, 1))
    assert cal.is_business_day(date(2031, 12, 1))
    assert cal.next_business_day(date(2030, 9, 30)) == date(2030, 10, 2)


def test_R_CAL_2_institutional_days_keep_their_reason() -> None:
    """R-CAL-2: institutional days are config; a mapping keeps the reason shown to users."""
    cal = BusinessCalendar({date(2026, 4, 2): "Jueves Santo", date(2026, 4, 3): "Viernes Santo"})
    assert cal.non_business_reason(date(2026, 4, 2)) == "Jueves Santo"
    assert not cal.is_business_day(date(2026, 4, 3))
    assert BusinessCalendar().is_business_day(date(2026, 4, 3))
    plain = BusinessCalendar([date(2026, 4, 2)])
    assert "institucional" in (plain.non_business_reason(date(2026, 4, 2)) or "")


def test_R_CAL_2_election_day_is_added_as_config() -> None:
    """R-CAL-2 / LFT 74 IX: election days are not invented; the office adds them as extra days."""
    election = date(2027, 6, 7)  # a Monday, for the example
    assert BusinessCalendar().is_business_day(election)
    assert not BusinessCalendar({election: "Jornada electoral (LFT 74 IX)"}).is_business_day(
        election)


def test_R_CAL_3_business_time_in_the_offices_zone() -> None:
    """R-CAL-3: 07:30–18:00 wall time of the office's zone, on a business day."""
    cal = BusinessCalendar()
    at = datetime(2026, 3, 10, tzinfo=ZoneInfo("America/Mexico_City"))
    assert not cal.is_business_time(at.replace(hour=7, minute=29, second=59))
    assert cal.is_business_time(at.replace(hour=7, minute=30))
    assert cal.is_business_time(at.replace(hour=18))
    assert not cal.is_business_time(at.replace(hour=18, second=1))
    assert not cal.is_business_time(at.replace(day=14, hour=12))  # Saturday


def test_R_CAL_3_tijuana_daylight_saving() -> None:
    """R-CAL-3: the same UTC instant is 07:45 in summer and 06:45 in winter in Tijuana."""
    cal = BusinessCalendar(tz="America/Tijuana")
    assert cal.is_business_time(datetime(2026, 7, 15, 14, 45, tzinfo=UTC))
    assert not cal.is_business_time(datetime(2026, 1, 15, 14, 45, tzinfo=UTC))
    assert cal.local_date(datetime(2026, 7, 15, 1, 5, tzinfo=UTC)) == date(2026, 7, 14)


def test_R_CAL_3_business_hours_are_configurable() -> None:
    cal = BusinessCalendar(hours_start=time(8, 0), hours_end=time(17, 0))
    at = datetime(2026, 3, 10, 7, 45, tzinfo=ZoneInfo("America/Mexico_City"))
    assert not cal.is_business_time(at)
    assert BusinessCalendar().is_business_time(at)
    with pytest.raises(ValueError):
        BusinessCalendar(hours_start=time(18, 0), hours_end=time(7, 30))


def test_R_CAL_3_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        BusinessCalendar().is_business_time(datetime(2026, 3, 10, 10, 0))


def test_R_CAL_5_business_days_count_from_the_day_after() -> None:
    """R-CAL-5: n business days strictly after d; weekends and holidays are not counted."""
    cal = BusinessCalendar()
    assert cal.add_business_days(date(2026, 3, 13), 1) == date(2026, 3, 17)  # 16 is a holiday
    assert cal.add_business_days(date(2026, 3, 10), 15) == date(2026, 4, 1)
    assert cal.add_business_days(date(2026, 3, 14), 0) == date(2026, 3, 14)
    assert cal.next_business_day(date(2026, 3, 10)) == date(2026, 3, 11)
    with pytest.raises(ValueError):
        cal.add_business_days(date(2026, 3, 10), -1)


def test_statutory_false_knows_only_weekends_and_extra_days() -> None:
    cal = BusinessCalendar([date(2026, 4, 2)], statutory=False)
    assert cal.is_business_day(date(2026, 3, 16))
    assert not cal.is_business_day(date(2026, 4, 2))


def test_at_builds_wall_time_in_the_zone() -> None:
    cal = BusinessCalendar(tz="America/Tijuana")
    assert cal.at(date(2026, 3, 9), time(12, 0)).isoformat() == "2026-03-09T12:00:00-07:00"
    assert cal.at(date(2026, 3, 6), time(12, 0)).isoformat() == "2026-03-06T12:00:00-08:00"
