"""Roles on every route, deny by default, login, throttling, CSRF and security headers."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from fieldapp.auth.access import DEVICE, PUBLIC
from fieldapp.auth.models import ROLES
from fieldapp.extensions import db
from tests.conftest import PASSWORD, make_test_app

HOME = {"notifier": "/campo/", "executor": "/campo/", "supervisor": "/oficina/", "admin": "/admin/"}


def _routes(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        yield rule, getattr(view, "access_policy", None)


def _sample_url(rule) -> str:
    # Fill every URL variable with a plausible value of its converter's type.
    url = rule.rule
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        value = "1" if kind == "IntegerConverter" else "0" * 64 if "sha" in name else "x"
        url = re.sub(rf"<[^>]*\b{name}>", value, url)
    return url


def test_every_route_declares_who_may_use_it(app):
    undeclared = [rule.rule for rule, policy in _routes(app) if policy is None]
    assert undeclared == []


@pytest.fixture
def people(factory):
    office = factory.office()
    return {role: factory.user(office, role=role, username=f"{role}-a") for role in ROLES}


def test_roles_are_enforced_on_every_route(app, client, auth, people):
    """Every role-restricted route answers 403 to each role it does not name."""
    checked = 0
    restricted = [(rule, policy) for rule, policy in _routes(app) if policy not in (PUBLIC, DEVICE)]
    for role in ROLES:  # one login per role: a refused request leaves the session as it was
        auth.login(f"{role}-a")
        for rule, policy in restricted:
            if role in policy:
                continue
            url = _sample_url(rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 403, (role, method, url, response.status_code)
                checked += 1
        auth.logout()
    assert checked > 10


def test_anonymous_users_are_sent_to_login(app, client):
    for rule, policy in _routes(app):
        if policy in (PUBLIC, DEVICE) or "GET" not in rule.methods:
            continue
        response = client.get(_sample_url(rule))
        assert response.status_code == 302, rule.rule
        assert response.headers["Location"].startswith("/entrar")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_home(client, auth, people, role):
    response = auth.login(f"{role}-a")
    assert response.status_code == 302
    assert response.headers["Location"] == HOME[role]
    page = client.get(HOME[role])
    assert page.status_code == 200


def test_wrong_password_is_refused_in_spanish(client, auth, people):
    response = auth.login("notifier-a", "incorrecta")
    assert response.status_code == 401
    assert "Usuario o contraseña incorrectos" in response.get_data(as_text=True)


def test_login_is_throttled_after_repeated_failures(app, client, auth, people):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_USER"]):
        assert auth.login("notifier-a", "incorrecta").status_code == 401
    # Even the right password is refused while throttled: the guesser learns nothing.
    response = auth.login("notifier-a", PASSWORD)
    assert response.status_code == 429
    assert "Demasiados intentos" in response.get_data(as_text=True)
    assert auth.login("supervisor-a").status_code == 302  # other users are not locked out


def test_deactivated_user_loses_the_session_at_once(app, client, auth, people):
    auth.login("notifier-a")
    assert client.get("/campo/").status_code == 200
    people["notifier"].active = False
    db.session.commit()
    assert client.get("/campo/").status_code == 302


def test_logout_needs_post_and_ends_the_session(client, auth, people):
    auth.login("notifier-a")
    assert client.get("/salir").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/campo/").status_code == 302


def test_open_redirect_after_login_is_refused(client, people):
    response = client.post("/entrar?next=//evil.example/x",
                           data={"username": "notifier-a", "password": PASSWORD})
    assert response.headers["Location"] == "/campo/"


def test_forms_need_a_csrf_token(database_url, tmp_path, factory):
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/entrar", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        assert "formulario expiró" in response.get_data(as_text=True)
        page = client.get("/entrar").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/entrar", data={"username": "x", "password": "y", "csrf_token": token})
        assert response.status_code == 401
        db.session.remove()
        db.engine.dispose()


def test_security_headers_and_cookie_flags(client, people):
    response = client.get("/entrar")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    login = client.post("/entrar", data={"username": "notifier-a", "password": PASSWORD})
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_need_a_secret(monkeypatch, tmp_path):
    from fieldapp.config import ConfigError, load_config

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FIELDAPP_ENV", raising=False)
    with pytest.raises(ConfigError):
        load_config(str(tmp_path))
    config = load_config(str(tmp_path), {"SECRET_KEY": "s" * 32})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_no_inline_script_in_any_template():
    from pathlib import Path

    for path in Path("templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert " hx-on" not in text and "onclick=" not in text, path
