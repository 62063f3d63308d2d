"""Sync ingest benchmark: N simulated phones push diligence records and upload photos over
real HTTP to a real server (gunicorn, several workers) on a fresh PostgreSQL database.

    python bench/sync_ingest.py
    python bench/sync_ingest.py --phones 8 --batches 10 --batch-size 50 --photos 320 --workers 4

Two phases, each timed from the first request to the last answer:
1. records: every phone pushes its batches (clean citatorios, each listing a façade photo and a
   signature) → diligences/s and the p95 latency of a batch;
2. photos: the phones upload the 1600 px JPEG façade photos of the first records → photos/s.

Bytes on the wire ÷ payload bytes: every byte of every request and answer (request line,
headers, bodies as sent, gzip where used) over the bytes the phones had to deliver (the records'
JSON and the photos). Goals on this 2-core machine: ≥ 500 diligences/s, ≥ 50 photos/s, ≤ 1.05.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import http.client
import io
import json
import os
import random
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
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
from fieldapp.assignments.models import Assignment  # noqa: E402
from fieldapp.auth.models import User  # noqa: E402
from fieldapp.devices.services import enroll_device  # noqa: E402
from fieldapp.diligences.records import content_hash, format_timestamp  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.offices.models import Office  # noqa: E402
from fieldapp.portfolio.models import Address, Credit, Debtor, Document  # noqa: E402
from tests.sync.helpers import CITATORIO_FACTS  # noqa: E402

GOALS = {"diligences_per_s": 500, "photos_per_s": 50, "wire_ratio": 1.05}
API = "/api/sync/v1"


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
class Phone:
    token: str
    assignments: list[int]
    batches: list[bytes] = field(default_factory=list)  # request bodies as sent
    payload_bytes: int = 0
    photos: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class Tally:
    wire: int = 0
    payload: int = 0
    latencies: list[float] = field(default_factory=list)
    accepted: int = 0
    stored_photos: int = 0
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


# Data -----------------------------------------------------------------------------------------

def photo(seed: int) -> bytes:
    """A 1600×1200 JPEG at quality 70, as the phone sends: smooth shapes and some texture
    (about the size of a downscaled phone photo)."""
    rng = random.Random(seed)
    base = Image.effect_noise((200, 150), 40).convert("RGB").resize((1600, 1200), Image.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(12):
        x, y = rng.randrange(1600), rng.randrange(1200)
        draw.rectangle((x, y, x + rng.randrange(80, 500), y + rng.randrange(60, 400)),
                       fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    grain = Image.effect_noise((1600, 1200), 12).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, grain, 0.15).save(out, "JPEG", quality=70)
    return out.getvalue()


def signature(seed: int) -> bytes:
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    points = [(rng.randrange(600), rng.randrange(200)) for _ in range(12)]
    draw.line(points, fill=0, width=3)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def record(assignment_id: int, previous: str | None, facade: bytes, sign: bytes) -> dict[str, Any]:
    body = {
        "id": str(uuid.uuid4()), "kind": "citatorio", "assignment_id": assignment_id,
        "captured_at": "2026-03-10T18:41:07.250Z",
        "gps": {"latitude": 20.6767 + random.random() / 1000, "longitude": -103.3475,
                "accuracy_m": 8.0, "fix_at": "2026-03-10T17:56:02.000Z"},
        "facts": CITATORIO_FACTS,
        "media": [{"sha256": hashlib.sha256(facade).hexdigest(), "bytes": len(facade),
                   "type": "image/jpeg", "role": "facade"},
                  {"sha256": hashlib.sha256(sign).hexdigest(), "bytes": len(sign),
                   "type": "image/png", "role": "signature"}],
        "previous_hash": previous, "replaces": None,
    }
    body["content_hash"] = content_hash(body)
    return body


def seed(url: str, phones: int, assignments_each: int, media_root: str) -> list[Phone]:
    app = create_app({"FIELDAPP_ENV": "development", "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "bench", "MEDIA_ROOT": media_root})
    with app.app_context():
        upgrade()
        office = Office(code="BENCH", name="Subdelegación de prueba", state="Jalisco")
        db.session.add(office)
        db.session.flush()
        password_hash = User(username="x", full_name="x", role="notifier", office=office)
        password_hash.set_password("clave-segura-1")
        out = []
        for p in range(phones):
            user = User(office=office, username=f"notificador{p}", full_name=f"Notificador {p}",
                        role="notifier", password_hash=password_hash.password_hash,
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
            out.append(Phone(token=token, assignments=ids))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return out


# The server ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(url: str, media_root: str, workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "FIELDAPP_ENV": "production", "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "DATABASE_URL": url, "MEDIA_ROOT": media_root}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
         "-k", "gthread", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "fieldapp:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None:
                message = process.stderr.read().decode() if process.stderr else "gunicorn died"
                raise RuntimeError(message) from None
            time.sleep(0.2)
    # Every worker imports the app lazily on its first request: warm them all up.
    for _ in range(workers * 3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", f"{API}/openapi.json")
        conn.getresponse().read()
        conn.close()
    return process, port


def cpu_seconds() -> dict[str, float]:
    """CPU time used so far by gunicorn, PostgreSQL and everything else on the machine."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"gunicorn": 0.0, "postgres": 0.0, "other": 0.0}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = (int(fields[11]) + int(fields[12])) / tick
        kind = ("gunicorn" if b"gunicorn" in cmdline else
                "postgres" if cmdline.startswith(b"postgres") else "other")
        out[kind] += used
    return out


def cpu_share(before: dict[str, float], after: dict[str, float]) -> str:
    return ", ".join(f"{k} {after[k] - before[k]:.1f} s" for k in before)


# Phases -------------------------------------------------------------------------------------

