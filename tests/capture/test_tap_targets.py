"""Issue 16 item 7: every screen a field user or an office head uses on a phone (360×800) has
tap targets of at least 44×44 CSS px, at least 8 px apart, and no sideways scroll; the app's
manifest answers offline. A screenshot of each screen goes to test-artifacts/screenshots/tap-*.

What counts as a tap target: every visible a[href], button, input, select, textarea, summary
and [role=button]; an input inside a <label> is measured as its label, which is what the finger
hits (a 24 px checkbox inside a 60 px tall label is a 60 px target). Exempt: links inside a
sentence (WCAG 2.5.8 "inline" exception: enlarging them would break the line of text), i.e. an
inline link whose paragraph has text of its own besides its links.

Each screen's visible text is also checked for amounts not written the es-MX way ($9,020.31)
and for internal keys (snake_case codes) shown to people."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from fieldapp.assignments.services import live_assignment
from fieldapp.credits.situations import SituationIn, record_situation
from fieldapp.extensions import db
from tests.capture.conftest import PHONE, TZ, Phone, business_moment, screenshot
from tests.capture.flows import choose, open_assignment, wait_for_gps
from tests.conftest import PASSWORD
from tests.live import LiveServer, login
from tests.reports.conftest import Work, _document, work  # noqa: F401 (the office's field work)

pytestmark = pytest.mark.browser

MIN_TARGET = 44
MIN_GAP = 8

MEASURE = r"""
({minTarget, minGap}) => {
  const visible = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 0
      && box.height > 0 && el.getClientRects().length > 0 && !el.closest("[hidden], .visually-hidden");
  };
  const ownText = (block, link) => [...block.childNodes].some((n) =>
    n !== link && ((n.nodeType === Node.TEXT_NODE && n.textContent.trim())
      || (n.nodeType === Node.ELEMENT_NODE && !n.matches("a, button, br")
          && getComputedStyle(n).display === "inline" && n.textContent.trim())));
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const block = el.parentElement;
    return block && getComputedStyle(block).display !== "flex" && ownText(block, el);
  };
  const target = (el) => {
    if (el.matches("input, select, textarea")) {
      const label = el.closest("label");
      if (label) return label;
    }
    return el;
  };
  const seen = new Set();
  const controls = [];
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  for (const el of document.querySelectorAll(selector)) {
    const t = target(el);
    if (seen.has(t) || !visible(t) || (t === el && el.matches("input") && !visible(el))) continue;
    seen.add(t);
    const box = t.getBoundingClientRect();
    const name = (t.innerText || t.value || t.getAttribute("aria-label") || t.name || t.tagName)
      .trim().replace(/\s+/g, " ").slice(0, 40);
    controls.push({el: t, name, x: box.left + scrollX, y: box.top + scrollY, w: box.width,
                   h: box.height, inline: inSentence(t)});
  }
  const describe = (c) => `«${c.name}» ${Math.round(c.w)}×${Math.round(c.h)}`;
  const small = controls.filter((c) => !c.inline && (c.w < minTarget - 0.5 || c.h < minTarget - 0.5))
    .map(describe);
  const close = [];
  const measured = controls.filter((c) => !c.inline);
  for (let i = 0; i < measured.length; i++) {
    for (let j = i + 1; j < measured.length; j++) {
      const a = measured[i], b = measured[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const dx = Math.max(0, b.x - (a.x + a.w), a.x - (b.x + b.w));
      const dy = Math.max(0, b.y - (a.y + a.h), a.y - (b.y + b.h));
      const gap = Math.max(dx, dy);
      if (gap < minGap - 0.5) close.push(`${describe(a)} y ${describe(b)}: ${gap.toFixed(1)} px`);
    }
  }
  // Identifiers shown as <code> (the status export's columns, for the systems people) are
  // technical names on purpose.
  let text = document.body.innerText;
  for (const code of document.querySelectorAll("code")) text = text.replace(code.innerText, "");
  const esMX = /^\$\d{1,3}(,\d{3})*(\.\d{2})?$/;
  const badMoney = (text.match(/\$\s*\d[\d.,]*\d/g) || []).filter((m) => !esMX.test(m));
  const internalKeys = text.match(/\b[a-z]+_[a-z_]+\b/g) || [];
  return {count: controls.length, small, close, badMoney, internalKeys,
          scrollWidth: document.documentElement.scrollWidth};
}
"""


class Audit:
    """Collects the problems of every screen, so one run lists them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.screens: list[str] = []

    def check(self, page: Page, screen: str) -> None:
        page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        found: dict[str, Any] = page.evaluate(MEASURE, {"minTarget": MIN_TARGET, "minGap": MIN_GAP})
        assert found["count"] > 0, f"{screen}: no control found"
        self.screens.append(screen)
        self.problems += [f"{screen}: menor de {MIN_TARGET}×{MIN_TARGET}: {s}" for s in found["small"]]
        self.problems += [f"{screen}: a menos de {MIN_GAP} px: {c}" for c in found["close"]]
        self.problems += [f"{screen}: importe sin formato es-MX: {m}" for m in found["badMoney"]]
        self.problems += [f"{screen}: clave interna a la vista: {k}" for k in found["internalKeys"]]
        if found["scrollWidth"] > PHONE["width"]:
            self.problems.append(f"{screen}: desplazamiento lateral ({found['scrollWidth']} px)")
        screenshot(page, f"tap-{screen}")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """The office head's browser: a phone-sized window in Spanish (Mexico)."""
    return {**browser_context_args, "viewport": PHONE, "locale": "es-MX", "timezone_id": TZ}


