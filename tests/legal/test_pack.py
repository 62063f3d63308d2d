"""The legal pack the phone downloads, and reading it back in Python."""

from __future__ import annotations

import ast
import json
from datetime import date, timedelta
from pathlib import Path

from fieldapp.legal.calendar import BusinessCalendar
from fieldapp.legal.costs import DEFAULT_COST_TABLE
from fieldapp.legal.goods import ITEM_CATEGORIES
from fieldapp.legal.messages import LABELS, MESSAGES
from fieldapp.legal.pack import (
    PACK_VERSION,
    calendar_from_pack,
    check_params_from_pack,
    cost_table_from_pack,
    field_pack,
    pack_digest,
)

LEGAL = Path(__file__).resolve().parents[2] / "fieldapp" / "legal"
OFFICE = BusinessCalendar([date(2026, 4, 2), date(2026, 4, 3)], tz="America/Tijuana")


def test_pack_shape_and_json() -> None:
    pack = field_pack(OFFICE, date(2026, 3, 1), tolerance_minutes=20, friday_rule=False)
    assert json.loads(json.dumps(pack)) == pack
    assert pack["version"] == PACK_VERSION
    assert pack["tz"] == "America/Tijuana"
    assert pack["business_hours"] == {"start": "07:30", "end": "18:00"}
    assert pack["window"] == {"start": "2026-03-01", "end": "2026-06-28"}  # 120 days
    assert [d["date"] for d in pack["non_business_days"]] == [
        "2026-03-16", "2026-04-02", "2026-04-03", "2026-05-01", "2026-05-05"]
    assert pack["follow_up_tolerance_minutes"] == 20 and pack["friday_rule"] is False
    assert pack["photo_long_edge"] == 1600
    assert pack["messages"] == MESSAGES and pack["labels"] == LABELS
    assert set(pack["item_categories"]) == set(ITEM_CATEGORIES)
    assert any("2026" in p for p in pack["open_points"])
    assert pack["cost_table"][1]["minimum"] == "630.00"
    assert "confirmar" in pack["cost_table"][1]["note"]


def test_R_CAL_1_pack_lists_holidays_falling_on_weekends() -> None:
    """R-CAL-1: 1 Dec 2030 (a Sunday) is listed, with its reason; plain weekends are not."""
    pack = field_pack(BusinessCalendar(), date(2030, 9, 1), days=100)
    listed = {d["date"]: d["reason"] for d in pack["non_business_days"]}
    assert set(listed) == {"2030-09-16", "2030-10-01", "2030-11-18", "2030-12-01"}
    assert "Transmisión" in listed["2030-10-01"] and "CFF 12" in listed["2030-12-01"]


def test_digest_is_stable_and_follows_content() -> None:
    one = field_pack(OFFICE, date(2026, 3, 1))
    assert field_pack(OFFICE, date(2026, 3, 1))["digest"] == one["digest"]
    assert pack_digest(one) == one["digest"] and one["digest"].startswith("sha256:")
    other = field_pack(BusinessCalendar([date(2026, 4, 2)], tz="America/Tijuana"),
                       date(2026, 3, 1))
    assert other["digest"] != one["digest"]


def test_calendar_from_pack_agrees_with_the_office_inside_the_window() -> None:
    pack = field_pack(OFFICE, date(2026, 1, 1), days=365)
    phone = calendar_from_pack(pack)
    assert phone.tz == OFFICE.tz and phone.hours_start == OFFICE.hours_start
    d = date(2026, 1, 1)
    while d.year == 2026:
        assert phone.is_business_day(d) == OFFICE.is_business_day(d), d
        d += timedelta(days=1)
    assert phone.is_business_day(date(2027, 1, 1))  # outside the window: weekends only
    assert not OFFICE.is_business_day(date(2027, 1, 1))


def test_params_and_costs_from_pack() -> None:
    pack = field_pack(OFFICE, date(2026, 1, 1), tolerance_minutes=25)
    assert check_params_from_pack(pack).follow_up_tolerance_minutes == 25
    assert cost_table_from_pack(pack) == DEFAULT_COST_TABLE


def test_legal_modules_do_not_import_flask() -> None:
    """The pure engine stays importable by the sync code and the phone tooling alike."""
    pure = ["__init__", "calendar", "checks", "costs", "deadlines", "facts", "goods",
            "messages", "pack"]
    for name in pure:
        tree = ast.parse((LEGAL / f"{name}.py").read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                    if isinstance(node, ast.Import) for alias in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)}
        assert not imported & {"flask", "sqlalchemy", "flask_sqlalchemy"}, name
