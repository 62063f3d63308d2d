"""The export of credit status changes for the institutional systems: columns, the diligence
behind each change, incremental export by cursor (nothing repeated, nothing skipped), the
settle time, office isolation, and the CLI twin of the URL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from fieldapp.audit.models import AuditEvent
from fieldapp.extensions import db
from fieldapp.portfolio.models import Credit, CreditStatusChange
from fieldapp.portfolio.services import advance_credit_status
from fieldapp.reports.commands import export_status_changes_command
from fieldapp.reports.services import (
    STATUS_EXPORT_COLUMNS,
    export_window,
    format_cursor,
    parse_moment,
    status_changes,
)
from tests.reports.conftest import Work

URL = "/oficina/informes/cambios-de-estado.csv"
NEXT = "X-Fieldapp-Next-Since"


@pytest.fixture
def no_settle(app):  # type: ignore[no-untyped-def]
    """Exports up to this instant (tests make no concurrent writers)."""
    app.config["STATUS_EXPORT_SETTLE_SECONDS"] = 0


@pytest.fixture
def head(client, auth, work: Work, no_settle):  # type: ignore[no-untyped-def]
    auth.login("jefa")
    return client


def parse(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)
    text = response.get_data(as_text=True)
    assert not text.startswith("\ufeff")  # a machine file: no BOM
    return list(csv.DictReader(io.StringIO(text)))


def office_change_ids(work: Work) -> set[int]:
    return set(db.session.scalars(
        select(CreditStatusChange.id).join(Credit).where(Credit.office_id == work.office.id)))


def test_columns_and_values(head, work):
    response = head.get(URL, query_string={"desde": "2026-01-01"})
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == ",".join(STATUS_EXPORT_COLUMNS)
    assert response.headers["Content-Disposition"] == "attachment; filename=cambios-de-estado-1401.csv"
    rows = parse(response)
    assert {int(r["change_id"]) for r in rows} == office_change_ids(work)
    zone = ZoneInfo("America/Mexico_City")
    for row in rows:
        change = db.session.get(CreditStatusChange, int(row["change_id"]))
        credit = change.credit
        assert row["office_code"] == "1401" and row["credit_number"] == credit.credit_number
        assert row["rfc"] == credit.debtor.rfc
        assert row["employer_registration"].split() == sorted(r.number for r in credit.debtor.registrations)
        assert (row["from_status"], row["to_status"], row["source"]) == (
            change.from_status, change.to_status, change.source)
        at = datetime.fromisoformat(row["changed_at_utc"].replace("Z", "+00:00"))
        assert at == change.at and row["changed_at_utc"].endswith("Z")
        assert row["changed_on_local"] == change.at.astimezone(zone).date().isoformat()
    ordered = [(r["changed_at_utc"], int(r["change_id"])) for r in rows]
    assert ordered == sorted(ordered)


def test_each_change_names_the_diligence_that_caused_it(head, work):
    rows = parse(head.get(URL, query_string={"desde": "2026-01-01"}))
    by_credit = {}
    for row in rows:
        by_credit.setdefault(row["credit_number"], []).append(row)
    demand = by_credit[work.credit("demand").credit_number]
    assert [(r["from_status"], r["to_status"], r["source"], r["diligence_id"]) for r in demand] == [
        ("enforceable", "demanded", "diligence", work.diligences["demand"].id)]
    notified = by_credit[work.credit("in_person").credit_number]
    assert [(r["to_status"], r["diligence_id"]) for r in notified] == [
        ("notified", work.diligences["in_person"].id)]
    # A change made at the office has no diligence.
    credit = work.credit("refused")
    advance_credit_status(credit, "paid", source="payment_import", actor=work.people["jefa"])
    db.session.commit()
    rows = parse(head.get(URL, query_string={"desde": "2026-01-01"}))
    paid = [r for r in rows if r["credit_number"] == credit.credit_number and r["to_status"] == "paid"]
    assert [(r["source"], r["diligence_id"]) for r in paid] == [("payment_import", "")]


def test_an_incremental_export_neither_repeats_nor_skips(head, work):
    first = head.get(URL, query_string={"desde": "2000-01-01"})
    first_ids = [int(r["change_id"]) for r in parse(first)]
    cursor = first.headers[NEXT]
    assert first.headers["Link"] == f'<{URL}?desde={cursor}>; rel="next"'
    # A change between two exports.
    advance_credit_status(work.credit("citatorio"), "notified", source="office", actor=work.people["jefa"])
    db.session.commit()
    second = head.get(URL, query_string={"desde": cursor})
    second_ids = [int(r["change_id"]) for r in parse(second)]
    assert len(second_ids) == 1 and not set(first_ids) & set(second_ids)
    assert sorted(first_ids + second_ids) == sorted(office_change_ids(work))
    third = head.get(URL, query_string={"desde": second.headers[NEXT]})
    assert parse(third) == []
    assert datetime.fromisoformat(third.headers[NEXT].replace("Z", "+00:00")) >= datetime.fromisoformat(
        second.headers[NEXT].replace("Z", "+00:00"))


def test_windows_are_half_open_so_a_change_at_the_boundary_is_exported_once(app, work, no_settle):
    changes = list(db.session.scalars(
        select(CreditStatusChange).join(Credit).where(Credit.office_id == work.office.id)
        .order_by(CreditStatusChange.at, CreditStatusChange.id)))
    boundary = changes[len(changes) // 2].at
    start = datetime(2000, 1, 1, tzinfo=UTC)
    before = status_changes(work.office, export_window(start, boundary))
    after = status_changes(work.office, export_window(boundary, None))
    ids = [r.change.id for r in before] + [r.change.id for r in after]
    assert sorted(ids) == sorted(c.id for c in changes) and len(set(ids)) == len(ids)
    assert all(r.change.at < boundary for r in before) and after[0].change.at == boundary


def test_the_export_stops_short_of_changes_that_may_still_be_uncommitted(app, work):
    """A change stamped just before an export may belong to a transaction not committed yet:
    the window ends the settle time before now, and the next export, from that cursor, gets it."""
    app.config["STATUS_EXPORT_SETTLE_SECONDS"] = 120
    advance_credit_status(work.credit("citatorio"), "notified", source="office", actor=work.people["jefa"])
    db.session.commit()
    change = db.session.scalars(select(CreditStatusChange).order_by(CreditStatusChange.id.desc())).first()
    start = datetime(2000, 1, 1, tzinfo=UTC)
    early = export_window(start, None, now=change.at + timedelta(seconds=5))
    assert early.until == change.at + timedelta(seconds=5 - 120)
    assert change.id not in {r.change.id for r in status_changes(work.office, early)}
    # Asking for a later end does not pass the settle time either.
    assert export_window(start, change.at + timedelta(hours=1), now=change.at).until < change.at
    later = export_window(early.until, None, now=change.at + timedelta(seconds=300))
    assert change.id in {r.change.id for r in status_changes(work.office, later)}


def test_an_office_exports_only_its_own_changes(client, auth, work, factory, no_settle):
    other_debtor = factory.debtor(work.other_office)
    other_credit = factory.credit(other_debtor, credit_number="NORTE-1")
    advance_credit_status(other_credit, "to_notify", source="import")
    db.session.commit()
    auth.login("norte-jefe")
    rows = parse(client.get(URL, query_string={"desde": "2000-01-01"}))
    assert {r["office_code"] for r in rows} == {"1402"}
    assert "NORTE-1" in {r["credit_number"] for r in rows}
    assert not {int(r["change_id"]) for r in rows} & office_change_ids(work)


def test_bad_parameters_are_answered_400(head, work):
    assert head.get(URL).status_code == 400
    response = head.get(URL, query_string={"desde": "ayer"})
    assert response.status_code == 400 and "ISO 8601" in response.get_data(as_text=True)
    assert head.get(URL, query_string={"desde": "2026-03-10T10:00:00"}).status_code == 400  # no zone


def test_bounds_are_office_midnight_or_exact_timestamps(work):
    assert parse_moment("2026-03-10", work.office, "desde") == datetime(2026, 3, 10, 6, tzinfo=UTC)
    exact = parse_moment("2026-03-10T18:41:00.123456Z", work.office, "desde")
    assert format_cursor(exact) == "2026-03-10T18:41:00.123456Z"


def test_the_cli_exports_the_same_rows_and_prints_the_next_cursor(runner, work, tmp_path, no_settle, head):
    output = tmp_path / "cambios.csv"
    result = runner.invoke(export_status_changes_command,
                           ["--office", "1401", "--since", "2000-01-01", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert {int(r["change_id"]) for r in rows} == office_change_ids(work)
    cursor = result.stderr.strip().splitlines()[-1].removeprefix("next --since ")
    advance_credit_status(work.credit("in_person"), "enforceable", source="office", actor=None)
    db.session.commit()
    again = runner.invoke(export_status_changes_command, ["--office", "1401", "--since", cursor])
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert lines[0] == ",".join(STATUS_EXPORT_COLUMNS) and len(lines) == 2
    assert lines[1].split(",")[6] == "enforceable"
    # The URL with the same cursor gives the same rows.
    web = parse(head.get(URL, query_string={"desde": cursor}))
    assert [r["change_id"] for r in web] == [lines[1].split(",")[1]]
    unknown = runner.invoke(export_status_changes_command, ["--office", "9999", "--since", "2026-01-01"])
    assert unknown.exit_code != 0 and "No office" in unknown.output


def test_every_download_is_audited(head, work, runner):
    response = head.get(URL, query_string={"desde": "2026-01-01"})
    rows = parse(response)
    head.get("/oficina/informes/vencidas.csv")
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_exported")
                                     .order_by(AuditEvent.id)))
    assert [(e.object_id, e.actor_id, e.office_id) for e in events] == [
        ("reports.status_changes_csv", work.people["jefa"].id, work.office.id),
        ("reports.overdue_csv", work.people["jefa"].id, work.office.id)]
    assert events[0].details["rows"] == len(rows) and events[0].details["params"] == {"desde": "2026-01-01"}
    assert events[0].details["until"] == response.headers[NEXT]
    result = runner.invoke(export_status_changes_command, ["--office", "1401", "--since", "2026-01-01"])
    assert result.exit_code == 0, result.output
    cli = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_exported")
                             .order_by(AuditEvent.id.desc())).first()
    assert (cli.object_id, cli.actor_id, cli.details["via"]) == ("export-status-changes", None, "cli")
