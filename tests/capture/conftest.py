"""Fixtures of the capture tests: the real app served by a real server thread on 127.0.0.1 (a
secure context, so service workers run without TLS), which can be stopped and started again on
the same port (the only reliable dead network across a browser restart, see
../shared/recipes/browser-tests.md), a switch that cuts photo uploads halfway, and a phone:
Debian's Chromium with a persistent profile, the office's time zone, fake GPS and a clock set
to a chosen moment of the office's day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, BrowserType, Page, expect

from fieldapp.extensions import db
from fieldapp.legal.services import field_pack_for
from fieldapp.offices.services import office_today
from fieldapp.seals.services import issue_sheet
from tests.conftest import PASSWORD
from tests.live import ARTIFACTS, SCREENSHOTS, LiveServer, screenshot  # noqa: F401 (used by the tests)

PHONE = {"width": 360, "height": 800}
TZ = "America/Mexico_City"
ADDRESS_AT = (20.6767, -103.3475)


def business_moment(office: Any, at: time, after: date | None = None) -> datetime:
    """The first business day of the office's pack after `after` (default: today), at `at`."""
    today = office_today(office)
    pack = field_pack_for(office, today)
    closed = {d["date"] for d in pack["non_business_days"]}
    day = (after or today) + timedelta(days=1)
    while day.weekday() >= 5 or day.isoformat() in closed:
        day += timedelta(days=1)
    return datetime.combine(day, at, tzinfo=ZoneInfo(TZ))


CLOCK_SCRIPT = """
(() => {
  const shift = %d;
  const RealDate = Date;
  class PhoneDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(RealDate.now() + shift); else super(...args); }
    static now() { return RealDate.now() + shift; }
  }
  globalThis.Date = PhoneDate;
})();
"""


@dataclass
class Phone:
    """A field user's phone: a persistent Chromium profile that survives restarts."""

    browser_type: BrowserType
    launch_args: dict[str, Any]
    profile: Path
    server: LiveServer
    moment: datetime | None = None
    context: BrowserContext | None = None

    def open(self, offline: bool = False) -> Page:
        options: dict[str, Any] = {
            "viewport": PHONE, "timezone_id": TZ, "locale": "es-MX", "offline": offline,
            # A stock Chrome grants Background Sync; a fresh headless profile denies it.
            "permissions": ["geolocation", "background-sync"],
            "geolocation": {"latitude": ADDRESS_AT[0] + 0.0002, "longitude": ADDRESS_AT[1],
                            "accuracy": 12},
        }
        self.context = self.browser_type.launch_persistent_context(
            str(self.profile), **self.launch_args, **options)
        if self.moment is not None:
            shift_ms = int((self.moment.timestamp() - datetime.now().timestamp()) * 1000)
            self.context.add_init_script(CLOCK_SCRIPT % shift_ms)
        self.context.set_default_timeout(20_000)
        # What the phone's pages print lands in the server's log, kept when a test fails.
        self.context.on("console", lambda message: self.server.log.info(
            "phone console %s: %s", message.type, message.text))
        self.context.on("weberror", lambda error: self.server.log.error(
            "phone page error: %s", error.error))
        return self.context.pages[0] if self.context.pages else self.context.new_page()

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
            self.context = None

    def login(self, page: Page, username: str) -> None:
        page.goto(self.server.url + "/entrar")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/campo/")

    def enroll(self, page: Page) -> None:
        page.goto(self.server.url + "/captura/")
        page.click("#enroll-form button[type=submit]")  # one tap: the session vouches for the user
        expect(page.locator("#enroll")).to_be_hidden()
        expect(page.locator("#assignments-note")).to_contain_text("Lista descargada")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")


@pytest.fixture
def phone(browser_type: BrowserType, browser_type_launch_args: dict[str, Any], tmp_path: Path,
          live_server: LiveServer) -> Iterator[Phone]:
    device = Phone(browser_type, browser_type_launch_args, tmp_path / "profile", live_server)
    yield device
    device.close()


@pytest.fixture
def executor_with_seals(factory):
    """An executor with one execution order (one credit of $13,260.35) and four seals."""
    office = factory.office(timezone=TZ)
    supervisor = factory.user(office, role="supervisor", username="jefe1")
    executor = factory.user(office, role="executor", username="ejecutor1",
                            full_name="Ernesto Ejecutor Ruiz")
    debtor = factory.debtor(office, legal_name="Muebles del Bajío SA de CV")
    document = factory.document(debtor, kind="execution_order")
    assignment = factory.assignment(document, executor)
    sheet = issue_sheet(office, 4, actor=supervisor, executor=executor)
    db.session.commit()
    return office, executor.id, assignment.id, [s.code for s in sheet.seals]
