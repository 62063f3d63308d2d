"""The office head's list of diligences: page and fragment, every filter, counts per review
state, keyset pages that never skip or repeat a row, bad input, exports and the map's data."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import event, select

from fieldapp.audit.models import AuditEvent
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.review.services import OUTCOMES, outcome_of
from tests.review.conftest import HX
from tests.review.facts import (
    WARNING_REASON,
    citatorio_at_registration_address,
    clean_notification,
    demand_paid,
    late_citatorio,
    refused_notification,
)

ROW = re.compile(r'data-diligence="([^"]+)"')


def listed(client, **args) -> list[str]:
    """Ids of the rows the list's fragment shows, in order."""
    response = client.get("/diligencias/", query_string=args, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)
    return ROW.findall(response.get_data(as_text=True))


@pytest.fixture
def varied(desk):
    """Six records that differ in every filtered dimension."""
    d = {}
    d["clean"] = desk.push("notifier", sector="centro", captured_at="2026-03-10T18:41:00.000Z")
    d["block"] = desk.push("notifier2", sector="norte", facts=late_citatorio(),
                           captured_at="2026-03-11T02:10:00.000Z")
    # 05:30 UTC on the 12th is 23:30 of the 11th in Mexico City: the office's day decides.
    d["warn"] = desk.push("notifier", sector="norte", facts=citatorio_at_registration_address(),
                          warning_reasons=WARNING_REASON, upload=False,
                          captured_at="2026-03-12T05:30:00.000Z")
    d["paid"] = desk.push("executor", sector="centro", kind="payment_demand", facts=demand_paid(),
                          captured_at="2026-03-13T17:00:00.000Z")
    d["refused"] = desk.push("notifier2", sector="centro", kind="notification",
                             facts=refused_notification(), captured_at="2026-03-14T17:00:00.000Z")
    d["approved"] = desk.push("notifier", sector="centro", kind="notification",
                              facts=clean_notification(), captured_at="2026-03-09T17:00:00.000Z")
    decide(d["approved"], "approved", actor=desk.supervisor)
    db.session.commit()
    return {k: v.id for k, v in d.items()}


