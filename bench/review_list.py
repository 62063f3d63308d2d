"""Review list benchmark: 1,000,000 diligences in a fresh PostgreSQL database, then the server
time of the office head's list and map requests (Flask test client, in process: the time from
the request entering the app to the last byte of the answer, database round trips included).

    python bench/review_list.py
    python bench/review_list.py --diligences 200000 --repeat 30
    python bench/review_list.py --keep            # leave the database for EXPLAIN ANALYZE
    python bench/review_list.py --reuse NAME      # time again on a database left by --keep

The data: three offices; the measured one (1401) holds about 88 % of the rows, spread over 20
field users (14 notifiers, 6 executors), 6 sectors, every kind, ~90 days of capture times, review
states weighted as in an office that keeps up (the last week mostly still to review, older
weeks mostly approved), 2 % with legal impediments, 12 % with warnings only, 5 % incomplete,
3 % without a GPS fix, and one in forty corrected (a superseded version 1 and its version 2).
Rows are written by one ``INSERT … SELECT generate_series`` with the foreign-key triggers off
(every id it writes exists by construction), then ``VACUUM ANALYZE`` — what autovacuum does soon
after a bulk load; without it no index-only scan is possible.

Each case is requested ``--warmup`` times, then ``--repeat`` times measured; p50 and p95 of the
measured ones are printed with the goal (p95 ≤ 100 ms on this 2-core machine), and the indexes
PostgreSQL's plans use for that request's queries on diligences (EXPLAIN of the statements sent).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
from fieldapp.auth.models import User  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.offices.models import Office  # noqa: E402
from tests.factories import Factory  # noqa: E402

GOAL_P95_MS = 100.0
PASSWORD = "bench-clave-1"
HX = {"HX-Request": "true"}
MAIN_OFFICE = "1401"
# (office code, notifiers, executors, sectors): the measured office and two smaller ones whose
# rows the office scoping must skip.
OFFICES = [(MAIN_OFFICE, 14, 6, 6), ("1402", 3, 1, 2), ("1403", 3, 1, 2)]
DAYS = 90


# Data -----------------------------------------------------------------------------------------

def build_people(factory: Factory) -> None:
    """Offices, sectors, field users, one assignment per user and sector, and a table
    ``bench_slots`` numbering those assignments for the generator."""
    for code, notifiers, executors, sectors in OFFICES:
        office = factory.office(code=code, name=f"Subdelegación {code}")
        factory.user(office, "supervisor", username=f"jefe{code}", full_name=f"Jefa {code}")
        office_sectors = [factory.sector(office, code=f"{code}-{i}", name=f"Sector {i}")
                          for i in range(1, sectors + 1)]
        roles = ["notifier"] * notifiers + ["executor"] * executors
        for n, role in enumerate(roles, 1):
            title = "Notificador" if role == "notifier" else "Ejecutor"
            user = factory.user(office, role, username=f"{role}{code}-{n}",
                                full_name=f"{title} {n} ({code})")
            for sector in office_sectors:
                factory.portfolio_item(office, user, sector=sector)
    db.session.execute(text("""
        CREATE TABLE bench_slots AS
        SELECT (row_number() OVER (ORDER BY a.id) - 1)::int AS slot, a.office_id, a.user_id,
               a.id AS assignment_id, a.document_id, u.role = 'executor' AS executor
        FROM assignments a JOIN users u ON u.id = a.user_id"""))
    db.session.commit()


# One statement: g numbers the rows; b is the record (a correction, g % 40 = 1, is a second
# version of record g - 1 and shares its person, document and kind). r* are cheap hashes of b.
GENERATE = """
INSERT INTO diligences (
    id, office_id, user_id, device_id, assignment_id, document_id, kind, version, root_id,
    replaces_id, superseded_by_id, superseded_at, captured_at, received_at,
    clock_offset_seconds, clock_drift, gps_latitude, gps_longitude, gps_accuracy_m, gps_fix_at,
    content, content_hash, previous_hash, chain_status, legal_pack_digest, media_count,
    complete, completed_at, findings, has_block_findings, has_warn_findings, credit_closed,
    assignment_withdrawn, server_notes, review_state, reviewed_at)
