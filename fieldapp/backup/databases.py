"""Copying a database out of, and back into, SQLite and PostgreSQL.

Both copies come from one snapshot, so a backup taken while the app serves and writes is
consistent: SQLite's online backup API copies every page in a single step (one read
transaction), and on PostgreSQL a REPEATABLE READ transaction exports its snapshot, counts the
rows and reads the Alembic revision in it, and pg_dump dumps that very snapshot."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from fieldapp.backup.archive import DATABASE_DIR, ArchiveRejected, BackupError

BACKENDS = ("sqlite", "postgresql")
MEMBER_NAMES = {
    "sqlite": f"{DATABASE_DIR}/fieldapp.sqlite3",
    "postgresql": f"{DATABASE_DIR}/fieldapp.pgdump",
}
ALEMBIC_TABLE = "alembic_version"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
NOT_MIGRATED = "La base de datos no tiene migraciones aplicadas; ejecute `fieldapp db upgrade`."


@dataclass(frozen=True)
class DatabaseSnapshot:
    file: Path
    member_name: str
    backend: str
    alembic_revision: str
    record_counts: dict[str, int]


def backend_of(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in BACKENDS:
        raise BackupError(f"Base de datos no admitida para respaldos: {name}.")
    return name


def snapshot(engine: Engine, staging: Path) -> DatabaseSnapshot:
    backend = backend_of(engine)
    target = staging / Path(MEMBER_NAMES[backend]).name
    if backend == "sqlite":
        revision, counts = _snapshot_sqlite(_sqlite_path(engine), target)
    else:
        revision, counts = _snapshot_postgresql(engine, target)
    return DatabaseSnapshot(target, MEMBER_NAMES[backend], backend, revision, counts)


def record_counts(engine: Engine) -> dict[str, int]:
    """Rows per table of the app (Alembic's bookkeeping table left out). An SQLite file that
    does not exist yet has no tables, and is not created by asking."""
    if backend_of(engine) == "sqlite" and not _sqlite_has_content(_sqlite_path(engine)):
        return {}
    with engine.connect() as conn:
        return _count_rows(conn, inspect(conn).get_table_names())


def load(engine: Engine, dump_file: Path) -> None:
    """Replaces the target database's contents with the dump (same backend)."""
    if backend_of(engine) == "sqlite":
        _load_sqlite(_sqlite_path(engine), dump_file)
    else:
        _load_postgresql(engine, dump_file)
    engine.dispose()  # pooled connections may have cached the old schema


def sqlite_file_facts(path: Path) -> tuple[str, dict[str, int]]:
    """Revision and row counts of an SQLite file, read-only (used on a staged archive copy)."""
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            return _sqlite_facts(conn)
    except sqlite3.DatabaseError as exc:
        raise ArchiveRejected(f"La base de datos del respaldo no se puede leer ({exc}). "
                              "No se restauró nada.") from exc


# --- SQLite -----------------------------------------------------------------------------------

def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Solo se respaldan bases SQLite guardadas en un archivo.")
    return Path(database)


def _sqlite_has_content(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def _snapshot_sqlite(source: Path, target: Path) -> tuple[str, dict[str, int]]:
    if not _sqlite_has_content(source):
        raise BackupError(f"No existe la base de datos {source}: no hay nada que respaldar.")
    # Read-only, so the backup can never change the live database; the timeout rides out a
    # writer that holds the lock at the moment the copy starts.
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True, timeout=60)
    dst = sqlite3.connect(target)
    with closing(src), closing(dst):
        src.backup(dst)  # pages=-1: all pages in one step, i.e. one consistent snapshot
        (check,) = dst.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"La copia de la base SQLite no pasó la verificación: {check}.")
        return _sqlite_facts(dst)


def _sqlite_facts(conn: sqlite3.Connection) -> tuple[str, dict[str, int]]:
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    if ALEMBIC_TABLE not in tables:
        raise BackupError(NOT_MIGRATED)
    revisions = sorted(row[0] for row in conn.execute(f"SELECT version_num FROM {ALEMBIC_TABLE}"))
    counts = {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in tables if t != ALEMBIC_TABLE
    }
    return _one_revision(revisions), counts


