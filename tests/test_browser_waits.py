"""Browser tests wait on conditions Playwright can really check: its wait_for_function does not
await a promise, so an async predicate passes at once (microsoft/playwright#29132) and the
test races the phone. Async conditions go through tests.live.wait_for_async."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _async_predicates(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "wait_for_function" and node.args
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and node.args[0].value.lstrip().startswith("async")):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_an_async_predicate() -> None:
    assert _async_predicates('page.wait_for_function("""async () => false""")') == [1]
    assert _async_predicates('page.wait_for_function("() => ready")') == []


def test_no_browser_test_waits_on_an_async_predicate() -> None:
    found = {str(path.relative_to(TESTS)): lines for path in sorted(TESTS.rglob("*.py"))
             if (lines := _async_predicates(path.read_text(encoding="utf-8")))}
    assert found == {}
