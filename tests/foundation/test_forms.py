"""Every form answers in Spanish, and its errors reach the screen when htmx sent it."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from flask_wtf import FlaskForm
from playwright.sync_api import Page, expect

import fieldapp
from fieldapp.auth.services import end_sessions_of
from fieldapp.extensions import db
from fieldapp.web.forms import AppForm
from tests.live import LiveServer, screenshot


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_every_form_of_the_app_speaks_spanish() -> None:
    for module in pkgutil.walk_packages(fieldapp.__path__, "fieldapp."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    forms = {f for f in _all_subclasses(FlaskForm) if f.__module__.startswith("fieldapp.")}
    assert forms, "no form found"
    outside = sorted(f"{f.__module__}.{f.__qualname__}" for f in forms
                     if not issubclass(f, AppForm))
    assert outside == [], "forms that would answer in English: derive them from AppForm"


def _log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/entrar")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "clave-segura-1")
    page.click("button[type=submit]")


@pytest.mark.browser
def test_a_refused_form_shows_its_errors_under_htmx(page: Page, live_server: LiveServer, factory) -> None:  # type: ignore[no-untyped-def]
    """The body is hx-boosted and the server answers 422: htmx must still show the errors."""
    office = factory.office()
    factory.user(office, role="admin", username="admin1")
    db.session.commit()
    _log_in(page, live_server, "admin1")
    page.goto(f"{live_server.url}/admin/usuarios/nuevo")
    page.fill("input[name=username]", "con espacio")
    page.fill("input[name=full_name]", "Ana")
    page.fill("input[name=password]", "una-clave-larga")  # (a short one: the browser stops it)
    page.click("button.primary")
    expect(page.get_by_role("alert")).to_contain_text("Sólo letras, números, punto, guion y guion bajo.")
    screenshot(page, "admin-user-form-errors")


@pytest.mark.browser
def test_an_assignment_refused_shows_why_in_its_row(page: Page, live_server: LiveServer, factory) -> None:  # type: ignore[no-untyped-def]
    office = factory.office()
    factory.user(office, role="supervisor", username="jefe1")
    factory.user(office, role="notifier", username="notificador1")
    factory.portfolio_item(office)
    db.session.commit()
    _log_in(page, live_server, "jefe1")
    page.goto(f"{live_server.url}/oficina/documentos")
    row = page.locator("article.doc-row").first
    row.locator("input[name=due_on]").fill("")
    row.get_by_role("button", name="Asignar").click()
    expect(page.locator("article.doc-row").first.get_by_role("alert")).to_contain_text(
        "No es una fecha válida.")


@pytest.mark.browser
def test_htmx_after_the_session_ended_goes_to_the_login_and_back(  # type: ignore[no-untyped-def]
        page: Page, live_server: LiveServer, factory) -> None:
    """Issue 13: the session ends (an admin reset, a logout on another device) while the page
    is open; the next htmx request must bring the whole login page, not swap it into the list,
    and logging in again comes back to the page the user was on."""
    office = factory.office()
    jefe = factory.user(office, role="supervisor", username="jefe1")
    factory.portfolio_item(office)
    db.session.commit()
    _log_in(page, live_server, "jefe1")
    page.goto(f"{live_server.url}/oficina/documentos")
    expect(page.locator("#document-rows")).to_be_visible()
    end_sessions_of(jefe, "logout")
    db.session.commit()
    page.locator("form.filters select[name=sector]").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"/entrar\?next="))
    expect(page.locator("#document-rows")).to_have_count(0)
    page.fill("input[name=username]", "jefe1")
    page.fill("input[name=password]", "clave-segura-1")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/oficina/documentos"))
    expect(page.locator("#document-rows")).to_be_visible()
