"""`fieldapp import-credits FILE.csv`."""

from __future__ import annotations

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.imports.commands import import_credits_command
from fieldapp.portfolio.models import Credit
from tests.imports.helpers import csv_bytes, numbered


def credits() -> int:
    return db.session.scalar(select(func.count(Credit.id))) or 0


def test_a_valid_file_is_imported(runner, office, tmp_path):
    path = tmp_path / "emision.csv"
    path.write_bytes(csv_bytes([numbered(1), numbered(2)]))
    result = runner.invoke(import_credits_command, [str(path)])
    assert result.exit_code == 0, result.output
    assert "Importación terminada. 2 filas: 2 créditos nuevos" in result.output
    assert credits() == 2

    again = runner.invoke(import_credits_command, [str(path)])
    assert again.exit_code == 0 and "0 créditos nuevos, 0 actualizados, 2 sin cambios" in again.output
    assert credits() == 2


def test_a_bad_file_lists_each_problem_and_exits_1(runner, office, tmp_path):
    path = tmp_path / "emision.csv"
    path.write_bytes(csv_bytes([numbered(1), numbered(2, office_code="9999"), numbered(1)]))
    result = runner.invoke(import_credits_command, [str(path)])
    assert result.exit_code == 1
    assert "línea 3: office_code: no existe la subdelegación con clave «9999»." in result.output
    assert "línea 4: credit_number: el crédito 261400001 ya aparece en la línea 2" in result.output
    assert "El archivo no se importó: 2 filas con errores (2 problemas). No se guardó nada." in result.output
    assert credits() == 0


def test_a_dry_run_checks_and_writes_nothing(runner, office, tmp_path):
    path = tmp_path / "emision.csv"
    path.write_bytes(csv_bytes([numbered(1)]))
    result = runner.invoke(import_credits_command, [str(path), "--dry-run"])
    assert result.exit_code == 0 and "Revisión correcta, no se guardó nada" in result.output
    assert credits() == 0


def test_a_missing_file_is_a_usage_error(runner, office, tmp_path):
    result = runner.invoke(import_credits_command, [str(tmp_path / "no.csv")])
    assert result.exit_code == 2
