"""How much the field app costs a phone on a weak link: the bytes the server really sends.

Serves the real app (a throwaway SQLite database with one office, a notifier and an executor,
each with an assignment) from a server thread behind a WSGI wrapper that counts every byte of
every answer as it leaves the app — status line, headers and body as served (brotli or gzip
when the browser asked for it) — and opens the field pages in Debian's Chromium as the field
users, each page in a fresh context with an empty HTTP cache. Three figures, against issue
17's goals:

- first visit of each field page, service worker blocked: JS+CSS on the wire (goal ≤ 50 KB);
- the offline install, per role: a fresh phone opens /captura/ as a notifier, and as an
  executor, and the service worker precaches the common shell (static files, offline page,
  field pages) and the role's extra (the executor's embargo step and seal scan, with jsQR):
  everything served until the page says the phone is ready to work offline, i.e. the worker
  is active and holds the role's extra (goal ≤ 80 KB for each role);
- a repeat visit of each page in the same context: JS+CSS served (goal 0 bytes: the static URLs
  carry their content's digest and are cached as immutable).

    python bench/page_weight.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_PAGE_JS_CSS = 50_000
GOAL_OFFLINE_INSTALL = 80_000
PASSWORD = "medir-la-pagina-1"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Served:
    path: str
    kind: str
    encoding: str
    wire: int  # status line, headers and body as sent


class CountingApp:
    """WSGI wrapper: every answer's bytes as the app sends them, by path, in order."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.served: list[Served] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        seen: dict[str, Any] = {}

        def counting_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["head"] = len(f"HTTP/1.1 {status}\r\n") + 2 + sum(len(k) + len(v) + 4 for k, v in headers)
            seen["headers"] = {k.lower(): v for k, v in headers}
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, counting_start))
        headers = seen["headers"]
        with self.lock:
            path = environ["PATH_INFO"]
            self.served.append(Served(path, _kind(path, headers.get("content-type", "")),
                                      headers.get("content-encoding", "-"), seen["head"] + len(body)))
        return [body]

    def take(self) -> list[Served]:
        with self.lock:
            out, self.served = self.served, []
        return out




def _seed() -> dict[str, int]:
    """One office, a notifier with a document to notify and an executor with an execution
    order (the executor's form also loads the embargo step); assignment id per username."""
    from fieldapp.assignments.models import Assignment
    from fieldapp.auth.models import User
    from fieldapp.extensions import db
    from fieldapp.offices.models import Office
    from fieldapp.portfolio.models import Address, Credit, Debtor, Document, EmployerRegistration

    office = Office(code="0101", name="Subdelegación Guadalajara", state="Jalisco",
                    timezone="America/Mexico_City")
    db.session.add(office)
    db.session.flush()
    user = User(office=office, username="notificador", full_name="Persona Notificadora",
                role="notifier", credential_number="CRED-1", credential_issued_on=date(2026, 1, 2),
                credential_valid_until=date(2026, 12, 31), credential_issuer="Titular")
    user.set_password(PASSWORD)
    debtor = Debtor(office=office, legal_name="Empresa de Prueba SA de CV", person_type="company",
                    rfc="EPR900101AB1")
    debtor.registrations.append(EmployerRegistration(number="A0000000001"))
    address = Address(debtor=debtor, origin="fiscal", street="Av. Juárez", exterior_number="100",
                      neighborhood="Centro", municipality="Guadalajara", state="Jalisco",
                      postal_code="44100", latitude=20.6767, longitude=-103.3475)
    credit = Credit(office_id=office.id, debtor=debtor, credit_number="000000001", concept="cop",
                    period="2026-03", principal=Decimal("12500.00"),
                    inflation_adjustment=Decimal("310.25"), surcharges=Decimal("450.10"),
                    issued_on=date(2026, 4, 15))
    document = Document(office_id=office.id, debtor=debtor, address=address,
                        kind="liquidation_certificate", folio="F-0000001",
                        issuing_authority="Subdelegación", issued_on=date(2026, 4, 15))
    document.credits.append(credit)
    assignment = Assignment(office_id=office.id, document=document, user=user, due_on=date(2026, 12, 31))
    executor = User(office=office, username="ejecutor", full_name="Persona Ejecutora", role="executor",
                    credential_number="CRED-2", credential_issued_on=date(2026, 1, 2),
                    credential_valid_until=date(2026, 12, 31), credential_issuer="Titular")
    executor.set_password(PASSWORD)
    order = Document(office_id=office.id, debtor=debtor, address=address, kind="execution_order",
                     folio="M-0000001", issuing_authority="Subdelegación", issued_on=date(2026, 4, 15))
    order.credits.append(credit)
    seizure_work = Assignment(office_id=office.id, document=order, user=executor, due_on=date(2026, 12, 31))
    db.session.add_all([user, debtor, address, credit, document, assignment, executor, order, seizure_work])
    db.session.commit()
    return {"notificador": assignment.id, "ejecutor": seizure_work.id}


