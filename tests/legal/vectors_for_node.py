"""Prints, as JSON, what tests/js/legal-vectors.test.js runs static/js/legal.js on under node:
the legal pack each case of tests/legal/vectors.json names (built by fieldapp.legal.pack, as the
phone downloads it) and Python's answer to each case. Node then checks the parity
test_vectors_browser.py checks in Chromium — same findings, same order, same Spanish — in
seconds, without a browser.

``python -m tests.legal.vectors_for_node`` (from the repository's root, in its virtualenv).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from fieldapp.legal.checks import check_diligence
from fieldapp.legal.costs import NoCostBracket
from fieldapp.legal.pack import check_params_from_pack
from tests.legal.vectors import FACT_CASES, FN_CASES, JS_FNS, call_python, pack_calendar, pack_for


def python_findings(case: dict[str, Any]) -> list[dict[str, Any]]:
    now = datetime.fromisoformat(case["now"]) if "now" in case else None
    params = check_params_from_pack(pack_for(case["pack"]))
    return [f.to_dict() for f in check_diligence(case["facts"], params, now=now)]


def python_answer(case: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"value": call_python(case, pack_calendar(case["pack"]), pack_for(case["pack"]))}
    except NoCostBracket:
        return {"raised": True}


def export() -> dict[str, Any]:
    fn_cases = [c for c in FN_CASES if c["fn"] in JS_FNS]
    names = sorted({c["pack"] for c in FACT_CASES + fn_cases})
    return {
        "js_fns": sorted(JS_FNS),
        "packs": {name: pack_for(name) for name in names},
        "facts": [{**c, "python": python_findings(c)} for c in FACT_CASES],
        "functions": [{**c, "python": python_answer(c)} for c in fn_cases],
    }


if __name__ == "__main__":
    json.dump(export(), sys.stdout, ensure_ascii=False)
