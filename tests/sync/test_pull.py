"""GET /api/sync/v1/pull: what changed for this user since the cursor, from one consistent
snapshot, compressed, and never skipping a change however commits interleave with the pull."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.assignments.models import Assignment
from fieldapp.assignments.services import assign
from fieldapp.auth.services import renew_credential
from fieldapp.diligences.models import Diligence
from fieldapp.diligences.services import decide
from fieldapp.extensions import db
from fieldapp.portfolio.services import advance_credit_statuses
from tests.conftest import BACKEND
from tests.scenarios import ApiPhone, assignment_of, jpeg_bytes, media_item, signature_png
from tests.sync.helpers import API, bearer, make_record


def ids(payload: dict, key: str = "assignments") -> list:
    return [item["id"] for item in payload[key]]


def test_a_first_pull_is_the_full_worklist_with_what_the_forms_need(phone, field, factory):
    factory.portfolio_item(field.office, factory.user(field.office, "notifier"))  # not mine
    payload = phone.pull()
    assert payload["full"] is True and payload["protocol"] == 1
    (item,) = payload["assignments"]
    assert item["id"] == field.assignment.id and item["status"] == "pending"
    document = item["document"]
    assert document["folio"] == field.document.folio
    assert document["debtor"]["rfc"] == field.document.debtor.rfc
    assert document["address"]["origin"] == "fiscal" and document["address"]["latitude"] == 20.6767
    assert document["credits"][0]["total"] == str(field.document.credits[0].total)
    assert payload["user"]["credential"]["number"] == field.notifier.credential_number
    assert payload["legal_pack"]["tz"] == "America/Mexico_City"
    assert payload["legal_pack_digest"] == payload["legal_pack"]["digest"]
    assert int(payload["cursor"]) >= 1


def test_a_renewed_credential_comes_with_a_higher_version(phone, field):
    before = phone.pull()["user"]["credential"]["version"]
    renew_credential(field.notifier, number="NT-2026-0042", issued_on=date(2026, 11, 1),
                     valid_until=date(2027, 10, 31), issuer="Subdelegado", legal_basis=None,
                     actor=None)
    db.session.commit()
    after = phone.pull()["user"]["credential"]
    assert after["number"] == "NT-2026-0042" and after["version"] > before


def test_nothing_changed_means_nothing_sent_and_a_known_pack_is_not_resent(phone):
    first = phone.pull()
    again = phone.pull(first["cursor"], pack=first["legal_pack_digest"])
    assert again["full"] is False
    assert again["assignments"] == [] and again["diligences"] == []
    assert again["cursor"] == first["cursor"]
    assert again["legal_pack"] is None and again["legal_pack_digest"] == first["legal_pack_digest"]


def test_reassignment_withdraws_from_one_phone_and_adds_to_the_other(client, phone, field, factory):
    cursor = phone.pull()["cursor"]
    colleague = factory.user(field.office, "notifier")
    other_phone = ApiPhone.enroll(client, colleague)
    other_cursor = other_phone.pull()["cursor"]
    new = assign(field.document, colleague, date(2026, 12, 1), actor=field.supervisor)
    db.session.commit()
    mine = phone.pull(cursor)
    assert [(a["id"], a["status"]) for a in mine["assignments"]] == [(field.assignment.id, "withdrawn")]
    theirs = other_phone.pull(other_cursor)
    assert [(a["id"], a["status"]) for a in theirs["assignments"]] == [(new.id, "pending")]


def test_changes_to_the_due_date_and_to_the_address_reach_the_phone(phone, field):
    cursor = phone.pull()["cursor"]
    assign(field.document, field.notifier, date(2026, 4, 30), actor=field.supervisor)
    db.session.commit()
    payload = phone.pull(cursor)
    assert [a["due_on"] for a in payload["assignments"]] == ["2026-04-30"]
    field.document.address.street = "Calle Morelos"
    db.session.commit()
    payload = phone.pull(payload["cursor"])
    assert payload["assignments"][0]["document"]["address"]["street"] == "Calle Morelos"


def test_review_decisions_reach_the_phone_and_a_returned_record_comes_with_what_to_fix(phone, field):
    record = make_record(field.assignment.id, media=[media_item(jpeg_bytes(1)),
                                                     media_item(signature_png(1), "signature", "image/png")])
    phone.push_ok([record])
    cursor = phone.pull()["cursor"]
    stored = db.session.get(Diligence, record["id"])
    decide(stored, "returned", actor=field.supervisor, observations="Anote el número de la INE.")
    db.session.commit()
    payload = phone.pull(cursor)
    (state,) = payload["diligences"]
    assert state["review_state"] == "returned"
    assert state["review"]["observations"] == "Anote el número de la INE."
    assert state["content"]["content_hash"] == record["content_hash"]
    assert state["content"]["facts"] == record["facts"]
    assert [a["status"] for a in payload["assignments"]] == ["returned"]
    # A wiped phone gets the returned record again in a full pull.
    assert ids(phone.pull(), "diligences") == [record["id"]]


def test_completion_and_approval_reach_the_phone(phone, field):
    photo, signature = jpeg_bytes(2), signature_png(2)
    record = make_record(field.assignment.id, media=[media_item(photo),
                                                     media_item(signature, "signature", "image/png")])
    phone.push_ok([record])
    cursor = phone.pull()["cursor"]
    phone.put_media(photo)
    payload = phone.pull(cursor)
    assert payload["diligences"] == []  # still incomplete: nothing new to tell
    phone.put_media(signature, content_type="image/png")
    payload = phone.pull(payload["cursor"])
    assert payload["diligences"][0]["complete"] is True
    decide(db.session.get(Diligence, record["id"]), "approved", actor=field.supervisor)
    db.session.commit()
    payload = phone.pull(payload["cursor"])
    assert payload["diligences"][0]["review_state"] == "approved"
    assert payload["diligences"][0]["content"] is None


def test_the_answer_is_gzip_when_the_phone_accepts_it(client, phone):
    plain = client.get(f"{API}/pull", headers=bearer(phone.token))
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    compressed = client.get(f"{API}/pull", headers={**bearer(phone.token), "Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert len(compressed.get_data()) * 3 < len(plain.get_data())
    assert compressed.headers["Cache-Control"] == "no-store"


def test_a_bad_cursor_is_400_and_a_cursor_from_the_future_a_full_snapshot(client, phone):
    response = client.get(f"{API}/pull?cursor=abc", headers=bearer(phone.token))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_cursor"
    assert phone.pull("999999")["full"] is True  # e.g. a database restored from a backup


# The cursor hazard ----------------------------------------------------------------------------

def _assign_in_another_thread(app, document_id: int, user_id: int, office_id: int,
                              about_to_commit: threading.Event) -> threading.Thread:
    def work() -> None:
        with app.app_context():
            db.session.add(Assignment(office_id=office_id, document_id=document_id, user_id=user_id,
                                      due_on=date(2026, 12, 31)))
            db.session.flush()
            about_to_commit.set()
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_a_change_committed_during_the_pull_comes_in_the_next_pull(app, phone, field, factory):
    from sync.pull import begin_snapshot, build_pull

    cursor = phone.pull()["cursor"]
    document = factory.document(factory.debtor(field.office))
    document_id, user_id, office_id = document.id, field.notifier.id, field.office.id
    about_to_commit = threading.Event()
    threads: list[threading.Thread] = []

    def during() -> None:
        threads.append(_assign_in_another_thread(app, document_id, user_id, office_id, about_to_commit))
        assert about_to_commit.wait(10)
        if BACKEND == "postgresql":
            threads[0].join(10)  # committed while our snapshot is open
        else:
            time.sleep(0.3)  # SQLite: the commit waits for our read lock to go
    with app.test_request_context():
        db.session.rollback()
        begin_snapshot()
        user = db.session.get(type(field.notifier), user_id)
        payload = build_pull(user, int(cursor), during=during)
        db.session.rollback()
    threads[0].join(10)
    assert not threads[0].is_alive()
    assert payload["assignments"] == []  # not in this snapshot…
    new_id = db.session.scalar(select(Assignment.id).where(Assignment.document_id == document_id))
    assert ids(phone.pull(payload["cursor"])) == [new_id]  # …so in the next one


@pytest.mark.skipif(BACKEND != "postgresql",
                    reason="SQLite lets one writer at a time: the interleaving cannot happen there")
def test_a_transaction_that_began_first_but_commits_last_is_not_skipped(app, phone, field, factory):
    """The classic hazard: T1 changes a row first, T2 changes another and commits, a pull runs,
    then T1 commits. A sequence value taken at change time would put T1 behind the cursor."""
    cursor = phone.pull()["cursor"]
    second = factory.portfolio_item(field.office, field.notifier)
    second_assignment = assignment_of(second)
    cursor = phone.pull(cursor)["cursor"]
    engine = db.engine
    t1 = Session(engine)
    t2 = Session(engine)
    try:
        t1.get(Assignment, field.assignment.id).due_on = date(2026, 5, 1)
        t1.flush()  # T1 has changed its row, not committed
        t2.get(Assignment, second_assignment.id).due_on = date(2026, 6, 1)
        t2.commit()
        middle = phone.pull(cursor)
        assert [(a["id"], a["due_on"]) for a in middle["assignments"]] == [
            (second_assignment.id, "2026-06-01")]
        t1.commit()
    finally:
        t1.close()
        t2.close()
    after = phone.pull(middle["cursor"])
    assert [(a["id"], a["due_on"]) for a in after["assignments"]] == [(field.assignment.id, "2026-05-01")]


def test_concurrent_writers_and_pulls_never_lose_a_change(app, live_server, phone, field, factory):
    """Writers commit due-date changes in threads while a phone keeps pulling over HTTP; the
    last due date of every assignment the phone saw equals what is in the database."""
    import requests

    documents = [factory.portfolio_item(field.office, field.notifier) for _ in range(4)]
    assignment_ids = [db.session.scalar(select(Assignment.id).where(Assignment.document_id == d.id))
                      for d in documents]
    stop = threading.Event()

    def writer(assignment_id: int) -> None:
        with app.app_context():
            for day in range(1, 21):
                a = db.session.get(Assignment, assignment_id)
                a.due_on = date(2026, 7, day)
                db.session.commit()
            db.session.remove()

    seen: dict[int, str] = {}
    cursor = None
    with requests.Session() as http:
        writers = [threading.Thread(target=writer, args=(i,)) for i in assignment_ids]
        for w in writers:
            w.start()
        while any(w.is_alive() for w in writers) or not stop.is_set():
            if not any(w.is_alive() for w in writers):
                stop.set()  # one last pull after every writer is done
            params = {"cursor": cursor} if cursor else {}
            payload = http.get(f"{live_server}{API}/pull", params=params,
                               headers=bearer(phone.token), timeout=30).json()
            for a in payload["assignments"]:
                seen[a["id"]] = a["due_on"]
            cursor = payload["cursor"]
    for assignment_id in assignment_ids:
        assert seen[assignment_id] == "2026-07-20"


@pytest.mark.skipif(BACKEND != "postgresql", reason="row locks: PostgreSQL only")
def test_the_feed_clock_is_locked_only_at_the_real_commit(app, field):
    """Savepoint releases (one per record when a batch falls back to careful mode) must not
    take the clock's row lock, or every push would wait for every other push to commit."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from fieldapp.devices.feed import next_seq

    writer, probe = Session(db.engine), Session(db.engine)
    try:
        with writer.begin_nested():
            writer.get(Assignment, field.assignment.id).due_on = date(2026, 9, 1)
        writer.flush()
        probe.execute(text("SELECT value FROM feed_clock WHERE id = 1 FOR UPDATE NOWAIT"))
        probe.rollback()
        writer.commit()
        next_seq(writer)  # the real stamping takes the lock…
        with pytest.raises(OperationalError):  # …so the same probe fails while it is held
            probe.execute(text("SELECT value FROM feed_clock WHERE id = 1 FOR UPDATE NOWAIT"))
    finally:
        writer.rollback()
        probe.rollback()
        writer.close()
        probe.close()


def test_a_bulk_status_move_reaches_the_phone(phone, field):
    """Sweeps and imports move credits with one UPDATE per chunk, which flushes nothing: the
    change feed still marks the assignments that show them (fieldapp/devices/feed.py)."""
    cursor = phone.pull()["cursor"]
    credit = field.document.credits[0]
    assert credit.status != "notified"
    moved = advance_credit_statuses([credit], "notified", source="test")
    db.session.commit()
    assert moved == [credit]
    payload = phone.pull(cursor)
    assert ids(payload) == [field.assignment.id]
    assert payload["assignments"][0]["document"]["credits"][0]["status"] == "notified"