def _load_sqlite(target: Path, dump_file: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API again, in the other direction: the target is overwritten page by page
    # inside one write transaction, so a reader never sees half a database.
    src = sqlite3.connect(dump_file.resolve().as_uri() + "?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=60)
    with closing(src), closing(dst):
        src.backup(dst)


# --- PostgreSQL -------------------------------------------------------------------------------

def find_pg_tool(name: str, search_path: str | None = None, fallback_glob: str = PG_BIN_GLOB) -> str:
    """pg_dump / pg_restore from PATH, else the newest under /usr/lib/postgresql/*/bin."""
    found = shutil.which(name, path=search_path)
    if found:
        return found
    candidates = sorted(glob.glob(os.path.join(fallback_glob, name)), key=_pg_major, reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(
        f"No se encontró {name}: instale el cliente de PostgreSQL (paquete postgresql-client, "
        f"de la misma versión mayor que el servidor o más nueva) o agréguelo al PATH."
    )


def _pg_major(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def _libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A URL libpq understands, with the password passed in the environment instead of on
    the command line (where `ps` would show it)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run_pg_tool(args: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()
        raise BackupError(f"{Path(args[0]).name} terminó con error {completed.returncode}: {detail}")


def _snapshot_postgresql(engine: Engine, target: Path) -> tuple[str, dict[str, int]]:
    pg_dump = find_pg_tool("pg_dump")
    dbname, env = _libpq_target(engine.url)
    options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        # The first statement fixes the transaction's snapshot; pg_dump imports the same one,
        # so the counts below describe exactly what the dump holds.
        snapshot_id = conn.scalar(text("SELECT pg_export_snapshot()"))
        tables = inspect(conn).get_table_names()
        if ALEMBIC_TABLE not in tables:
            raise BackupError(NOT_MIGRATED)
        revisions = sorted(conn.scalars(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")))
        counts = _count_rows(conn, tables)
        _run_pg_tool([pg_dump, "--format=custom", f"--snapshot={snapshot_id}",
                      f"--file={target}", f"--dbname={dbname}"], env)
    return _one_revision(revisions), counts


def _load_postgresql(engine: Engine, dump_file: Path) -> None:
    pg_restore = find_pg_tool("pg_restore")
    dbname, env = _libpq_target(engine.url)
    with engine.begin() as conn:
        _drop_app_objects(conn)
    engine.dispose()
    # --no-owner/--no-privileges: the restoring role owns what it restores, whatever role
    # owned it where the backup was taken. One transaction: all or nothing.
    _run_pg_tool([pg_restore, "--no-owner", "--no-privileges", "--single-transaction",
                  "--exit-on-error", f"--dbname={dbname}", str(dump_file)], env)


def _drop_app_objects(conn: Connection) -> None:
    """Empties the current schema (tables, views, sequences, functions, enum and domain types,
    extensions' objects left alone), so the dump is restored onto a clean slate: a target
    migrated to a newer revision keeps no table the archive does not know."""
    quote = conn.dialect.identifier_preparer.quote
    not_from_extension = (
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"
    )
    views = conn.scalars(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') AND "
        + not_from_extension.format(oid="c.oid")
    )).all()
    for name in views:
        conn.execute(text(f"DROP VIEW IF EXISTS {quote(name)} CASCADE"))
    for kind, relkind in (("TABLE", "'r', 'p'"), ("SEQUENCE", "'S'")):
        names = conn.scalars(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            f"WHERE n.nspname = current_schema() AND c.relkind IN ({relkind}) AND "
            + not_from_extension.format(oid="c.oid")
        )).all()
        for name in names:
            conn.execute(text(f"DROP {kind} IF EXISTS {quote(name)} CASCADE"))
    functions = conn.scalars(text(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = current_schema() AND p.prokind IN ('f', 'p') AND "
        + not_from_extension.format(oid="p.oid")
    )).all()
    for signature in functions:  # regprocedure text is already quoted as needed
        conn.execute(text(f"DROP ROUTINE IF EXISTS {signature} CASCADE"))
    types = conn.scalars(text(
        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd') AND "
        + not_from_extension.format(oid="t.oid")
    )).all()
    for name in types:
        conn.execute(text(f"DROP TYPE IF EXISTS {quote(name)} CASCADE"))


# --- shared -----------------------------------------------------------------------------------

def _count_rows(conn: Connection, tables: list[str]) -> dict[str, int]:
    quote = conn.dialect.identifier_preparer.quote
    return {
        table: conn.scalar(text(f"SELECT count(*) FROM {quote(table)}")) or 0
        for table in sorted(tables) if table != ALEMBIC_TABLE
    }


def _one_revision(revisions: list[str]) -> str:
    if not revisions:
        raise BackupError(NOT_MIGRATED)
    # Several rows only while branches are unmerged; keep them all, comma-separated.
    return ",".join(revisions)
