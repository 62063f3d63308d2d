"""Every case of tests/legal/vectors.json against static/js/legal.js, in Debian's Chromium.

legal.js must give the expected findings and exactly the findings Python gives (same order,
same Spanish messages, same fields), from the same legal pack. The module is imported into a
blank page served by a throwaway static server; no app is needed. Without /usr/bin/chromium
these tests fail, they do not skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from fieldapp.legal.checks import check_diligence
from fieldapp.legal.pack import check_params_from_pack
from tests.legal.vectors import (
    FACT_CASES,
    FN_CASES,
    JS_FNS,
    VECTORS,
    call_python,
    finding_keys,
    pack_calendar,
    pack_for,
)
from tests.live import static_server

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "static"
JS_FN_CASES = [c for c in FN_CASES if c["fn"] in JS_FNS]

RUN_ALL = """
async ({packs, factCases, fnCases}) => {
  const legal = await import("/js/legal.js");
  const call = {
    is_business_day: (a, p) => legal.isBusinessDay(a.d, p),
    next_business_day: (a, p) => legal.nextBusinessDay(a.d, p),
    add_business_days: (a, p) => legal.addBusinessDays(a.d, a.n, p),
    is_business_time: (a, p) => legal.isBusinessTime(a.dt, p),
    propose_citatorio_appointment:
      (a, p) => legal.proposeCitatorioAppointment(a.issued_at, p, a.preferred ?? null),
    enforcement_costs: (a, p) => legal.enforcementCosts(a.base, a.on, p),
  };
  const out = {};
  for (const c of factCases) {
    try {
      out[c.id] = {findings: legal.checkDiligence(c.facts, packs[c.pack], c.now ?? null)};
    } catch (e) {
      out[c.id] = {error: String(e)};
    }
  }
  for (const c of fnCases) {
    try {
      out[c.id] = {value: call[c.fn](c.args, packs[c.pack])};
    } catch (e) {
      out[c.id] = {raised: String(e)};
    }
  }
  return out;
}
"""


@pytest.fixture(scope="module")
def static_url() -> Iterator[str]:
    with static_server(STATIC) as url:
        yield url


@pytest.fixture(scope="module")
def js_results(browser: Browser, static_url: str) -> dict[str, Any]:
    """Runs every vector in legal.js once; each test below reads its own result."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{static_url}/js/")
    names = {c["pack"] for c in FACT_CASES + JS_FN_CASES}
    results = page.evaluate(RUN_ALL, {
        "packs": {name: pack_for(name) for name in names},
        "factCases": [{k: c[k] for k in ("id", "pack", "facts", "now") if k in c}
                      for c in FACT_CASES],
        "fnCases": [{k: c[k] for k in ("id", "pack", "fn", "args")} for c in JS_FN_CASES],
    })
    context.close()
    assert errors == []
    return results


def test_chromium_is_installed() -> None:
    """The browser suite needs Debian's Chromium: `apt-get install -y chromium`."""
    assert Path("/usr/bin/chromium").exists()


@pytest.mark.parametrize("case", FACT_CASES, ids=[c["id"] for c in FACT_CASES])
def test_facts_vector_in_browser(case: dict[str, Any], js_results: dict[str, Any]) -> None:
    result = js_results[case["id"]]
    assert "error" not in result, result.get("error")
    assert finding_keys(result["findings"]) == finding_keys(case["expect"]), case["description"]
    now = datetime.fromisoformat(case["now"]) if "now" in case else None
    python = check_diligence(case["facts"], check_params_from_pack(pack_for(case["pack"])),
                             now=now)
    assert result["findings"] == [f.to_dict() for f in python]


@pytest.mark.parametrize("case", JS_FN_CASES, ids=[c["id"] for c in JS_FN_CASES])
def test_function_vector_in_browser(case: dict[str, Any], js_results: dict[str, Any]) -> None:
    result = js_results[case["id"]]
    expect = case["expect"]
    if isinstance(expect, dict) and expect.get("raises"):
        assert "raised" in result
        return
    assert result == {"value": expect}, case["description"]
    assert result["value"] == call_python(case, pack_calendar(case["pack"]), pack_for(case["pack"]))


def test_every_js_function_case_is_run() -> None:
    assert {c["fn"] for c in JS_FN_CASES} == JS_FNS
    assert len(VECTORS["cases"]) == len(FACT_CASES) + len(FN_CASES)
