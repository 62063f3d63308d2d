"""An htmx request that fails never swaps a whole page into a fragment (issue 13, Build 2).

Every route a person uses (not the public pages nor the phone's bearer-token API) is asked as
htmx asks for a fragment: with an expired session it answers HX-Redirect to the login, which
comes back to the page the user was on; refused (403) or not found (404) it answers a short
message retargeted to the page's message area."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from fieldapp.auth.access import DEVICE, PUBLIC
from fieldapp.auth.models import ROLES
from fieldapp.web.htmx import MESSAGE_TARGET
from tests.foundation.test_access import _routes, _sample_url

PAGE = "/oficina/diligencias?estado=pendiente"


def htmx_headers(host: str = "localhost") -> dict[str, str]:
    return {"HX-Request": "true", "HX-Current-URL": f"http://{host}{PAGE}"}


def login_return(response) -> str:
    """Where the login HX-Redirect names as the page to come back to."""
    location = urlsplit(response.headers["HX-Redirect"])
    assert location.path == "/entrar"
    return parse_qs(location.query)["next"][0]


def person_routes(app):
    for rule, policy in _routes(app):
        if policy not in (PUBLIC, DEVICE):
            yield rule, policy


def methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def assert_message_fragment(response, status: int, where: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status, (where, response.status_code)
    assert "<html" not in body and "<body" not in body, where
    assert response.headers.get("HX-Retarget") == MESSAGE_TARGET, where
    assert response.headers.get("HX-Reswap") == "innerHTML", where
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"], where


@pytest.fixture
def people(factory):
    office = factory.office()
    return {role: factory.user(office, role=role, username=f"{role}-h") for role in ROLES}


def test_an_expired_session_sends_htmx_to_the_login_and_back_to_the_page(app, client):
    checked = 0
    for rule, _policy in person_routes(app):
        url = _sample_url(rule)
        for method in methods(rule):
            response = client.open(url, method=method, headers=htmx_headers())
            where = (method, url)
            assert response.status_code == 401, (where, response.status_code)
            assert login_return(response) == PAGE, where
            assert response.get_data(as_text=True) == "", where
            checked += 1
    assert checked > 60


def test_a_boosted_navigation_with_an_expired_session_comes_back_to_its_own_page(client):
    response = client.get("/oficina/", headers={**htmx_headers(), "HX-Boosted": "true"})
    assert response.status_code == 401
    assert login_return(response) == "/oficina/"


def test_a_page_of_another_origin_is_not_where_the_login_returns(client):
    response = client.get("/oficina/", headers=htmx_headers("evil.example"))
    assert login_return(response) == "/"


def test_a_refused_htmx_request_shows_a_message_not_a_page(app, client, auth, people):
    checked = 0
    routes = list(person_routes(app))
    for role in ROLES:  # one login per role: password hashing is slow on purpose
        auth.login(f"{role}-h")
        for rule, policy in routes:
            if role in policy:
                continue
            url = _sample_url(rule)
            for method in methods(rule):
                response = client.open(url, method=method, headers=htmx_headers())
                assert_message_fragment(response, 403, (role, method, url))
                assert "No tiene permiso" in response.get_data(as_text=True)
                checked += 1
        auth.logout()
    assert checked > 100


def _missing_record_url(rule) -> str:
    """The rule's URL naming records that do not exist: a number, a text id or a file hash."""
    url = rule.rule
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        value = ("987654" if kind == "IntegerConverter" else "f" * 64 if "sha" in name
                 else "00000000-0000-4000-8000-00000000dead")
        url = re.sub(rf"<[^>]*\b{name}>", value, url)
    return url


def test_a_missing_record_asked_by_htmx_shows_a_message_not_a_page(app, client, auth, people):
    """Every route naming a record (by number or by text id), GET and POST, asked for one that
    does not exist: loaded (404) before its form is read."""
    checked: set[tuple[str, str]] = set()
    for rule, policy in person_routes(app):
        if not rule.arguments:
            continue
        url = _missing_record_url(rule)
        text_id = any(type(c).__name__ != "IntegerConverter" for c in rule._converters.values())
        auth.login(f"{sorted(policy)[0]}-h")
        for method in methods(rule):
            response = client.open(url, method=method, headers=htmx_headers())
            assert_message_fragment(response, 404, (method, url))
            checked.add((method, "text" if text_id else "number"))
        auth.logout()
    assert checked == {("GET", "number"), ("GET", "text"), ("POST", "number"), ("POST", "text")}


def test_an_expired_form_token_on_htmx_is_a_message(app, client, auth, people):
    auth.login("supervisor-h")
    posts = [_sample_url(rule) for rule, policy in person_routes(app)
             if "POST" in rule.methods and "supervisor" in policy]
    app.config["WTF_CSRF_ENABLED"] = True  # the test app turns it off; the real one never does
    try:
        response = client.post(posts[0], headers=htmx_headers())
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert_message_fragment(response, 400, posts[0])
    assert "El formulario expiró" in response.get_data(as_text=True)


def test_the_message_area_is_on_every_office_page(client, auth, people):
    auth.login("supervisor-h")
    page = client.get("/oficina/").get_data(as_text=True)
    assert f'id="{MESSAGE_TARGET[1:]}"' in page