def test_the_list_is_a_full_page_and_its_rows_a_fragment(head, desk, varied):
    page = head.get("/diligencias/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<html" in html and 'id="diligence-rows"' in html and 'name="persona"' in html
    assert "HX-Request" in page.headers["Vary"]
    fragment = head.get("/diligencias/", headers=HX)
    part = fragment.get_data(as_text=True)
    assert "<html" not in part
    assert part.lstrip().startswith('<section id="diligence-rows"')
    assert set(ROW.findall(part)) == set(varied.values())
    # Every row links to the record's page by the phone's id.
    for ident in varied.values():
        assert f'href="/diligencias/{ident}"' in part


def test_rows_are_newest_first_with_what_the_office_head_needs(head, desk, varied):
    assert listed(head) == [varied[k] for k in ("refused", "paid", "warn", "block", "clean", "approved")]
    html = head.get("/diligencias/", headers=HX).get_data(as_text=True)
    assert "Se negaron a recibir (estrados)" in html and "Acreditó el pago" in html
    assert "Impedimento legal" in html and "Evidencias incompletas" in html
    assert "Juan Pérez Gómez A" in html and "Sector A-2" in html


FILTER_CASES = [
    ({"persona": "notifier2"}, {"block", "refused"}),
    ({"sector": "norte"}, {"block", "warn"}),
    ({"tipo": "notification"}, {"refused", "approved"}),
    ({"resultado": "paid"}, {"paid"}),
    ({"resultado": "refused"}, {"refused"}),
    ({"resultado": "notified"}, {"approved"}),
    ({"resultado": "citatorio"}, {"clean", "block", "warn"}),
    ({"estado": "approved"}, {"approved"}),
    ({"estado": "received"}, {"clean", "block", "warn", "paid", "refused"}),
    ({"hallazgos": "block"}, {"block"}),
    ({"hallazgos": "warn"}, {"warn", "refused"}),  # R-NOT-2 and R-NOT-6 warn
    ({"hallazgos": "none"}, {"clean", "paid", "approved"}),
    ({"incompletas": "1"}, {"warn"}),
    ({"desde": "2026-03-12", "hasta": "2026-03-13"}, {"paid"}),
    ({"hasta": "2026-03-11"}, {"clean", "block", "warn", "approved"}),
    ({"desde": "2026-03-11", "hasta": "2026-03-11"}, {"warn"}),
    ({"persona": "notifier", "sector": "centro", "tipo": "citatorio"}, {"clean"}),
]


def test_each_filter_narrows_the_list(head, desk, varied):
    people = {"notifier": desk.workers["notifier"].user.id, "notifier2": desk.workers["notifier2"].user.id}
    for args, expected in FILTER_CASES:
        query = dict(args)
        if "persona" in query:
            query["persona"] = people[query["persona"]]
        if "sector" in query:
            query["sector"] = desk.sectors[query["sector"]].id
        shown = {k for k, i in varied.items() if i in set(listed(head, **query))}
        assert shown == expected, args


def test_outcomes_are_read_the_same_way_in_sql_and_in_python(head, desk, varied):
    for outcome in OUTCOMES:
        shown = set(listed(head, resultado=outcome))
        expected = {i for i in varied.values() if outcome_of(db.session.get(Diligence, i)) == outcome}
        assert shown == expected, outcome


def test_counts_per_review_state_follow_the_filter_but_not_the_state(head, desk, varied):
    def counts(**args) -> dict[str, int]:
        html = head.get("/diligencias/", query_string=args, headers=HX).get_data(as_text=True)
        return {m[0]: int(m[1]) for m in
                re.findall(r'data-state="(\w+)">[^<]*<span class="n">(\d+)</span>', html)}

    assert counts() == {"received": 5, "approved": 1, "returned": 0, "rejected": 0}
    assert counts(tipo="notification") == {"received": 1, "approved": 1, "returned": 0, "rejected": 0}
    # Choosing a state keeps the other states' counts visible, so the tabs still add up.
    assert counts(tipo="notification", estado="approved") == counts(tipo="notification")


def test_bad_filter_values_are_refused_with_spanish_messages(head, desk, varied):
    response = head.get("/diligencias/", query_string={
        "persona": "jefa", "tipo": "visita", "desde": "2026-13-01", "despues": "ayer"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "La persona elegida no es válida." in html
    assert "El tipo de diligencia «visita» no existe." in html
    assert "La fecha «desde» debe tener la forma AAAA-MM-DD." in html
    assert "El enlace de la página siguiente no es válido" in html
    assert ROW.findall(html) == []
    fragment = head.get("/diligencias/", query_string={"desde": "2026-03-12", "hasta": "2026-03-01"},
                        headers=HX)
    assert fragment.status_code == 400
    assert "posterior a la fecha «hasta»" in fragment.get_data(as_text=True)
    export = head.get("/diligencias/export.csv", query_string={"estado": "aprobada"})
    assert export.status_code == 400
    assert "El estado de revisión «aprobada» no existe." in export.get_data(as_text=True)


# Keyset pages ------------------------------------------------------------------------------

def _next_link(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_keyset_pages_never_skip_or_repeat_a_row(app, head, desk):
    # Ties on captured_at (two phones finalising in the same millisecond) are what an
    # OFFSET-free page must get right: the id breaks them.
    stamps = ["2026-03-10T18:00:00.000Z"] * 4 + ["2026-03-11T18:00:00.000Z"] * 3 + [
        f"2026-03-{d}T18:00:00.000Z" for d in (12, 13, 14, 15)]
    who = ["notifier", "notifier2", "executor"]
    pushed = [desk.push(who[i % 3], captured_at=at) for i, at in enumerate(stamps)]
    expected = [d.id for d in sorted(pushed, key=lambda d: (d.captured_at, d.id), reverse=True)]
    app.config["REVIEW_PAGE_SIZE"] = 3

    offsets: list[object] = []

    def remember(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        # The list's own query (newest first). SQLite renders every LIMIT as "LIMIT ? OFFSET ?"
        # with offset 0 as the last parameter; PostgreSQL writes OFFSET only when one is set.
        if "ORDER BY diligences.captured_at DESC" in statement and re.search(r"\bOFFSET\b", statement):
            offsets.append(parameters[-1] if isinstance(parameters, tuple | list) else statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        seen: list[str] = []
        url: str | None = "/diligencias/"
        pages = 0
        while url:
            html = head.get(url).get_data(as_text=True)
            rows = ROW.findall(html)
            assert len(rows) <= 3
            seen.extend(rows)
            pages += 1
            if pages == 1:
                # A record arriving while the office head pages (newer than everything) must
                # neither repeat nor push a row out of the next page.
                desk.push("notifier", captured_at="2026-03-20T18:00:00.000Z")
            url = _next_link(html)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert seen == expected
    assert pages == 4
    assert offsets == [] or set(offsets) == {0}, offsets


def test_the_next_page_keeps_the_filter(app, head, desk):
    for day in range(10, 16):
        desk.push("notifier", captured_at=f"2026-03-{day}T18:00:00.000Z")
        desk.push("notifier2", captured_at=f"2026-03-{day}T18:00:00.000Z")
    app.config["REVIEW_PAGE_SIZE"] = 4
    person = desk.workers["notifier2"].user.id
    html = head.get("/diligencias/", query_string={"persona": person}).get_data(as_text=True)
    link = _next_link(html)
    assert link is not None and f"persona={person}" in link
    rest = ROW.findall(head.get(link).get_data(as_text=True))
    assert len(rest) == 2
    assert {db.session.get(Diligence, i).user_id for i in rest} == {person}


# Exports and the map's data --------------------------------------------------------------

def test_csv_export_holds_the_filtered_list_and_is_audited(head, desk, varied):
    response = head.get("/diligencias/export.csv", query_string={"sector": desk.sectors["norte"].id})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [varied["warn"], varied["block"]]
    warn = rows[0]
    assert warn["tipo"] == "Citatorio" and warn["estado_revision"] == "Recibida"
    assert warn["evidencias_completas"] == "no" and warn["advertencias_legales"] == "sí"
    assert warn["fecha_local"] == "2026-03-11T23:30:00-06:00"
    assert warn["huella_sha256"] == desk.sent[varied["warn"]]["content_hash"]
    (audit,) = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "diligences_exported_csv"))
    assert audit.actor_id == desk.supervisor.id
    assert audit.details["filter"] == {"sector": str(desk.sectors["norte"].id)}


def test_csv_cells_cannot_become_spreadsheet_formulas(head, desk):
    diligence = desk.push()
    diligence.document.debtor.legal_name = '=HYPERLINK("http://example.invalid","x")'
    db.session.commit()
    text = head.get("/diligencias/export.csv").get_data(as_text=True)
    (row,) = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["patron"].startswith("'=HYPERLINK")


def test_geojson_export_and_map_points_follow_the_filter(head, desk, varied):
    no_fix = desk.push("notifier", without_gps=True, captured_at="2026-03-15T17:00:00.000Z")
    exported = json.loads(head.get("/diligencias/export.geojson",
                                   query_string={"persona": desk.workers["notifier"].user.id}).get_data())
    assert exported["type"] == "FeatureCollection"
    by_id = {f["id"]: f for f in exported["features"]}
    assert set(by_id) == {varied["clean"], varied["warn"], varied["approved"], no_fix.id}
    assert by_id[no_fix.id]["geometry"] is None  # listed, with no position to draw
    point = by_id[varied["clean"]]
    assert point["geometry"] == {"type": "Point", "coordinates": [-103.347512, 20.676712]}
    assert point["properties"]["url"] == f"/diligencias/{varied['clean']}"
    assert set(point["properties"]) >= {"kind_label", "review_state", "debtor", "flags"}
    assert "content" not in point["properties"] and "facts" not in point["properties"]
    points = head.get("/diligencias/mapa.geojson",
                      query_string={"persona": desk.workers["notifier"].user.id})
    assert points.mimetype == "application/geo+json"
    data = points.get_json()
    assert {f["id"] for f in data["features"]} == {varied["clean"], varied["warn"], varied["approved"]}
    assert data["truncated"] is False


def test_the_map_draws_at_most_its_limit_newest_first(app, head, desk, varied):
    app.config["REVIEW_MAP_LIMIT"] = 4
    data = head.get("/diligencias/mapa.geojson").get_json()
    assert [f["id"] for f in data["features"]] == [varied[k] for k in ("refused", "paid", "warn", "block")]
    assert data["truncated"] is True
    app.config["REVIEW_MAP_LIMIT"] = 6
    assert head.get("/diligencias/mapa.geojson").get_json()["truncated"] is False


def test_the_map_page_carries_the_filter_and_admits_only_the_tile_origin(app, head, desk, varied):
    response = head.get("/diligencias/mapa", query_string={"estado": "received"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-points-url="/diligencias/mapa.geojson?estado=received"' in html
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet-1.9.4/leaflet.js" in html and "js/review-map.js" in html
    assert "<script>" not in html  # the CSP allows no inline script
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org;" in csp
    assert "script-src 'self';" in csp
    app.config["MAP_TILE_URL"] = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    csp = head.get("/diligencias/mapa").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in csp
    app.config["MAP_TILE_URL"] = ""
    response = head.get("/diligencias/mapa")
    assert 'data-tile-url=""' in response.get_data(as_text=True)
    assert "img-src 'self' data: blob:;" in response.headers["Content-Security-Policy"]


def test_map_tile_url_comes_from_the_environment(monkeypatch, tmp_path):
    from fieldapp.config import DEFAULT_MAP_TILE_URL, load_config

    monkeypatch.delenv("MAP_TILE_URL", raising=False)
    assert load_config(str(tmp_path), {"FIELDAPP_ENV": "test"})["MAP_TILE_URL"] == DEFAULT_MAP_TILE_URL
    monkeypatch.setenv("MAP_TILE_URL", "https://mosaicos.imss.example/{z}/{x}/{y}.png")
    config = load_config(str(tmp_path), {"FIELDAPP_ENV": "test"})
    assert config["MAP_TILE_URL"] == "https://mosaicos.imss.example/{z}/{x}/{y}.png"


# Offices and roles ---------------------------------------------------------------------------

def test_another_office_sees_none_of_it(client, auth, desk, other_desk, varied):
    theirs = other_desk.push("notifier")
    auth.login("jefe-b")
    assert listed(client) == [theirs.id]
    text = client.get("/diligencias/export.csv").get_data(as_text=True)
    assert theirs.id in text and not any(i in text for i in varied.values())
    features = json.loads(client.get("/diligencias/export.geojson").get_data())["features"]
    assert [f["id"] for f in features] == [theirs.id]
    assert [f["id"] for f in client.get("/diligencias/mapa.geojson").get_json()["features"]] == [theirs.id]
    # A filter naming office A's person or sector finds nothing, rather than A's records.
    assert listed(client, persona=desk.workers["notifier"].user.id) == []
    assert listed(client, sector=desk.sectors["centro"].id) == []
    html = client.get("/diligencias/").get_data(as_text=True)
    assert "Juan Pérez Gómez A" not in html  # not even offered as a filter choice


@pytest.mark.parametrize("url", ["/diligencias/", "/diligencias/mapa", "/diligencias/mapa.geojson",
                                 "/diligencias/export.csv", "/diligencias/export.geojson"])
def test_field_users_may_not_review(client, auth, desk, url):
    auth.login("notifier-a")
    assert client.get(url).status_code == 403
    auth.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/entrar")


def test_an_admin_of_the_office_may_review(client, auth, desk, varied):
    auth.login("admin-a")
    assert set(listed(client)) == set(varied.values())


def test_the_office_home_and_the_nav_link_to_the_review(head, desk, varied):
    html = head.get("/oficina/").get_data(as_text=True)
    assert 'href="/diligencias/?estado=received"' in html
    assert "<strong>5</strong> por revisar" in html
    assert '<a href="/diligencias/">Diligencias</a>' in html


# At scale: capped counts, the map read from columns ------------------------------------------

def _tab_texts(html: str) -> dict[str, str]:
    tabs = dict(re.findall(r'data-state="(\w+)">[^<]*<span class="n">([^<]+)</span>', html))
    tabs["all"] = re.search(r'>Todas <span class="n">([^<]+)</span>', html).group(1)
    return tabs


def test_counts_per_state_stop_at_the_cap_and_say_so(app, head, desk, varied):
    # An exact count over an office's whole history reads all of it; past the cap (10,000 by
    # default) a tab says "más de …" and the page says how to get the exact number.
    app.config["REVIEW_COUNT_CAP"] = 2
    html = head.get("/diligencias/", headers=HX).get_data(as_text=True)
    assert _tab_texts(html) == {"received": "más de 2", "approved": "1", "returned": "0",
                                "rejected": "0", "all": "más de 3"}
    assert "Se cuentan hasta 2 diligencias por estado" in html
    # A narrower filter is under the cap: exact counts, no notice.
    narrow = head.get("/diligencias/", query_string={"tipo": "notification"}, headers=HX)
    narrow_html = narrow.get_data(as_text=True)
    assert _tab_texts(narrow_html) == {"received": "1", "approved": "1", "returned": "0",
                                       "rejected": "0", "all": "2"}
    assert "Se cuentan hasta" not in narrow_html
    # At exactly the cap the count is still exact.
    app.config["REVIEW_COUNT_CAP"] = 5
    assert _tab_texts(head.get("/diligencias/", headers=HX).get_data(as_text=True))["received"] == "5"


def test_the_office_home_counts_per_state_with_the_same_cap(app, head, varied):
    home = head.get("/oficina/").get_data(as_text=True)
    assert "<strong>5</strong> por revisar" in home and "1 aprobada · 0 rechazadas" in home, home
    app.config["REVIEW_COUNT_CAP"] = 2
    capped = head.get("/oficina/").get_data(as_text=True)
    assert "<strong>más de 2</strong> por revisar" in capped
    assert "1 aprobada · 0 rechazadas" in capped  # under the cap: the exact count, in the singular


def test_capped_and_exact_counts_agree_below_the_cap(desk, varied):
    from fieldapp.review.services import DiligenceFilter, counts_by_state

    for flt in (DiligenceFilter(), DiligenceFilter(kind="citatorio"), DiligenceFilter(findings="warn")):
        assert counts_by_state(desk.office, flt, cap=100) == counts_by_state(desk.office, flt), flt


def test_the_map_shows_of_each_record_what_the_geojson_export_shows(head, desk, varied):
    # The map reads only columns (the outcome computed by the database); the export reads
    # whole records. Both must describe every record the same way.
    diligence = db.session.get(Diligence, varied["approved"])
    diligence.server_notes = {"seals": [{"code": "SE-X", "problem": "reused"}]}
    db.session.commit()
    drawn = {f["id"]: f for f in head.get("/diligencias/mapa.geojson").get_json()["features"]}
    export = json.loads(head.get("/diligencias/export.geojson").get_data())
    exported = {f["id"]: f for f in export["features"]}
    assert set(drawn) == set(varied.values())
    for ident, point in drawn.items():
        assert point == exported[ident], ident
    assert drawn[varied["approved"]]["properties"]["flags"] == ["seal_conflict"]
    assert {f["properties"]["outcome"] for f in drawn.values()} == {
        "citatorio", "paid", "refused", "notified"}
