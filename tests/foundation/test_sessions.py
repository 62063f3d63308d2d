"""Sessions and login throttles (issue 14): each defect reproduced as an attacker would.

1. Behind a reverse proxy every client looked like the proxy, so 20 failures by anyone locked
   the whole office out (checked through the real `fieldapp serve` gunicorn command).
2. A session cookie copied before logout kept working.
3. Guesses sent in parallel were all checked (count, then record: a race).
4. Unknown user names answered faster than known ones, and the per-user lock let a stranger
   lock a real user out from anywhere.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from fieldapp.auth.models import LoginAttempt
from fieldapp.extensions import db
from tests.conftest import PASSWORD, make_test_app
from tests.demo.test_serve import running

ENROLL = "/api/sync/v1/devices"


@pytest.fixture
def office(factory):  # type: ignore[no-untyped-def]
    return factory.office()


@pytest.fixture
def notifier(factory, office):  # type: ignore[no-untyped-def]
    return factory.user(office, role="notifier", username="ana.notifica")


def _enroll_body(username: str, password: str) -> dict[str, str]:
    return {"username": username, "password": password, "device_name": "Teléfono"}


# --- 1. the client's address behind the proxy -----------------------------------------------

def _wait_until_serving(url: str, process) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 90
    while True:
        try:
            requests.get(url + "/salud", timeout=5)
            return
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("gunicorn did not start:\n" + process.communicate()[0]) from None
            time.sleep(0.2)


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(app, database_url, notifier):
    """20 failed enrollments with made-up names from one client (as the proxy forwards them)
    throttle that client only: the office's real users, behind the same proxy, still log in
    and enroll, and the /v rate limit also counts per client."""
    env = {"DATABASE_URL": database_url, "FIELDAPP_ENV": "production", "SECRET_KEY": "s" * 32,
           "MEDIA_ROOT": app.config["MEDIA_ROOT"], "FIELDAPP_TRUSTED_PROXIES": "1"}
    with running(["serve", "--workers", "1", "--threads", "4"], env) as (port, process):
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, process)
        guesser = {"X-Forwarded-For": "203.0.113.9"}
        for n in range(app.config["LOGIN_MAX_FAILURES_PER_IP"]):
            answer = requests.post(url + ENROLL, json=_enroll_body(f"nadie{n}", "x" * 8),
                                   headers=guesser, timeout=30)
            assert answer.status_code == 401, (n, answer.text)
        answer = requests.post(url + ENROLL, json=_enroll_body("nadie", "x" * 8), headers=guesser,
                               timeout=30)
        assert answer.status_code == 429
        # A colleague behind the same proxy, from another address, is not locked out.
        colleague = {"X-Forwarded-For": "198.51.100.4"}
        answer = requests.post(url + ENROLL, json=_enroll_body("ana.notifica", PASSWORD),
                               headers=colleague, timeout=30)
        assert answer.status_code == 201, answer.text

        limit = app.config.get("ACTA_VERIFICATIONS_PER_MINUTE", 30)
        for _ in range(limit):
            assert requests.get(url + "/v/x", headers=guesser, timeout=30).status_code == 404
        assert requests.get(url + "/v/x", headers=guesser, timeout=30).status_code == 429
        assert requests.get(url + "/v/x", headers=colleague, timeout=30).status_code == 404
    addresses = set(db.session.scalars(select(LoginAttempt.ip_address)))
    assert addresses == {"203.0.113.9", "198.51.100.4"}


def test_without_a_trusted_proxy_a_forged_header_is_ignored(database_url, tmp_path, notifier):
    served = make_test_app(database_url, tmp_path)  # FIELDAPP_TRUSTED_PROXIES unset: 0
    with served.app_context():
        client = served.test_client()
        for n in range(served.config["LOGIN_MAX_FAILURES_PER_IP"]):
            client.post(ENROLL, json=_enroll_body(f"nadie{n}", "x" * 8),
                        headers={"X-Forwarded-For": f"10.0.0.{n}"})
        # A guesser cannot pose as many clients by writing the header itself.
        answer = client.post(ENROLL, json=_enroll_body("nadie", "x" * 8),
                             headers={"X-Forwarded-For": "10.9.9.9"})
        assert answer.status_code == 429
        db.session.remove()
        db.engine.dispose()


# --- 2. logout, password change and deactivation end every copy of the cookie ----------------

def _copy_of_session(app, client):  # type: ignore[no-untyped-def]
    copy = app.test_client()
    copy.set_cookie("fieldapp_session", client.get_cookie("fieldapp_session").value)
    return copy


def test_a_cookie_copied_before_logout_is_dead_after_it(app, client, auth, notifier):
    auth.login("ana.notifica")
    copy = _copy_of_session(app, client)
    assert copy.get("/campo/").status_code == 200
    auth.logout()
    assert copy.get("/campo/").status_code == 302
    assert client.get("/campo/").status_code == 302


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client, auth, notifier):
    auth.login("ana.notifica")
    other_browser = app.test_client()
    other_browser.post("/entrar", data={"username": "ana.notifica", "password": PASSWORD})
    assert other_browser.get("/campo/").status_code == 200
    answer = client.post("/cuenta/contrasena", data={
        "current_password": PASSWORD, "new_password": "otra-clave-9", "confirm": "otra-clave-9"})
    assert answer.status_code == 302
    assert client.get("/campo/").status_code == 200
    assert other_browser.get("/campo/").status_code == 302
    assert auth.logout().status_code == 302
    assert auth.login("ana.notifica", "otra-clave-9").status_code == 302


def test_a_wrong_current_password_changes_nothing(client, auth, notifier):
    auth.login("ana.notifica")
    answer = client.post("/cuenta/contrasena", data={
        "current_password": "no-es-esta", "new_password": "otra-clave-9", "confirm": "otra-clave-9"})
    assert answer.status_code == 422
    assert "La contraseña actual no es correcta." in answer.get_data(as_text=True)
    db.session.refresh(notifier)
    assert notifier.check_password(PASSWORD)


# --- 3. count and attempt are one step -------------------------------------------------------

def test_fifteen_guesses_at_once_get_only_five_password_checks(app, live_server, notifier):
    """15 threads released together guess the password of one user from one address: only
    LOGIN_MAX_FAILURES_PER_USER of them are checked, the others are refused unchecked."""
    start = threading.Barrier(15)

    def guess(n: int) -> int:
        session = requests.Session()
        start.wait(timeout=60)
        return session.post(live_server.url + ENROLL, json=_enroll_body("ana.notifica", f"mal-{n}"),
                            timeout=120).status_code

    with ThreadPoolExecutor(15) as pool:
        codes = list(pool.map(guess, range(15)))
    limit = app.config["LOGIN_MAX_FAILURES_PER_USER"]
    assert sorted(codes) == [401] * limit + [429] * (15 - limit), codes
    db.session.expire_all()
    checked = db.session.scalar(select(func.count(LoginAttempt.id))
                                .where(LoginAttempt.username == "ana.notifica"))
    assert checked == limit


# --- 4. timing and who may lock whom ---------------------------------------------------------

def test_unknown_user_names_take_as_long_as_known_ones(database_url, tmp_path, notifier):
    """20 wrong passwords for a real user and 20 for made-up names, interleaved so a load
    change on the machine hits both alike; the medians must be of the same order (today a
    made-up name skipped the password hash: about 8 ms against 110 ms)."""
    served = make_test_app(database_url, tmp_path, LOGIN_MAX_FAILURES_PER_USER=1000,
                           LOGIN_MAX_FAILURES_PER_IP=1000)
    with served.app_context():
        client = served.test_client()
        client.post("/entrar", data={"username": "calentar", "password": "x"})  # first-use costs
        known: list[float] = []
        unknown: list[float] = []
        for n in range(20):
            for name, times in (("ana.notifica", known), (f"inventado{n}", unknown)):
                began = time.perf_counter()
                answer = client.post("/entrar", data={"username": name, "password": "mal-123"})
                times.append(time.perf_counter() - began)
                assert answer.status_code == 401
        ratio = statistics.median(unknown) / statistics.median(known)
        assert ratio > 0.5, (statistics.median(unknown), statistics.median(known))
        db.session.remove()
        db.engine.dispose()


def test_a_stranger_elsewhere_cannot_lock_a_real_user_out(app, auth, client, notifier):
    limit = app.config["LOGIN_MAX_FAILURES_PER_USER"]
    stranger = {"REMOTE_ADDR": "203.0.113.50"}
    for _ in range(limit):
        answer = client.post("/entrar", data={"username": "ana.notifica", "password": "mal-123"},
                             environ_base=stranger)
        assert answer.status_code == 401
    answer = client.post("/entrar", data={"username": "ana.notifica", "password": PASSWORD},
                         environ_base=stranger)
    assert answer.status_code == 429  # the stranger's address is throttled for this user
    answer = auth.login("ana.notifica")  # the owner, from the office
    assert answer.status_code == 302