def push_phase(port: int, phones: list[Phone], use_gzip: bool, tally: Tally) -> float:
    def run(phone: Phone) -> None:
        conn = CountingConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {phone.token}", "Content-Type": "application/json",
                   "Accept-Encoding": "gzip"}
        if use_gzip:
            headers["Content-Encoding"] = "gzip"
        for body in phone.batches:
            started = time.perf_counter()
            status, answer, wire = request(conn, "POST", f"{API}/push", body, headers)
            elapsed = time.perf_counter() - started
            results = json.loads(answer)["results"] if status == 200 else []
            with tally.lock:
                tally.wire += wire
                tally.latencies.append(elapsed)
                tally.accepted += sum(r["status"] == "accepted" for r in results)
                if status != 200:
                    tally.errors.append(f"push {status}: {answer[:200]!r}")
        conn.close()

    return _timed(run, phones)


def photo_phase(port: int, phones: list[Phone], tally: Tally) -> float:
    def run(phone: Phone) -> None:
        conn = CountingConnection("127.0.0.1", port, timeout=120)
        for sha, data in phone.photos:
            headers = {"Authorization": f"Bearer {phone.token}", "Content-Type": "image/jpeg"}
            status, answer, wire = request(conn, "PUT", f"{API}/media/{sha}", data, headers)
            with tally.lock:
                tally.wire += wire
                tally.stored_photos += status == 201
                if status not in (200, 201):
                    tally.errors.append(f"media {status}: {answer[:200]!r}")
        conn.close()

    return _timed(run, phones)


def _timed(run: Any, phones: list[Phone]) -> float:
    threads = [threading.Thread(target=run, args=(p,)) for p in phones]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=8)
    parser.add_argument("--batches", type=int, default=10, help="batches per phone")
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--photos", type=int, default=320, help="JPEG photos uploaded in phase 2")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-gzip", action="store_true", help="send push bodies uncompressed")
    parser.add_argument("--pg-url", default=os.environ.get("FIELDAPP_TEST_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432"))
    args = parser.parse_args()

    name = f"bench_sync_{os.getpid()}"
    admin = create_engine(f"{args.pg_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{args.pg_url}/{name}"
    workdir = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    media_root = str(workdir / "media")
    server = None
    try:
        print(f"seeding {args.phones} phones on {name} …", flush=True)
        phones = seed(url, args.phones, 20, media_root)
        print("making photos and batches …", flush=True)
        per_phone_photos = -(-args.photos // args.phones)
        for p, phone in enumerate(phones):
            previous = None
            for b in range(args.batches):
                records = []
                for r in range(args.batch_size):
                    n = (p * args.batches + b) * args.batch_size + r
                    first = b == 0 and r < per_phone_photos
                    facade = photo(n) if first else f"facade-{n}".encode()
                    rec = record(phone.assignments[n % len(phone.assignments)], previous, facade,
                                 f"signature-{n}".encode() if not first else signature(n))
                    previous = rec["content_hash"]
                    records.append(rec)
                    if first:
                        phone.photos.append((rec["media"][0]["sha256"], facade))
                body = json.dumps({"device_time": format_timestamp(datetime.now(UTC)),
                                   "records": records}, ensure_ascii=False).encode()
                phone.payload_bytes += len(body)
                phone.batches.append(body if args.no_gzip else gzip.compress(body, 6))
        payload = sum(p.payload_bytes for p in phones) + sum(len(d) for p in phones for _, d in p.photos)
        print(f"starting gunicorn ({args.workers} workers × {args.threads} threads) …", flush=True)
        server, port = start_gunicorn(url, media_root, args.workers, args.threads)
        tally = Tally(payload=payload)
        load_before = os.getloadavg()[0]
        cpu0 = cpu_seconds()
        push_seconds = push_phase(port, phones, not args.no_gzip, tally)
        cpu1 = cpu_seconds()
        photo_seconds = photo_phase(port, phones, tally) if any(p.photos for p in phones) else 0.0
        cpu2 = cpu_seconds()
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    diligences = args.phones * args.batches * args.batch_size
    photos = sum(len(p.photos) for p in phones)
    rate_d = tally.accepted / push_seconds
    rate_p = tally.stored_photos / photo_seconds if photo_seconds else 0.0
    ratio = tally.wire / tally.payload
    jpeg_kb = statistics.mean([len(d) for p in phones for _, d in p.photos] or [0]) / 1024
    print()
    print(f"phones {args.phones}, batches of {args.batch_size}, gunicorn {args.workers}×{args.threads}, "
          f"PostgreSQL, push bodies {'plain' if args.no_gzip else 'gzip'}")
    print(f"diligences      {tally.accepted}/{diligences} accepted in {push_seconds:.1f} s")
    print(f"diligences/s    {rate_d:8.0f}   (goal ≥ {GOALS['diligences_per_s']})")
    print(f"p95 batch       {p95(tally.latencies) * 1000:8.0f} ms (median "
          f"{statistics.median(tally.latencies) * 1000:.0f} ms)")
    print(f"photos          {tally.stored_photos}/{photos} stored in {photo_seconds:.1f} s "
          f"(JPEG 1600×1200, mean {jpeg_kb:.0f} KB)")
    print(f"photos/s        {rate_p:8.1f}   (goal ≥ {GOALS['photos_per_s']})")
    print(f"wire ÷ payload  {ratio:8.3f}   (goal ≤ {GOALS['wire_ratio']}; {tally.wire:,} / "
          f"{tally.payload:,} bytes)")
    print(f"CPU, records phase: {cpu_share(cpu0, cpu1)}; photos phase: {cpu_share(cpu1, cpu2)}")
    print(f"load average before the run: {load_before:.2f} ({os.cpu_count()} cores)")
    for error in tally.errors[:5]:
        print("error:", error)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