@pytest.fixture
def audit() -> Audit:
    return Audit()


def _field_user_screens(phone: Phone, live_server: LiveServer, audit: Audit, username: str,
                        assignment_id: int, situations: list[str]) -> Page:
    page = phone.open()
    page.goto(live_server.url + "/entrar")
    audit.check(page, f"{username}-login")
    phone.login(page, username)
    audit.check(page, f"{username}-worklist")
    page.goto(f"{live_server.url}/campo/asignaciones/{assignment_id}")
    expect(page.locator("h1")).to_be_visible()
    audit.check(page, f"{username}-assignment")
    page.goto(live_server.url + "/cuenta/contrasena")
    expect(page.locator("h1")).to_be_visible()
    audit.check(page, f"{username}-password")
    page.goto(live_server.url + "/captura/")
    expect(page.locator("#enroll-form")).to_be_visible()
    audit.check(page, f"{username}-capture-enroll")
    phone.enroll(page)
    audit.check(page, f"{username}-capture-home")
    open_assignment(page, live_server, assignment_id)
    wait_for_gps(page)
    audit.check(page, f"{username}-form-arrival")
    for situation in situations:
        choose(page, situation)
        audit.check(page, f"{username}-form-{situation}")
    page.goto(live_server.url + "/captura/salir")
    expect(page.locator("h1")).to_be_visible()
    audit.check(page, f"{username}-logout")
    return page


def test_notifier_screens(factory, live_server, phone, audit, work: Work):  # noqa: F811
    assignment_id = live_assignment(factory.portfolio_item(work.office, work.people["ana"])).id
    phone.moment = business_moment(work.office, time(9, 40))
    page = _field_user_screens(phone, live_server, audit, "ana", assignment_id,
                               ["notification", "citatorio", "follow_up", "not_located"])
    # The manifest and icons are in the shell the worker precached: they answer offline.
    phone.context.set_offline(True)
    answers = page.evaluate("""async () => {
      const manifest = await fetch("/manifest.webmanifest");
      const icons = (await manifest.clone().json()).icons;
      const pngs = await Promise.all(icons.map((i) => fetch(i.src)));
      return [manifest.status, ...pngs.map((p) => p.status)];
    }""")
    assert answers == [200, 200, 200, 200]
    phone.context.set_offline(False)
    audit.assert_clean()


def test_executor_screens(factory, live_server, phone, audit, work: Work):  # noqa: F811
    debtor = factory.debtor(work.office)
    document = factory.document(debtor, factory.address(debtor, sector=work.sectors["S2"]),
                                kind="execution_order")
    assignment_id = factory.assignment(document, work.people["carla"]).id
    phone.moment = business_moment(work.office, time(12, 5))
    _field_user_screens(phone, live_server, audit, "carla", assignment_id,
                        ["payment_demand", "not_located", "seizure", "seizure_extension"])
    audit.assert_clean()


def test_office_head_screens(page: Page, live_server, audit, work: Work, factory):  # noqa: F811
    credit = work.credit("demand")
    record_situation(credit, SituationIn("payment", "partial", date(2026, 3, 20), "R-1",
                                         "Recibo de caja", amount=Decimal("9020.31")), actor=None)
    _document(factory, work.office, work.sectors["S1"], None)
    db.session.commit()
    login(page, live_server.url, "jefa", PASSWORD)
    screens = {
        "office-home": "/oficina/",
        "office-review-list": "/diligencias/",
        "office-review-page": f"/diligencias/{work.diligences['demand'].id}",
        "office-documents": "/oficina/documentos",
        "office-credits": f"/oficina/creditos/?q={credit.credit_number}",
        "office-credit": f"/oficina/creditos/{credit.id}",
        "office-reports": "/oficina/informes/",
        "office-report-productivity": "/oficina/informes/productividad?desde=2026-03-09&hasta=2026-03-13",
        "office-report-sectors": "/oficina/informes/sectores?desde=2026-03-09&hasta=2026-03-13",
        "office-report-overdue": "/oficina/informes/vencidas",
        "office-report-deadlines": "/oficina/informes/plazos",
        "office-report-prescription": "/oficina/informes/prescripcion",
        "office-report-recovery": "/oficina/informes/recuperacion?mes=2026-03",
        "office-password": "/cuenta/contrasena",
    }
    for screen, url in screens.items():
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, (screen, url)
        expect(page.locator("h1").first).to_be_visible()
        audit.check(page, screen)
    audit.assert_clean()