SELECT
    md5('d' || g)::uuid::text, s.office_id, s.user_id, NULL, s.assignment_id, s.document_id, k.kind,
    CASE WHEN v2 THEN 2 ELSE 1 END,
    md5('d' || b)::uuid::text,
    CASE WHEN v2 THEN md5('d' || b)::uuid::text END,
    CASE WHEN v1_replaced THEN md5('d' || (g + 1))::uuid::text END,
    CASE WHEN v1_replaced THEN t.at + interval '1 day' END,
    t.at, t.at + interval '40 seconds', -3, false,
    CASE WHEN r3 < 3 THEN NULL ELSE 20.60 + (r1 % 1000) / 6000.0 END,
    CASE WHEN r3 < 3 THEN NULL ELSE -103.42 + (r2 % 1000) / 6000.0 END,
    CASE WHEN r3 < 3 THEN NULL ELSE 4 + r3 % 30 END,
    CASE WHEN r3 < 3 THEN NULL ELSE t.at END,
    json_build_object(
        'id', md5('d' || g)::uuid::text, 'kind', k.kind, 'captured_at', t.at,
        'facts', CASE
            WHEN k.kind IN ('notification', 'payment_demand') AND r4 < 8
                THEN json_build_object('refused_to_receive', true,
                                       'person_present', 'Encargado del establecimiento')
            WHEN k.kind = 'payment_demand'
                THEN json_build_object('payment', json_build_object(
                         'outcome', CASE WHEN r4 < 40 THEN 'proof_shown' ELSE 'not_paid' END))
            ELSE json_build_object('person_present', 'Representante legal',
                                   'identification', 'INE', 'refused_to_receive', false)
        END,
        'observations', repeat('Se constituyó en el domicilio y se identificó. ', 8),
        'media', json_build_array(json_build_object('role', 'facade', 'sha256', md5('f' || g)),
                                  json_build_object('role', 'signature', 'sha256', md5('s' || g)))),
    encode(sha256(('d' || g)::bytea), 'hex'), NULL, 'ok', NULL, 2,
    r5 >= 5, CASE WHEN r5 >= 5 THEN t.at + interval '2 minutes' END,
    CASE WHEN r6 < 2 THEN '[{"rule": "R-NOT-3", "severity": "block"}]'::json
         WHEN r6 < 14 THEN '[{"rule": "R-NOT-2", "severity": "warn"}]'::json
         ELSE '[]'::json END,
    r6 < 2, r6 >= 2 AND r6 < 14, false, false, '{}'::json,
    CASE WHEN v1_replaced THEN 'returned'
         WHEN t.at > now() - interval '7 days' AND r7 < 60 THEN 'received'
         WHEN r7 < 6 THEN 'received'
         WHEN r7 < 9 THEN 'returned'
         WHEN r7 < 11 THEN 'rejected'
         ELSE 'approved' END,
    CASE WHEN r7 >= 6 THEN t.at + interval '2 days' END
FROM (
    SELECT g, b, g % 40 = 1 AS v2, g % 40 = 0 AND g + 1 < :rows AS v1_replaced,
           (b * 7919) % 10007 AS r1, (b * 104729) % 10009 AS r2, (b * 31) % 100 AS r3,
           (b * 37) % 100 AS r4, (b * 41) % 100 AS r5, (b * 43) % 100 AS r6, (g * 47) % 100 AS r7,
           (b * 53) % 100 AS rk, ((b * 2654435761) % :slots)::int AS slot
    FROM (SELECT g, CASE WHEN g % 40 = 1 THEN g - 1 ELSE g END AS b
          FROM generate_series(0::bigint, :rows - 1) AS g) AS numbered
) AS x
JOIN bench_slots s ON s.slot = x.slot
CROSS JOIN LATERAL (SELECT CASE
    WHEN s.executor THEN CASE WHEN rk < 70 THEN 'payment_demand' WHEN rk < 95 THEN 'seizure'
                              ELSE 'seizure_extension' END
    ELSE CASE WHEN rk < 35 THEN 'notification' WHEN rk < 70 THEN 'citatorio'
              WHEN rk < 88 THEN 'posting_record' ELSE 'not_located' END
    END AS kind) AS k
