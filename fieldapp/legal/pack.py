"""The legal pack: the data the phone downloads with its worklist to judge diligences offline.

``field_pack`` builds it (JSON-serialisable, deterministic, with a digest a diligence can cite);
``calendar_from_pack``, ``check_params_from_pack`` and ``cost_table_from_pack`` read it back,
so the server can judge a record from exactly the data the phone had.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from fieldapp.legal.calendar import BusinessCalendar, HoursEnablement
from fieldapp.legal.checks import (
    DEFAULT_GPS_MAX_ACCURACY_M,
    DEFAULT_GPS_WARN_DISTANCE_M,
    DEFAULT_TOLERANCE_MINUTES,
    CheckParams,
)
from fieldapp.legal.costs import DEFAULT_COST_TABLE, CostBracket
from fieldapp.legal.goods import ITEM_CATEGORIES
from fieldapp.legal.messages import ADDRESS_ORIGIN_LABELS, LABELS, MESSAGES

PACK_VERSION = 1
DEFAULT_PACK_DAYS = 120
DEFAULT_PHOTO_LONG_EDGE = 1600

# Open points of docs/legal-rules.md, shown wherever the values they qualify are shown.
OPEN_POINTS: tuple[str, ...] = (
    "Gastos de ejecución 2026 (CFF 150, RMF 2026 Anexo 5): importes por confirmar.",
    "Días inhábiles propios del Instituto (CFF 12, párr. 2): los captura la oficina.",
    "Regla del viernes (RACERF 3) aplicada al plazo de pago de cédulas: por confirmar.",
    "Días de jornada electoral (LFT 74 IX): se capturan como días inhábiles adicionales.",
    "Textos de las tesis citadas (2a./J. 15/2001, 2a./J. 82/2009, IX-J-2aS-50, "
    "VIII-P-1aS-19): por confirmar.",
)


def field_pack(
    cal: BusinessCalendar,
    start: date,
    days: int = DEFAULT_PACK_DAYS,
    costs: Sequence[CostBracket] | None = None,
    tolerance_minutes: int = DEFAULT_TOLERANCE_MINUTES,
    friday_rule: bool = True,
    photo_long_edge: int = DEFAULT_PHOTO_LONG_EDGE,
    cost_base: str = "total",
    gps_warn_distance_m: int = DEFAULT_GPS_WARN_DISTANCE_M,
    gps_max_accuracy_m: int = DEFAULT_GPS_MAX_ACCURACY_M,
) -> dict[str, Any]:
    """The pack for the days [start, start + days) of the office whose calendar is ``cal``.

    Saturdays and Sundays are always non-business (R-CAL-1) and are not listed; every other
    non-business day of the window is (a holiday on a weekend too), with its reason."""
    if days <= 0:
        raise ValueError("days must be positive")
    end = start + timedelta(days=days)
    pack: dict[str, Any] = {
        "version": PACK_VERSION,
        "tz": cal.tz,
        "business_hours": {"start": _hhmm(cal.hours_start), "end": _hhmm(cal.hours_end)},
        "window": {"start": start.isoformat(), "end": (end - timedelta(days=1)).isoformat()},
        "non_business_days": [{"date": d.isoformat(), "reason": reason}
                              for d, reason in cal.non_business_days(start, end)],
        # R-CAL-3: the office's habilitaciones (CFF 13) that reach into the window.
        "hour_enablements": [_enablement_dict(e) for e in cal.enablements
                             if e.last_day >= start and e.first_day < end],
        "cost_table": [_bracket_dict(b) for b in (DEFAULT_COST_TABLE if costs is None
                                                  else costs)],
        # R-PAE-3: the phone computes the amount secured on the same base as the office.
        "cost_base": cost_base,
        "follow_up_tolerance_minutes": tolerance_minutes,
        "gps_warn_distance_m": gps_warn_distance_m,  # R-GPS-1
        "gps_max_accuracy_m": gps_max_accuracy_m,  # R-GPS-2
        "friday_rule": friday_rule,
        "photo_long_edge": photo_long_edge,
        "item_categories": {key: asdict(c) for key, c in ITEM_CATEGORIES.items()},
        "messages": dict(MESSAGES),
        "labels": dict(LABELS),
        "address_origin_labels": dict(ADDRESS_ORIGIN_LABELS),
        "open_points": list(OPEN_POINTS),
    }
    pack["digest"] = pack_digest(pack)
    return pack


def pack_digest(pack: Mapping[str, Any]) -> str:
    """sha256 of the pack's canonical JSON (without its own digest): a record cites it."""
    body = {k: v for k, v in pack.items() if k != "digest"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def calendar_from_pack(pack: Mapping[str, Any]) -> BusinessCalendar:
    """The calendar the phone uses: the pack's days only (weekends aside), not the full
    statutory list, so outside the pack's window only weekends are known."""
    hours = pack["business_hours"]
    return BusinessCalendar(
        {date.fromisoformat(d["date"]): d["reason"] for d in pack["non_business_days"]},
        tz=pack["tz"],
        hours_start=time.fromisoformat(hours["start"]),
        hours_end=time.fromisoformat(hours["end"]),
        statutory=False,
        enablements=[HoursEnablement(e["folio"], date.fromisoformat(e["first_day"]),
                                     date.fromisoformat(e["last_day"]),
                                     time.fromisoformat(e["hours_from"]),
                                     time.fromisoformat(e["hours_to"]))
                     for e in pack.get("hour_enablements", [])],
    )


def check_params_from_pack(pack: Mapping[str, Any]) -> CheckParams:
    return CheckParams(calendar=calendar_from_pack(pack),
                       follow_up_tolerance_minutes=int(pack["follow_up_tolerance_minutes"]),
                       gps_warn_distance_m=int(pack.get("gps_warn_distance_m",
                                                        DEFAULT_GPS_WARN_DISTANCE_M)),
                       gps_max_accuracy_m=int(pack.get("gps_max_accuracy_m",
                                                       DEFAULT_GPS_MAX_ACCURACY_M)))


def cost_table_from_pack(pack: Mapping[str, Any]) -> tuple[CostBracket, ...]:
    return tuple(
        CostBracket(
            valid_from=date.fromisoformat(b["valid_from"]),
            valid_to=None if b["valid_to"] is None else date.fromisoformat(b["valid_to"]),
            minimum=Decimal(b["minimum"]),
            maximum=Decimal(b["maximum"]),
            rate=Decimal(b["rate"]),
            note=b.get("note", ""),
        )
        for b in pack["cost_table"]
    )


def _hhmm(t: time) -> str:
    return t.strftime("%H:%M")


def _enablement_dict(e: HoursEnablement) -> dict[str, str]:
    return {"folio": e.folio, "first_day": e.first_day.isoformat(),
            "last_day": e.last_day.isoformat(), "hours_from": _hhmm(e.hours_from),
            "hours_to": _hhmm(e.hours_to)}


def _bracket_dict(b: CostBracket) -> dict[str, Any]:
    return {
        "valid_from": b.valid_from.isoformat(),
        "valid_to": None if b.valid_to is None else b.valid_to.isoformat(),
        "minimum": str(b.minimum),
        "maximum": str(b.maximum),
        "rate": str(b.rate),
        "note": b.note,
    }
