"""Sync ingest benchmark: 8 simulated phones send what a notifier's phone sends — records in the
phone's batches of 20, each with its photos and signature — over real HTTP to the app as
`fieldapp serve` runs it (gunicorn) on a fresh PostgreSQL database, then every stored record and
file is read back and checked against what was sent.

    python bench/sync_ingest.py              # an empty store, then one of 1,000,000 diligences
    python bench/sync_ingest.py --quick      # the empty store only
    python bench/sync_ingest.py --profile    # also a cProfile of the server side, in process

What each phone sends, as static/js/capture/sync.js does: `POST /push` with up to 20 records
(JSON.stringify: compact UTF-8 JSON, gzip-compressed by CompressionStream, `Content-Encoding:
gzip`), then `PUT /media/<sha256>` of each file those records name, one after the other. Each
record is a clean citatorio (tests/sync/helpers.py) shaped as static/js/capture/records.js
builds it (facts with their media list, warning reasons, the digest of the legal pack the
phone pulled) listing a façade photo, an evidence photo (JPEG, 1600 px long edge — the default
office setting — quality 0.7, about 250 KB, each one different) and a signature (PNG of a
pad's strokes); each record chains to the phone's previous one. A submission is a record with
all its files stored.

Two rounds, each on its own fresh database: an empty store, then a store preloaded with
1,000,000 diligences of three other offices (bench/review_list.py's one INSERT … SELECT) with
their media manifests, file rows and change-feed marks (bulk SQL too), so every index the
ingest touches is the size of a busy year. `--quick` runs the first round only.

Printed: submissions/s and photos/s (wall time from the first request to the last answer),
p50/p95 of a push and of a file PUT, bytes on the wire ÷ payload (every byte of every request
and answer — request line, headers, bodies as sent — over the JSON the phones held and their
files), and CPU seconds per submission of the server's processes (gunicorn master and workers)
and of the PostgreSQL backends connected to the benchmark's database, read from /proc. Then the
read-back: every record's row, its stored content's hash, completeness, and every file's bytes
on disk hashed again.

The machine is shared: `uptime` before and after each round is printed; figures taken while
other work runs are lower and noisier than on a quiet machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import hashlib
import http.client
import io
import json
import os
import pstats
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from PIL import Image, ImageDraw
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
from fieldapp.assignments.models import Assignment  # noqa: E402
from fieldapp.auth.models import User  # noqa: E402
from fieldapp.devices.services import enroll_device  # noqa: E402
from fieldapp.diligences.models import Diligence  # noqa: E402
from fieldapp.diligences.records import content_hash, format_timestamp  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.legal.services import field_pack_for  # noqa: E402
from fieldapp.media.models import MediaBlob  # noqa: E402
from fieldapp.offices.models import Office  # noqa: E402
from fieldapp.offices.services import office_today  # noqa: E402
from fieldapp.portfolio.models import Address, Credit, Debtor, Document  # noqa: E402
from tests.sync.helpers import CITATORIO_FACTS  # noqa: E402

# Issue 17's targets on this 2-core machine (20-record pushes, 8 phones).
GOALS = {"submissions_per_s": 75.0, "push_p95_ms": 300.0, "cpu_per_submission": 0.025}
API = "/api/sync/v1"
PHONE_BATCH = 20  # BATCH_SIZE in static/js/capture/sync.js
LONG_EDGE = 1600  # the office's default photo_long_edge
ROLES = ("facade", "evidence", "signature")  # the files of each record, in this order
PHONE_GZIP_LEVEL = 6  # CompressionStream("gzip") uses zlib's default level


# Wire accounting ------------------------------------------------------------------------------

class CountingConnection(http.client.HTTPConnection):
    """Counts every byte sent; answers are counted from their status line, headers and raw
    (still compressed) body."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    def send(self, data: Any) -> None:
        self.sent += len(data)
        super().send(data)


@dataclass
class Batch:
    body: bytes  # as sent (gzip)
    plain_bytes: int  # the JSON the phone held
    files: list[tuple[str, str, bytes]]  # (sha256, content type, bytes) the records name
    records: int
    warmup: bool = False  # sent before the clock starts, left out of every figure


@dataclass
class Phone:
    token: str
    assignments: list[int]
    pack_digest: str | None = None  # of the legal pack the phone pulled (records name it)
    batches: list[Batch] = field(default_factory=list)
    records: dict[str, str] = field(default_factory=dict)  # id → content_hash
    files: dict[str, bytes] = field(default_factory=dict)  # sha256 → bytes