def _kind(path: str, content_type: str) -> str:
    if path.endswith(".js") or "javascript" in content_type:
        return "js"
    if path.endswith(".css") or "css" in content_type:
        return "css"
    if "html" in content_type:
        return "html"
    if content_type.startswith("image/"):
        return "image"
    return content_type.split(";")[0] or "other"


def _login(context: Any, base: str, username: str) -> Any:
    page = context.new_page()
    page.goto(base + "/entrar")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/campo/")
    return page


def _fresh_cache(context: Any, page: Any) -> None:
    page.goto("about:blank")
    context.new_cdp_session(page).send("Network.clearBrowserCache")


@dataclass
class Results:
    first: dict[str, list[Served]]
    repeat: dict[str, list[Served]]
    install: dict[str, list[Served]]  # by username


def measure(pages_by_user: dict[str, list[str]]) -> Results:
    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    from fieldapp import create_app

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: object, **kwargs: object) -> None:
            pass

    work = Path(tempfile.mkdtemp(prefix="page-weight-"))
    app = create_app({"FIELDAPP_ENV": "test", "SECRET_KEY": "bench",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}",
                      "MEDIA_ROOT": str(work / "media")})
    with app.app_context():
        upgrade()
        assignments = _seed()
    counted = CountingApp(app)
    server = make_server("127.0.0.1", 0, counted, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    results = Results({}, {}, {})
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for username, pages in pages_by_user.items():
                for template in pages:
                    url = template.format(assignment=assignments[username])
                    label = f"{url} ({username})"
                    context = browser.new_context(service_workers="block",
                                                  viewport={"width": 360, "height": 800})
                    page = _login(context, base, username)
                    _fresh_cache(context, page)
                    counted.take()
                    page.goto(base + url, wait_until="networkidle")
                    results.first[label] = counted.take()
                    page.goto("about:blank")
                    page.goto(base + url, wait_until="networkidle")
                    results.repeat[label] = counted.take()
                    context.close()
            for username in pages_by_user:
                context = browser.new_context(viewport={"width": 360, "height": 800})
                page = _login(context, base, username)
                _fresh_cache(context, page)
                counted.take()
                page.goto(base + "/captura/", wait_until="networkidle")
                # ui.js marks the page once the worker is active and holds the role's extra.
                page.wait_for_selector("html[data-offline=ready]", state="attached", timeout=60_000)
                page.wait_for_load_state("networkidle")
                results.install[username] = counted.take()
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def _code(served: list[Served]) -> int:
    return sum(s.wire for s in served if s.kind in ("js", "css"))


def _table(title: str, served: list[Served]) -> None:
    print(f"\n{title}")
    print(f"  {'path':<58}{'kind':>6}{'encoding':>10}{'wire':>9}")
    for item in sorted(served, key=lambda i: (i.kind, i.path)):
        print(f"  {item.path[-58:]:<58}{item.kind:>6}{item.encoding:>10}{item.wire:>9,}")
    print(f"  everything: {sum(s.wire for s in served):,} B in {len(served)} answers; "
          f"JS+CSS {_code(served):,} B")


def report(results: Results) -> bool:
    ok = True
    for label, served in results.first.items():
        _table(f"first visit: {label}", served)
        verdict = "ok" if _code(served) <= GOAL_PAGE_JS_CSS else "OVER THE GOAL"
        ok = ok and _code(served) <= GOAL_PAGE_JS_CSS
        print(f"  goal JS+CSS ≤ {GOAL_PAGE_JS_CSS:,} B: {verdict}")
    print("\nrepeat visit (same browser, its HTTP cache kept): JS+CSS served")
    for label, served in results.repeat.items():
        print(f"  {label:<60}{_code(served):>9,} B   ({len(served)} answers, "
              f"{sum(s.wire for s in served):,} B in all)")
        ok = ok and _code(served) == 0
    totals = {}
    for username, served in results.install.items():
        _table(f"offline install ({username}): a fresh phone opens /captura/ until it is ready "
               "offline (worker active, the role's extra cached)", served)
        totals[username] = sum(s.wire for s in served)
        verdict = "ok" if totals[username] <= GOAL_OFFLINE_INSTALL else "OVER THE GOAL"
        print(f"  goal ≤ {GOAL_OFFLINE_INSTALL:,} B: {verdict}")
    print("\noffline install per role")
    for username, total in totals.items():
        print(f"  {username:<14}{total:>9,} B  ({total / 1024:.1f} KiB)")
    return ok and all(total <= GOAL_OFFLINE_INSTALL for total in totals.values())


FIELD_PAGES = {
    "notificador": ["/campo/", "/captura/", "/captura/diligencia?asignacion={assignment}"],
    # The executor's form; its embargo step and the QR decoder come on demand (the executor's
    # precached extra).
    "ejecutor": ["/captura/diligencia?asignacion={assignment}"],
}


if __name__ == "__main__":
    sys.exit(0 if report(measure(FIELD_PAGES)) else 1)
