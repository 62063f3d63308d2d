"""Every case of tests/legal/vectors.json against fieldapp.legal (Python).

Each facts case is judged twice: from the legal pack (what the phone has) and from the office's
full calendar (what the server has); both must give exactly the expected findings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from fieldapp.legal.checks import CheckParams, check_diligence
from fieldapp.legal.costs import NoCostBracket
from fieldapp.legal.pack import check_params_from_pack
from tests.legal import build_vectors
from tests.legal.vectors import (
    FACT_CASES,
    FN_CASES,
    VECTORS_PATH,
    call_python,
    finding_keys,
    office_calendar,
    pack_calendar,
    pack_for,
)


def _now(case: dict[str, Any]) -> datetime | None:
    return datetime.fromisoformat(case["now"]) if "now" in case else None


@pytest.mark.parametrize("case", FACT_CASES, ids=[c["id"] for c in FACT_CASES])
def test_facts_vector(case: dict[str, Any]) -> None:
    pack = pack_for(case["pack"])
    params = check_params_from_pack(pack)
    findings = check_diligence(case["facts"], params, now=_now(case))
    assert finding_keys(findings) == finding_keys(case["expect"]), case["description"]
    office = CheckParams(office_calendar(case["pack"]), params.follow_up_tolerance_minutes,
                         params.gps_warn_distance_m, params.gps_max_accuracy_m)
    assert check_diligence(case["facts"], office, now=_now(case)) == findings


@pytest.mark.parametrize("case", FN_CASES, ids=[c["id"] for c in FN_CASES])
def test_function_vector(case: dict[str, Any]) -> None:
    pack = pack_for(case["pack"])
    for cal in (pack_calendar(case["pack"]), office_calendar(case["pack"])):
        if isinstance(case["expect"], dict) and case["expect"].get("raises"):
            with pytest.raises(NoCostBracket):
                call_python(case, cal, pack)
        else:
            assert call_python(case, cal, pack) == case["expect"], case["description"]


def test_vectors_json_is_what_build_vectors_writes() -> None:
    """vectors.json is generated: edit tests/legal/build_vectors.py and run it."""
    assert VECTORS_PATH.read_text(encoding="utf-8") == build_vectors.dump()


def test_vectors_cover_enough_cases() -> None:
    assert len(FACT_CASES) + len(FN_CASES) >= 80
    assert len({c["id"] for c in FACT_CASES + FN_CASES}) == len(FACT_CASES) + len(FN_CASES)
