"""docs/legal-rules.md is the audit trail: every rule id, where it is enforced, what tests it.

Every reference in its rule table must exist, and every rule id must be named by a test.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from fieldapp.legal.checks import rules_checked

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "legal-rules.md").read_text(encoding="utf-8")
LEGAL_JS = (ROOT / "static" / "js" / "legal.js").read_text(encoding="utf-8")
TESTS = Path(__file__).parent

RULE_IDS = ([f"R-CAL-{n}" for n in range(1, 7)] + [f"R-NOT-{n}" for n in range(1, 13)]
            + [f"R-DL-{n}" for n in range(1, 5)] + [f"R-PAE-{n}" for n in range(1, 11)]
            + ["R-GPS-1", "R-GPS-2"])
ROWS = {m.group(1): m.group(0) for m in re.finditer(r"^\| (R-[A-Z]+-\d+) \|.*$", DOC, re.M)}


def _test_names() -> dict[str, str]:
    """Test function name → its docstring, across tests/legal/test_*.py."""
    names = {}
    for path in TESTS.glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                names[f"{path.name}::{node.name}"] = ast.get_docstring(node) or ""
    return names


def test_every_rule_has_a_row() -> None:
    assert sorted(ROWS) == sorted(RULE_IDS)


def test_every_rule_is_named_by_a_test() -> None:
    """Each rule id appears in a test's name (R_NOT_3) or docstring (R-NOT-3)."""
    tests = _test_names()
    for rule in RULE_IDS:
        underscored = rule.replace("-", "_")
        assert any(re.search(rf"{underscored}(?!\d)", name) or re.search(rf"{rule}(?!\d)", doc)
                   for name, doc in tests.items()), rule


def test_every_reference_in_the_rule_table_exists() -> None:
    tests = _test_names()
    for rule, row in ROWS.items():
        refs = re.findall(r"`([^`]+)`", row)
        assert any("::test_" in r for r in refs), rule
        for ref in refs:
            if ref.startswith("fieldapp.legal."):
                module, _, attr = ref.partition(":")
                obj: object = importlib.import_module(module)
                for part in attr.split("."):
                    obj = getattr(obj, part)
            elif ref.startswith("legal.js:"):
                name = ref.removeprefix("legal.js:")
                assert re.search(rf"function {name}\(", LEGAL_JS), ref
            elif "::" in ref:
                assert ref in tests, ref


def test_checks_per_kind_table_matches_the_registry() -> None:
    for checks in rules_checked().values():
        for name in checks:
            assert f"`{name}`" in DOC, name


def test_every_vector_rule_is_a_known_rule() -> None:
    import json

    vectors = json.loads((TESTS / "vectors.json").read_text(encoding="utf-8"))
    for case in vectors["cases"]:
        assert case["rule"] in RULE_IDS, case["id"]
        for finding in case.get("expect", []) if "facts" in case else []:
            assert finding["rule_id"] in RULE_IDS, case["id"]