CROSS JOIN LATERAL (SELECT date_trunc('second', :now - make_interval(
    secs => ((b * 2246822519) % (:days * 86400))::double precision)
    + CASE WHEN g % 40 = 1 THEN interval '1 day' ELSE interval '0' END) AS at) AS t
"""


def build(rows: int) -> float:
    started = time.perf_counter()
    factory = Factory(PASSWORD)
    build_people(factory)
    slots = db.session.scalar(text("SELECT count(*) FROM bench_slots"))
    # The generator writes only ids that exist (offices, users, assignments, documents from
    # bench_slots; replaces/superseded_by within the same statement): skip the FK triggers.
    db.session.execute(text("SET session_replication_role = replica"))
    db.session.execute(text(GENERATE), {"rows": rows, "slots": slots, "days": DAYS,
                                        "now": datetime.now(UTC)})
    db.session.execute(text("SET session_replication_role = DEFAULT"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


# Timing ---------------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    url: str
    args: dict[str, Any]
    fragment: bool = False


@dataclass
class Timing:
    case: Case
    times_ms: list[float]
    rows: int

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def cases(client: FlaskClient, office: Office) -> list[Case]:
    tz = ZoneInfo(office.timezone)
    today = datetime.now(tz).date()
    person = db.session.scalar(select(User.id).where(User.office_id == office.id,
                                                     User.role == "notifier").order_by(User.id))
    first = client.get("/diligencias/", headers=HX).get_data(as_text=True)
    marker = 'rel="next" href="/diligencias/?despues='
    start = first.index(marker) + len(marker)
    cursor = first[start:first.index('"', start)].split("&amp;")[0]
    from urllib.parse import unquote
    return [
        Case("lista sin filtro (página)", "/diligencias/", {}),
        Case("lista sin filtro (htmx)", "/diligencias/", {}, fragment=True),
        Case("por persona", "/diligencias/", {"persona": person}, fragment=True),
        Case("por estado: por revisar", "/diligencias/", {"estado": "received"}, fragment=True),
        Case("por estado: rechazadas", "/diligencias/", {"estado": "rejected"}, fragment=True),
        Case("tipo + 7 días", "/diligencias/",
             {"tipo": "notification", "desde": (today - timedelta(days=7)).isoformat(),
              "hasta": today.isoformat()}, fragment=True),
        Case("tipo + 30 días", "/diligencias/",
             {"tipo": "citatorio", "desde": (today - timedelta(days=30)).isoformat(),
              "hasta": today.isoformat()}, fragment=True),
        Case("con impedimentos", "/diligencias/", {"hallazgos": "block"}, fragment=True),
        Case("sin hallazgos", "/diligencias/", {"hallazgos": "none"}, fragment=True),
        Case("página siguiente (htmx)", "/diligencias/", {"despues": unquote(cursor)}, fragment=True),
        Case("mapa.geojson sin filtro", "/diligencias/mapa.geojson", {}),
        Case("mapa.geojson por persona", "/diligencias/mapa.geojson", {"persona": person}),
    ]


def time_case(client: FlaskClient, case: Case, warmup: int, repeat: int) -> Timing:
    headers = HX if case.fragment else {}
    rows = 0

    def once() -> float:
        nonlocal rows
        started = time.perf_counter()
        response = client.get(case.url, query_string=case.args, headers=headers)
        body = response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (case.name, response.status_code, body[:300])
        rows = body.count(b'data-diligence="') or body.count(b'"Feature"')
        return elapsed

    for _ in range(warmup):
        once()
    return Timing(case, [once() for _ in range(repeat)], rows)


def plans(app: Flask, client: FlaskClient, case: Case) -> str:
    """The indexes PostgreSQL chose for the case's queries on diligences (EXPLAIN of the very
    statements one request sends), or the scan it fell back to."""
    sent: list[tuple[str, Any]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "FROM diligences" in statement:
            sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        client.get(case.url, query_string=case.args, headers=HX if case.fragment else {})
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    used: list[str] = []
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for statement, parameters in sent:
            cursor.execute("EXPLAIN " + statement, parameters)
            for (line,) in cursor.fetchall():
                found = re.search(r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)"
                                  r"(?: Backward)?(?: using (\w+))? on (?:diligences|ix_diligences\w*)", line)
                if found:
                    name = found.group(2) or found.group(1)
                    if name not in used:
                        used.append(name)
    return ", ".join(used)


def measure(app: Flask, warmup: int, repeat: int) -> tuple[list[Timing], dict[str, str]]:
    client = app.test_client()
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.code == MAIN_OFFICE))
        assert office is not None
        response = client.post("/entrar", data={"username": f"jefe{MAIN_OFFICE}", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        all_cases = cases(client, office)
        db.session.remove()
    timings = [time_case(client, case, warmup, repeat) for case in all_cases]
    return timings, {case.name: plans(app, client, case) for case in all_cases}


def report(timings: list[Timing], indexes: dict[str, str]) -> bool:
    print(f"\n{'caso':<28} {'filas':>6} {'p50 ms':>8} {'p95 ms':>8}  meta   índices de diligences (EXPLAIN)")
    met = True
    for t in timings:
        ok = t.p95 <= GOAL_P95_MS
        met &= ok
        print(f"{t.case.name:<28} {t.rows:>6} {t.p50:>8.1f} {t.p95:>8.1f}  {'sí' if ok else 'NO':<5}  "
              f"{indexes[t.case.name]}")
    print(f"\nMeta p95 ≤ {GOAL_P95_MS:.0f} ms en cada caso: {'cumplida' if met else 'NO cumplida'}.")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diligences", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("FIELDAPP_TEST_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server (without database name); a scratch database is created")
    parser.add_argument("--keep", action="store_true", help="leave the database (its name is printed)")
    parser.add_argument("--reuse", metavar="NAME", help="time again on a database left by --keep")
    args = parser.parse_args()

    name = args.reuse or f"fieldapp_bench_review_{os.getpid()}"
    admin = create_engine(f"{args.pg_url}/postgres", isolation_level="AUTOCOMMIT")
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory(prefix="fieldapp-bench-") as tmp:
            app = create_app({"FIELDAPP_ENV": "development", "SECRET_KEY": "bench",
                              "SQLALCHEMY_DATABASE_URI": f"{args.pg_url}/{name}",
                              "WTF_CSRF_ENABLED": False, "MEDIA_ROOT": str(Path(tmp) / "media")})
            with app.app_context():
                upgrade()  # on --reuse, brings a kept database to the code's migrations
                if not args.reuse:
                    seconds = build(args.diligences)
                    print(f"{args.diligences} diligencias escritas y analizadas en {seconds:.0f} s")
                office_rows = dict(db.session.execute(text(
                    "SELECT o.code, count(*) FROM diligences d JOIN offices o ON o.id = d.office_id "
                    "GROUP BY o.code ORDER BY o.code")).all())
                print("Por oficina: " + ", ".join(f"{c}: {n}" for c, n in office_rows.items()))
                db.session.remove()
            timings, indexes = measure(app, args.warmup, args.repeat)
            report(timings, indexes)
            with app.app_context():
                db.engine.dispose()
    finally:
        if args.keep or args.reuse:
            print(f"Base conservada: {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None:
        print(f"Carga del equipo (1 min): {load:.1f} con {os.cpu_count()} CPU.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