@dataclass
class Tally:
    wire: int = 0
    push_times: list[float] = field(default_factory=list)
    put_times: list[float] = field(default_factory=list)
    accepted: int = 0
    stored_files: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(conn: CountingConnection, method: str, path: str, body: bytes,
            headers: dict[str, str]) -> tuple[int, bytes, int]:
    before = conn.sent
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    raw = response.read()  # http.client does not inflate: this is what crossed the wire
    head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2 + sum(
        len(k) + len(v) + 4 for k, v in response.getheaders())
    if response.getheader("Content-Encoding") == "gzip":
        raw_body = raw
        raw = gzip.decompress(raw)
        wire = conn.sent - before + head + len(raw_body)
    else:
        wire = conn.sent - before + head + len(raw)
    return response.status, raw, wire




# What the phones hold ---------------------------------------------------------------------------

def base_photos(count: int) -> list[bytes]:
    """Distinct scenes at the phone's long edge and JPEG quality (0.7): flat areas, edges and
    sensor grain, about 250 KB each like a downscaled phone photo."""
    out = []
    for seed in range(count):
        rng = random.Random(seed)
        size = (LONG_EDGE, LONG_EDGE * 3 // 4)
        image = Image.effect_noise((size[0] // 8, size[1] // 8), 50).convert("RGB")
        image = image.resize(size, Image.BICUBIC)
        draw = ImageDraw.Draw(image)
        for _ in range(30):
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            draw.rectangle((x, y, x + rng.randrange(40, 400), y + rng.randrange(30, 300)),
                           fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
        grain = Image.effect_noise(size, 30).convert("RGB")
        buffer = io.BytesIO()
        Image.blend(image, grain, 0.22).save(buffer, "JPEG", quality=70)
        out.append(buffer.getvalue())
    return out


def unique_jpeg(base: bytes, tag: str) -> bytes:
    """The same picture with a comment segment after SOI: a valid JPEG with its own hash, which
    the server decodes in full like any other."""
    comment = tag.encode()
    return base[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + base[2:]


def signature(rng: random.Random) -> bytes:
    """A signature pad's PNG (the phone's canvas, 2 px strokes on white)."""
    image = Image.new("RGB", (600, 200), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        points = [(rng.randrange(600), rng.randrange(40, 160)) for _ in range(14)]
        draw.line(points, fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def record(assignment_id: int, previous: str | None, files: list[tuple[str, str, bytes]],
           pack_digest: str | None) -> dict[str, Any]:
    """A record as recordPayload and sealRecord (static/js/capture/records.js) make it."""
    media = [{"sha256": sha, "bytes": len(data), "type": kind, "role": role}
             for (sha, kind, data), role in zip(files, ROLES, strict=True)]
    body = {
        "id": str(uuid.uuid4()), "kind": "citatorio", "assignment_id": assignment_id,
        "captured_at": "2026-03-10T18:41:07.250Z",
        "gps": {"latitude": 20.6767 + random.random() / 1000, "longitude": -103.3475,
                "accuracy_m": 8.0, "fix_at": "2026-03-10T17:56:02.000Z"},
        "facts": {**CITATORIO_FACTS, "media": [{"role": m["role"], "id": m["sha256"]} for m in media]},
        "media": media,
        "previous_hash": previous, "replaces": None,
        "warning_reasons": {}, "legal_pack_digest": pack_digest,
    }
    body["content_hash"] = content_hash(body)
    return body


def phone_json(value: Any) -> bytes:
    """JSON.stringify: no spaces, non-ASCII as UTF-8."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def prepare(phones: list[Phone], records_each: int, salt: str = "", warmup: bool = False) -> None:
    """Each phone's records in batches of PHONE_BATCH; with ``warmup``, one record more first,
    in a batch of its own, to be synced before the clock starts."""
    bases = base_photos(12)
    rng = random.Random(salt + "17")
    for p, phone in enumerate(phones):
        previous = None
        pending: list[dict[str, Any]] = []
        for r in range(records_each + warmup):
            facade = unique_jpeg(bases[(p + r) % len(bases)], f"{salt}{p}-{r}-facade")
            evidence = unique_jpeg(bases[(p + r + 5) % len(bases)], f"{salt}{p}-{r}-evidence")
            files = [(hashlib.sha256(d).hexdigest(), t, d) for d, t in
                     ((facade, "image/jpeg"), (evidence, "image/jpeg"), (signature(rng), "image/png"))]
            rec = record(phone.assignments[r % len(phone.assignments)], previous, files,
                         phone.pack_digest)
            previous = rec["content_hash"]
            phone.records[rec["id"]] = rec["content_hash"]
            phone.files.update({sha: data for sha, _, data in files})
            pending.append(rec)
            first = warmup and r == 0
            if first or len(pending) == PHONE_BATCH or r == records_each + warmup - 1:
                plain = phone_json({"device_time": format_timestamp(datetime.now(UTC)), "records": pending})
                batch_files = [(m["sha256"], m["type"], phone.files[m["sha256"]])
                               for rec_ in pending for m in rec_["media"]]
                phone.batches.append(Batch(gzip.compress(plain, PHONE_GZIP_LEVEL), len(plain),
                                           batch_files, len(pending), first))
                pending = []


# The database -----------------------------------------------------------------------------------

def seed(url: str, phones: int, assignments_each: int, media_root: str, preload: int) -> list[Phone]:
    app = create_app({"FIELDAPP_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "MEDIA_ROOT": media_root})
    with app.app_context():
        upgrade()
        if preload:
            print(f"preloading {preload:,} diligences with their files and feed marks …", flush=True)
            print(f"  {preload_store(preload):.0f} s", flush=True)
        office = Office(code="BENCH", name="Subdelegación de prueba", state="Jalisco")
        db.session.add(office)
        db.session.flush()
        digest = field_pack_for(office, office_today(office)).get("digest")  # what a pull gives
        template = User(username="x", full_name="x", role="notifier", office=office)
        template.set_password("clave-segura-1")
        out = []
        for p in range(phones):
            user = User(office=office, username=f"notificador{p}", full_name=f"Notificador {p}",
                        role="notifier", password_hash=template.password_hash,
                        credential_number=f"NOT-{p:04d}", credential_valid_until=date(2026, 12, 31))
            db.session.add(user)
            ids = []
            for a in range(assignments_each):
                debtor = Debtor(office=office, legal_name=f"Empresa {p}-{a} SA de CV",
                                person_type="company", rfc=f"B{p:03d}{a:05d}AB1")
                address = Address(debtor=debtor, origin="fiscal", street="Av. Juárez",
                                  exterior_number=str(a), neighborhood="Centro",
                                  municipality="Guadalajara", state="Jalisco", postal_code="44100")
                credit = Credit(office_id=office.id, debtor=debtor, credit_number=f"{p:03d}{a:06d}",
                                concept="cop", period="2026-01", principal=Decimal("12500.00"),
                                issued_on=date(2026, 2, 1))
                document = Document(office_id=office.id, debtor=debtor, address=address,
                                    kind="liquidation_certificate", folio=f"F-{p}-{a}",
                                    issuing_authority="Subdelegación", issued_on=date(2026, 2, 1),
                                    credits=[credit])
                assignment = Assignment(office_id=office.id, document=document, user=user,
                                        due_on=date(2026, 12, 31))
                db.session.add(assignment)
                db.session.flush()
                ids.append(assignment.id)
            token = enroll_device(user, f"Teléfono {p}", via="password").token
            out.append(Phone(token=token, assignments=ids, pack_digest=digest))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


# What the review bench's generator leaves out and the ingest touches: each diligence's media
# manifest (façade and signature), the files' rows, and the change-feed marks of its user.
PRELOAD_FILES = (
    """INSERT INTO diligence_media (diligence_id, position, sha256, bytes, content_type, role)
       SELECT d.id, f.position, encode(sha256(convert_to(f.role || d.id, 'UTF8')), 'hex'),
              f.bytes, f.content_type, f.role
       FROM diligences d CROSS JOIN (VALUES (0, 'facade', 'image/jpeg', 270000),
                                            (1, 'signature', 'image/png', 5000))
            AS f(position, role, content_type, bytes)""",
    """INSERT INTO media_blobs (sha256, content_type, bytes, width, height, stored_at)
       SELECT sha256, content_type, bytes, CASE role WHEN 'facade' THEN 1600 ELSE 600 END,
              CASE role WHEN 'facade' THEN 1200 ELSE 200 END, now()
       FROM diligence_media ON CONFLICT DO NOTHING""",
    """INSERT INTO feed_marks (entity, entity_id, user_id, seq)
       SELECT 'diligence', id, user_id, 1 FROM diligences ON CONFLICT DO NOTHING""",
)


def preload_store(rows: int) -> float:
    """``rows`` diligences of other offices, as bulk SQL (in the current app context)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import review_list  # the review bench's million diligences, in three other offices

    started = time.perf_counter()
    review_list.build(rows)
    for statement in PRELOAD_FILES:
        db.session.execute(text(statement))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def read_back(url: str, media_root: str, phones: list[Phone]) -> list[str]:
    """Every record and file as stored, checked against what the phones sent."""
    app = create_app({"FIELDAPP_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "MEDIA_ROOT": media_root})
    problems: list[str] = []
    with app.app_context():
        sent = {rid: h for phone in phones for rid, h in phone.records.items()}
        stored = {d.id: d for d in db.session.scalars(
            select(Diligence).where(Diligence.id.in_(list(sent))))}
        for rid, expected in sent.items():
            d = stored.get(rid)
            if d is None:
                problems.append(f"record {rid} not stored")
            elif d.content_hash != expected or content_hash(d.content) != expected:
                problems.append(f"record {rid}: stored content does not give the phone's hash")
            elif not d.complete:
                problems.append(f"record {rid}: not complete")
        files = {sha: data for phone in phones for sha, data in phone.files.items()}
        rows = {b.sha256: b for b in db.session.scalars(
            select(MediaBlob).where(MediaBlob.sha256.in_(list(files))))}
        for sha, data in files.items():
            path = Path(media_root) / sha[:2] / sha
            if sha not in rows or rows[sha].bytes != len(data):
                problems.append(f"file {sha[:12]}: no row or wrong size")
            elif not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                problems.append(f"file {sha[:12]}: bytes on disk do not give its hash")
        db.session.remove()
        db.engine.dispose()
    return problems


# The server -------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, media_root: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    """`fieldapp serve` (gunicorn, its access log included) with production settings."""
    port = free_port()
    env = {**os.environ, "FIELDAPP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "DATABASE_URL": url, "MEDIA_ROOT": media_root, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from fieldapp.cli import main; main()", "serve", "--port", str(port),
         "--workers", str(workers), "--threads", str(threads)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else "the server died"
                raise RuntimeError(message) from None
            time.sleep(0.2)
    for _ in range(workers * 4):  # every worker imports the app and opens its pool first
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", f"{API}/openapi.json")
        conn.getresponse().read()
        conn.close()
    return process, port


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            parents[int(pid)] = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    return tree


def backends(admin: Any, name: str) -> list[int]:
    with admin.connect() as conn:
        found = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        return list(found.scalars())


@dataclass
class CpuSnapshot:
    app: dict[int, float]
    database: dict[int, float]

    @classmethod
    def take(cls, server: int, admin: Any, name: str) -> CpuSnapshot:
        return cls({pid: _cpu_of(pid) for pid in process_tree(server)},
                   {pid: _cpu_of(pid) for pid in backends(admin, name)})

    def since(self, before: CpuSnapshot) -> tuple[float, float]:
        # A backend or worker that appeared during the run counts from zero.
        app = sum(v - before.app.get(pid, 0.0) for pid, v in self.app.items())
        database = sum(v - before.database.get(pid, 0.0) for pid, v in self.database.items())
        return app, database


# The phones -------------------------------------------------------------------------------------

def sync_phone(port: int, phone: Phone, tally: Tally, ready: threading.Barrier,
               go: threading.Barrier) -> None:
    """What sync.js does for a day's records: push a batch, then PUT each file it names.
    First, untimed, what a phone did before that day: the pull after its enrollment and the
    sync of a record of its own (a server that has been running: each worker's caches warm)."""
    conn = CountingConnection("127.0.0.1", port, timeout=300)
    auth = {"Authorization": f"Bearer {phone.token}", "Accept": "application/json"}
    status, answer, _ = request(conn, "GET", f"{API}/pull", b"", {**auth, "Accept-Encoding": "gzip"})
    if status != 200:
        tally.errors.append(f"pull {status}: {answer[:300]!r}")
    warm = Tally()
    for batch in phone.batches:
        if not batch.warmup:
            continue
        sync_batch(conn, auth, batch, warm)
    tally.errors += warm.errors
    ready.wait(timeout=900)
    go.wait(timeout=900)
    for batch in phone.batches:
        if not batch.warmup:
            sync_batch(conn, auth, batch, tally)
    conn.close()


def sync_batch(conn: CountingConnection, auth: dict[str, str], batch: Batch, tally: Tally) -> None:
    headers = {**auth, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    started = time.perf_counter()
    status, answer, wire = request(conn, "POST", f"{API}/push", batch.body, headers)
    elapsed = time.perf_counter() - started
    results = json.loads(answer)["results"] if status == 200 else []
    with tally.lock:
        tally.wire += wire
        tally.push_times.append(elapsed)
        tally.accepted += sum(r["status"] == "accepted" for r in results)
        if status != 200 or any(r["status"] != "accepted" for r in results):
            tally.errors.append(f"push {status}: {answer[:300]!r}")
    for sha, kind, data in batch.files:
        started = time.perf_counter()
        status, answer, wire = request(conn, "PUT", f"{API}/media/{sha}", data,
                                       {**auth, "Content-Type": kind})
        elapsed = time.perf_counter() - started
        with tally.lock:
            tally.wire += wire
            tally.put_times.append(elapsed)
            tally.stored_files += status == 201
            if status != 201:
                tally.errors.append(f"media {status}: {answer[:300]!r}")


def run_phones(port: int, phones: list[Phone], tally: Tally,
               at_start: Any) -> tuple[float, Any]:
    """The phones' syncs, timed from when every phone has warmed up; ``at_start()`` runs just
    before the clock starts and its value is returned."""
    ready, go = threading.Barrier(len(phones) + 1), threading.Barrier(len(phones) + 1)
    threads = [threading.Thread(target=sync_phone, args=(port, p, tally, ready, go)) for p in phones]
    for t in threads:
        t.start()
    ready.wait(timeout=900)
    snapshot = at_start()
    started = time.perf_counter()
    go.wait(timeout=900)
    for t in threads:
        t.join()
    return time.perf_counter() - started, snapshot


def profile_in_process(url: str, media_root: str, phones: list[Phone], top: int) -> None:
    """cProfile of the server side of a few phones' syncs (Flask's test client, one thread, same
    database): where a submission's CPU goes inside the app, HTTP parsing aside."""
    app = create_app({"FIELDAPP_ENV": "production", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "MEDIA_ROOT": media_root})
    client = app.test_client()
    profiler = cProfile.Profile(time.process_time)  # CPU time: waits on PostgreSQL left out
    count = 0
    for n, phone in enumerate(phones):
        auth = {"Authorization": f"Bearer {phone.token}", "Accept": "application/json"}
        for batch in phone.batches:
            if n:  # the first phone warms the app up (SQL compilation caches, imports)
                profiler.enable()
                count += len(batch.files) // len(ROLES)
            client.post(f"{API}/push", data=batch.body, headers={**auth, "Content-Encoding": "gzip"},
                        content_type="application/json")
            for sha, kind, data in batch.files:
                client.put(f"{API}/media/{sha}", data=data, headers=auth, content_type=kind)
            profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\ncProfile (CPU time) of {count} submissions in process, top {top}:")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"CPU s per submission in process (cProfile's own overhead included): "
          f"{stats.total_tt / max(count, 1):.4f}")
    dump = Path(tempfile.gettempdir()) / "sync_ingest.prof"
    stats.dump_stats(dump)
    print(f"whole profile: {dump} (python -m pstats)")


# Report -----------------------------------------------------------------------------------------

def p(values: list[float], q: int) -> float:
    """The q-th percentile (q in 1…99)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100)[q - 1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def report(args: argparse.Namespace, preload: int, phones: list[Phone], tally: Tally,
           seconds: float, cpu: tuple[float, float], load: tuple[str, str],
           problems: list[str]) -> None:
    timed = [b for ph in phones for b in ph.batches if not b.warmup]
    submissions = sum(b.records for b in timed)
    files = [data for b in timed for _, _, data in b.files]
    photos = [d for d in files if d[:2] == b"\xff\xd8"]
    payload = sum(b.plain_bytes for b in timed) + sum(len(d) for d in files)
    gzipped = all(b.body[:2] == b"\x1f\x8b" for b in timed)
    app_cpu, db_cpu = cpu
    print()
    print(f"{args.phones} phones × {args.records} records, pushes of {PHONE_BATCH} "
          f"({'gzip' if gzipped else 'plain JSON'}), {len(photos)} JPEG "
          f"({statistics.mean(len(d) for d in photos) / 1024:.0f} KB mean) and "
          f"{len(files) - len(photos)} PNG signatures; fieldapp serve {args.workers}×{args.threads}; "
          f"PostgreSQL with {preload:,} diligences before")
    print(f"submissions/s      {submissions / seconds:8.1f}   (goal ≥ {GOALS['submissions_per_s']:.0f}; "
          f"{tally.accepted} records accepted, {tally.stored_files} files stored in {seconds:.1f} s)")
    print(f"photos/s           {len(photos) / seconds:8.1f}")
    print(f"push of 20         p50 {p(tally.push_times, 50) * 1000:6.0f} ms   p95 "
          f"{p(tally.push_times, 95) * 1000:6.0f} ms   (goal p95 ≤ {GOALS['push_p95_ms']:.0f} ms)")
    print(f"file PUT           p50 {p(tally.put_times, 50) * 1000:6.0f} ms   p95 "
          f"{p(tally.put_times, 95) * 1000:6.0f} ms")
    print(f"wire ÷ payload     {tally.wire / payload:8.3f}   ({tally.wire:,} / {payload:,} bytes)")
    print(f"CPU s/submission   app {app_cpu / submissions:.4f} + PostgreSQL {db_cpu / submissions:.4f} "
          f"= {(app_cpu + db_cpu) / submissions:.4f}   (goal ≤ {GOALS['cpu_per_submission']})")
    print(f"uptime before: {load[0]}")
    print(f"uptime after:  {load[1]}   ({os.cpu_count()} cores)")
    stored = sum(len(ph.records) for ph in phones), sum(len(ph.files) for ph in phones)
    print(f"read back: {stored[0]} records and {stored[1]} files (the warm-up's included) "
          + ("all as sent" if not problems else f"— {len(problems)} PROBLEMS"))
    for line in (problems + tally.errors)[:8]:
        print("  ", line)


def run_round(args: argparse.Namespace, admin: Any, preload: int) -> bool:
    """One fresh database (preloaded or not), the phones' day of work, the read-back and the
    report; True when everything was accepted and read back as sent."""
    name = f"bench_sync_{os.getpid()}_{preload}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{args.pg_url}/{name}"
    media_root = str(Path(tempfile.mkdtemp(prefix="sync-bench-")) / "media")
    server = None
    try:
        print(f"seeding {args.phones} phones on {name} …", flush=True)
        phones = seed(url, args.phones, 20, media_root, preload)
        print("making records, photos and signatures …", flush=True)
        prepare(phones, args.records, warmup=True)
        print(f"starting fieldapp serve ({args.workers} workers × {args.threads} threads) …", flush=True)
        server, port = start_server(url, media_root, args.workers, args.threads)
        tally = Tally()
        seconds, (before_load, before) = run_phones(
            port, phones, tally, lambda: (uptime(), CpuSnapshot.take(server.pid, admin, name)))
        cpu = CpuSnapshot.take(server.pid, admin, name).since(before)
        after_load = uptime()
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        server = None
        problems = read_back(url, media_root, phones)
        report(args, preload, phones, tally, seconds, cpu, (before_load, after_load), problems)
        if args.profile:
            fresh = [Phone(ph.token, ph.assignments, ph.pack_digest) for ph in phones[:3]]
            prepare(fresh, PHONE_BATCH, salt="profile-")
            profile_in_process(url, media_root, fresh, 30)
        return not problems and not tally.errors
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(60)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(Path(media_root).parent, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=8)
    parser.add_argument("--records", type=int, default=40, help="records per phone")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as fieldapp serve)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (as fieldapp serve)")
    parser.add_argument("--preload", type=int, default=1_000_000,
                        help="diligences stored before the second round")
    parser.add_argument("--quick", action="store_true", help="the empty store only (no preload)")
    parser.add_argument("--profile", action="store_true", help="then cProfile the server side in process")
    parser.add_argument("--pg-url", default=os.environ.get("FIELDAPP_TEST_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()
    admin = create_engine(f"{args.pg_url}/postgres", isolation_level="AUTOCOMMIT")
    try:
        rounds = [0] if args.quick or not args.preload else [0, args.preload]
        results = [run_round(args, admin, preload) for preload in rounds]
    finally:
        admin.dispose()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
