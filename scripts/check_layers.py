"""Fails when an import breaks the layers the README describes (issue 13, Build 3).

Every import counts, module level or inside a function: a late import is still a dependency.

  base          fieldapp.config, errors, extensions, db_types, transactions  (no feature)
  legal engine  the pure rules (fieldapp.legal.calendar, checks, …): no flask, no database,
                nothing of fieldapp but the engine itself; the phone runs the same rules
  web           request plumbing and formats shared by every feature: base and the legal
                engine only, never a feature
  features      fieldapp.<feature>: anything below, and each other without package cycles
  factory       fieldapp/__init__.py and fieldapp/cli.py wire everything, sync included
  sync          the phone's API: may import fieldapp; fieldapp imports it only in the factory

Package cycles that already existed when this check was written are listed in KNOWN_CYCLES:
a new one fails, and so does a listed one that is gone (delete it from the list), so the list
only shrinks."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASE = {"fieldapp.config", "fieldapp.errors", "fieldapp.extensions", "fieldapp.db_types",
        "fieldapp.transactions"}
ENGINE = {f"fieldapp.legal.{name}" for name in (
    "calendar", "checks", "costs", "deadlines", "facts", "goods", "labels", "limits",
    "messages", "pack")}
FACTORY = {"fieldapp", "fieldapp.cli"}
# Third-party packages the pure engine must not reach for (the phone has no database or Flask).
IMPURE = ("flask", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "werkzeug", "jinja2")

KNOWN_CYCLES = {
    frozenset(pair) for pair in (
        ("audit", "auth"), ("audit", "reports"), ("auth", "offices"),
        ("credits", "diligences"), ("credits", "legal"), ("depository", "seals"),
        ("devices", "diligences"), ("diligences", "media"), ("diligences", "seals"),
    )
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every absolute import in the file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def package_of(module: str) -> str | None:
    """The feature package a fieldapp module belongs to (None for base, engine and factory)."""
    if module in BASE or module in ENGINE or module in FACTORY or not module.startswith("fieldapp."):
        return None
    return module.split(".")[1]


def is_under(module: str, names: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def violation(importer: str, imported: str) -> str | None:
    """Why importer may not import imported, or None."""
    top = imported.split(".")[0]
    if importer in ENGINE:
        if top in IMPURE:
            return "the legal engine is pure: no Flask, no database"
        if top == "fieldapp" and not is_under(imported, ENGINE):
            return "the legal engine imports nothing of fieldapp but itself"
    if top == "sync" and importer.startswith("fieldapp") and importer not in FACTORY:
        return "fieldapp imports sync only in the app factory"
    if importer in BASE and package_of(imported) is not None:
        return "the base layer imports no feature"
    if importer.startswith("fieldapp.web") and package_of(imported) not in (None, "web"):
        return "web depends on no feature"
    return None


def package_cycles(edges: set[tuple[str, str]]) -> set[frozenset[str]]:
    return {frozenset((a, b)) for a, b in edges if (b, a) in edges}


def main() -> int:
    files = [p for pkg in ("fieldapp", "sync") for p in (ROOT / pkg).rglob("*.py")
             if "migrations" not in p.parts]
    problems: list[str] = []
    edges: set[tuple[str, str]] = set()
    for path in sorted(files):
        importer = module_name(path)
        for line, imported in imports_of(path):
            if reason := violation(importer, imported):
                problems.append(f"{path.relative_to(ROOT)}:{line}: imports {imported}: {reason}")
            here, there = package_of(importer), package_of(imported)
            if here and there and here != there:
                edges.add((here, there))
    cycles = package_cycles(edges)
    for cycle in sorted(cycles - KNOWN_CYCLES, key=sorted):
        a, b = sorted(cycle)
        culprits = ", ".join(f"{x} -> {y}" for x, y in ((a, b), (b, a)))
        problems.append(f"package cycle {culprits} (break it: one side must not know the other)")
    for gone in sorted(KNOWN_CYCLES - cycles, key=sorted):
        problems.append(f"cycle {' <-> '.join(sorted(gone))} is gone: remove it from KNOWN_CYCLES")
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"layers hold across {len(files)} modules ({len(KNOWN_CYCLES)} known package cycles left)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
