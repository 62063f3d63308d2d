"""How much a field page costs a phone on a weak link: the gzipped bytes of everything it loads.

Serves the real app (a throwaway SQLite database with one office, one notifier and one
assignment) from a server thread, opens each field page in Debian's Chromium as the notifier,
with the service worker blocked so every request really goes over the network, and records
every response: HTML, CSS, JS (ES modules included), manifest, icons. Each body is gzipped
(level 6, as a typical web server does) and the script prints a table per page and the
JS+CSS total against the goal of 50 KB.

    python bench/page_weight.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_JS_CSS_GZ = 50_000
PASSWORD = "medir-la-pagina-1"
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Loaded:
    path: str
    kind: str
    raw: int
    gz: int


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


def measure(pages_by_user: dict[str, list[str]]) -> dict[str, list[Loaded]]:
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
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    results: dict[str, list[Loaded]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for username, pages in pages_by_user.items():
                context = browser.new_context(service_workers="block", viewport={"width": 360, "height": 800})
                page = context.new_page()
                page.goto(base + "/entrar")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url("**/campo/")
                for template in pages:
                    url = template.format(assignment=assignments[username])
                    results[f"{url} ({username})"] = _load(context, page, base, url)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def _load(context, page, base: str, url: str) -> list[Loaded]:  # type: ignore[no-untyped-def]
    loaded: list[Loaded] = []

    def record(response) -> None:  # type: ignore[no-untyped-def]
        if not response.url.startswith(base) or response.status >= 300:
            return
        body = response.body()
        path = urlsplit(response.url).path
        kind = _kind(path, response.headers.get("content-type", ""))
        loaded.append(Loaded(path, kind, len(body), len(gzip.compress(body, 6, mtime=0))))

    page.on("response", record)
    # A fresh HTTP cache for each page: its full first-visit cost.
    page.goto("about:blank")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    page.goto(base + url, wait_until="networkidle")
    page.remove_listener("response", record)
    return loaded


def report(results: dict[str, list[Loaded]]) -> bool:
    ok = True
    for url, loaded in results.items():
        print(f"\n{url}")
        print(f"  {'file':<52}{'kind':>7}{'bytes':>10}{'gzip':>9}")
        for item in sorted(loaded, key=lambda i: (i.kind, i.path)):
            print(f"  {item.path:<52}{item.kind:>7}{item.raw:>10,}{item.gz:>9,}")
        total = sum(i.gz for i in loaded)
        code = sum(i.gz for i in loaded if i.kind in ("js", "css"))
        verdict = "ok" if code <= GOAL_JS_CSS_GZ else "OVER THE GOAL"
        ok = ok and code <= GOAL_JS_CSS_GZ
        print(f"  everything: {total:,} B gz in {len(loaded)} responses")
        print(f"  JS+CSS:     {code:,} B gz (goal ≤ {GOAL_JS_CSS_GZ:,} B: {verdict})")
    return ok


FIELD_PAGES = {
    "notificador": ["/campo/", "/captura/", "/captura/diligencia?asignacion={assignment}"],
    # The executor's form; its embargo step comes on demand (below).
    "ejecutor": ["/captura/diligencia?asignacion={assignment}"],
}
# Loaded only when an executor's diligence becomes an embargo, and when a seal is read (all
# precached for offline use): not part of any page's first load, printed so their cost shows.
ON_DEMAND = {
    "the embargo step": ["js/capture/seizure.js", "js/capture/seals.js"],
    "reading a seal": ["js/capture/scan.js", "vendor/jsqr-1.4.0/jsQR.js"],
}


def report_on_demand() -> None:
    for when, names in ON_DEMAND.items():
        print(f"\nloaded on demand ({when})")
        for name in names:
            body = (ROOT / "static" / name).read_bytes()
            gz = len(gzip.compress(body, 6, mtime=0))
            print(f"  /static/{name:<44}{'js':>7}{len(body):>10,}{gz:>9,}")


if __name__ == "__main__":
    ok = report(measure(FIELD_PAGES))
    report_on_demand()
    sys.exit(0 if ok else 1)
