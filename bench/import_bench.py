"""Import benchmark: 10,000 generated rows of the emisión into a fresh SQLite file and a fresh
PostgreSQL database, timed from the CSV bytes to the commit. Prints rows/s for each (the goal
is at least 2,000 rows/s), and the same for a second import of the same file (nothing changes).

    python bench/import_bench.py
    python bench/import_bench.py --rows 20000 --pg-url postgresql://postgres@127.0.0.1:5432
    python bench/import_bench.py --skip-postgresql

The rows are the demo's fictional debtors (fieldapp.demo.emission), one to three documents per
debtor, some documents covering several credits: about 5,000 debtors, 8,300 documents.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from fieldapp import create_app
from fieldapp.demo.data import OFFICE_CODE, OFFICE_NAME, OFFICE_STATE, SECTORS
from fieldapp.demo.emission import as_csv, emission_rows
from fieldapp.extensions import db
from fieldapp.imports.services import ImportSummary, import_credit_file
from fieldapp.offices.models import Office, Sector

GOAL_ROWS_PER_SECOND = 2_000


@dataclass
class Result:
    backend: str
    rows: int
    first_seconds: float
    first_cpu: float
    again_seconds: float
    summary: ImportSummary

    def line(self) -> str:
        return (f"{self.backend:<11} {self.rows:>7} {self.first_seconds:>9.2f} s "
                f"{self.rows / self.first_seconds:>9.0f} {self.first_cpu:>8.2f} s "
                f"{self.again_seconds:>9.2f} s {self.rows / self.again_seconds:>9.0f}")


def _timed_import(data: bytes) -> tuple[float, float, ImportSummary]:
    """Wall time, and this process's CPU time (on a busy machine the wall time also counts
    waiting for a CPU; the database server's own work is not in the CPU figure)."""
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_credit_file(data, actor=None, source="bench", filename="bench.csv")
    db.session.commit()
    return time.perf_counter() - started, time.process_time() - cpu, summary


def run(backend: str, url: str, data: bytes, rows: int, workdir: Path) -> Result:
    app = create_app({"FIELDAPP_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "MEDIA_ROOT": str(workdir / "media")})
    with app.app_context():
        upgrade()
        office = Office(code=OFFICE_CODE, name=OFFICE_NAME, state=OFFICE_STATE)
        db.session.add(office)
        db.session.add_all(Sector(office=office, code=s.code, name=s.name) for s in SECTORS)
        db.session.commit()

        first, first_cpu, summary = _timed_import(data)
        assert summary.credits_created == rows, summary
        if backend == "PostgreSQL":
            # What autovacuum does soon after a bulk load; without fresh statistics the planner
            # scans the new tables for each batch of keys.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        again, _, unchanged = _timed_import(data)
        assert unchanged.credits_unchanged == rows, unchanged
        db.session.remove()
        db.engine.dispose()
    return Result(backend, rows, first, first_cpu, again, summary)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--pg-url", default=os.environ.get("FIELDAPP_TEST_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server (without database name); a scratch database is created")
    parser.add_argument("--skip-postgresql", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    rows = emission_rows(random.Random(2026), office_code=OFFICE_CODE, count=args.rows, today=date.today())
    data = as_csv(rows)
    print(f"{args.rows} filas generadas ({len(data) / 1e6:.1f} MB de CSV) "
          f"en {time.perf_counter() - started:.1f} s")

    results = []
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-") as tmp:
        workdir = Path(tmp)
        results.append(run("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", data, args.rows, workdir))
        if not args.skip_postgresql:
            name = f"fieldapp_bench_{os.getpid()}"
            admin = create_engine(f"{args.pg_url}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                results.append(run("PostgreSQL", f"{args.pg_url}/{name}", data, args.rows, workdir))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()

    summary = results[0].summary
    print(f"Cada importación: {summary.credits_created} créditos, {summary.documents_created} documentos, "
          f"{summary.debtors_created} patrones, {summary.addresses_created} domicilios.\n")
    print(f"{'base':<11} {'filas':>7} {'1ª import.':>11} {'filas/s':>9} {'CPU app':>10} "
          f"{'reimport.':>11} {'filas/s':>9}")
    for result in results:
        print(result.line())
    slowest = min(r.rows / r.first_seconds for r in results)
    verdict = "cumplida" if slowest >= GOAL_ROWS_PER_SECOND else "NO cumplida"
    print(f"\nMeta ≥ {GOAL_ROWS_PER_SECOND} filas/s en la primera importación: {verdict}.")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None:
        print(f"Carga del equipo (1 min): {load:.1f} con {os.cpu_count()} CPU.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
