"""The admin's upload page: the same import, CSRF-protected, admins of the office only."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit
from tests.conftest import PASSWORD, make_test_app
from tests.imports.helpers import csv_bytes, numbered


def upload(client, data: bytes, filename: str = "emision.csv", **extra):  # type: ignore[no-untyped-def]
    return client.post("/admin/importar/", data={"file": (io.BytesIO(data), filename), **extra},
                       content_type="multipart/form-data")


def credits() -> int:
    return db.session.scalar(select(func.count(Credit.id))) or 0


@pytest.fixture
def admin(office, factory):  # type: ignore[no-untyped-def]
    return factory.user(office, role="admin", username="admin1")


def test_the_admin_home_links_to_the_upload_page(client, auth, admin):
    auth.login("admin1")
    assert 'href="/admin/importar/"' in client.get("/admin/").get_data(as_text=True)


def test_the_page_shows_the_form_and_the_columns(client, auth, admin):
    auth.login("admin1")
    response = client.get("/admin/importar/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert "<code>employer_registration</code> · obligatoria" in page
    assert "Aún no hay importaciones" in page


def test_a_valid_file_is_imported_and_listed(client, auth, admin):
    auth.login("admin1")
    response = upload(client, csv_bytes([numbered(1), numbered(2)]))
    assert response.status_code == 302 and response.headers["Location"] == "/admin/importar/"
    assert credits() == 2
    page = client.get("/admin/importar/").get_data(as_text=True)
    assert "Importación terminada. 2 filas: 2 créditos nuevos" in page
    assert re.search(r"· emision\.csv ·\s*2 filas: 2 créditos nuevos", page)


def test_bad_rows_are_shown_each_with_its_line_and_nothing_is_imported(client, auth, admin):
    auth.login("admin1")
    rows = [numbered(1), numbered(2, rfc="TMI1503127A3"), numbered(3, principal="1,000.00")]
    response = upload(client, csv_bytes(rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "El archivo no se importó:" in page and "2 filas tienen" in page
    assert re.search(r'<td class="num">3</td><td>rfc: «TMI1503127A3» tiene el dígito verificador', page)
    assert re.search(r'<td class="num">4</td><td>principal: «1,000.00» no es un importe', page)
    assert credits() == 0


@pytest.mark.parametrize("code", ["1402", "9999"], ids=["existing", "unknown"])
def test_rows_of_another_office_are_refused_alike_whether_it_exists_or_not(client, auth, admin, factory,
                                                                         code):
    factory.office(code="1402")
    auth.login("admin1")
    response = upload(client, csv_bytes([numbered(1, office_code=code, sector_code="")]))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"office_code: «{code}» no es su subdelegación (1401); sólo puede importar" in page
    assert "no existe" not in page
    assert credits() == 0


def test_a_missing_file_is_asked_for(client, auth, admin):
    auth.login("admin1")
    response = client.post("/admin/importar/", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Elija el archivo CSV." in response.get_data(as_text=True)


def test_the_template_can_be_downloaded(client, auth, admin):
    auth.login("admin1")
    response = client.get("/admin/importar/plantilla.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).startswith("office_code,legal_name,person_type,rfc,")


@pytest.mark.parametrize("role", ["notifier", "executor", "supervisor"])
@pytest.mark.parametrize(("method", "url"), [("get", "/admin/importar/"), ("post", "/admin/importar/"),
                                             ("get", "/admin/importar/plantilla.csv")])
def test_other_roles_are_refused(client, auth, office, factory, role, method, url):
    factory.user(office, role=role, username=f"u-{role}")
    auth.login(f"u-{role}")
    data = {"file": (io.BytesIO(csv_bytes([numbered(1)])), "e.csv")} if method == "post" else None
    response = getattr(client, method)(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 403
    assert credits() == 0


def test_anonymous_users_are_sent_to_log_in(client, office):
    response = upload(client, csv_bytes([numbered(1)]))
    assert response.status_code == 302 and response.headers["Location"].startswith("/entrar")
    assert credits() == 0


def test_the_form_needs_its_csrf_token(database_url, tmp_path, office, factory):
    factory.user(office, role="admin", username="admin1")
    app = make_test_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()  # requests outside a shared app context: `g` is per request

    def token(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    client.post("/entrar", data={"username": "admin1", "password": PASSWORD, "csrf_token": token("/entrar")})
    refused = upload(client, csv_bytes([numbered(1)]))
    assert refused.status_code == 400 and "formulario expiró" in refused.get_data(as_text=True)
    accepted = upload(client, csv_bytes([numbered(1)]), csrf_token=token("/admin/importar/"))
    assert accepted.status_code == 302
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert credits() == 1


def test_rows_another_import_saved_meanwhile_are_a_conflict_and_nothing_is_kept(
        client, auth, admin, monkeypatch):
    """Between this file's checks and its writes another import saves the same credits: the
    database's unique keys refuse the writes, and the page says so (409), keeping nothing."""
    from fieldapp.imports import services

    data = csv_bytes([numbered(1), numbered(2)])
    checked = services._check_against_known
    raced = []

    def checked_then_raced(*args, **kwargs):  # type: ignore[no-untyped-def]
        checked(*args, **kwargs)
        if not raced:
            raced.append(True)
            services.import_credit_file(data, actor=None, source="cli")  # the other import

    monkeypatch.setattr(services, "_check_against_known", checked_then_raced)
    auth.login("admin1")
    response = upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409, page
    assert "otra importación guardó los mismos créditos al mismo tiempo" in page
    assert credits() == 0
