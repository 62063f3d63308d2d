"""Seals under concurrency (PostgreSQL, where requests really run at once): sheets issued at
the same moment never share a serial, and two phones pushing the same seal at the same moment
are judged one after the other, so the reuse is flagged."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from fieldapp.auth.models import User
from fieldapp.diligences.models import Diligence
from fieldapp.extensions import db
from fieldapp.offices.models import Office
from fieldapp.seals.models import Seal
from fieldapp.seals.services import issue_sheet
from tests.conftest import BACKEND
from tests.seals.embargo import seizure_record
from tests.sync.helpers import API, batch, bearer

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="concurrent writers: PostgreSQL")


def run_together(app, jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    results: list[object] = [None] * len(jobs)

    def runner(i, job):
        try:
            with app.app_context():
                barrier.wait(10)
                results[i] = job()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001  (reported by the test)
            errors.append(exc)

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    return results


def test_sheets_issued_at_once_never_share_a_serial(app, enforcement):
    office_id, actor_id = enforcement.office.id, enforcement.supervisor.id

    def issue():
        office, actor = db.session.get(Office, office_id), db.session.get(User, actor_id)
        sheet = issue_sheet(office, 25, actor=actor)
        db.session.commit()
        return sheet.first_serial

    firsts = run_together(app, [issue] * 4)
    serials = db.session.scalars(select(Seal.serial).where(Seal.office_id == office_id)).all()
    assert sorted(serials) == list(range(1, 6 + 4 * 25 + 1))
    assert sorted(firsts) == [7, 32, 57, 82]


def test_two_phones_pushing_the_same_seal_at_once_are_both_flagged(app, enforcement):
    code = enforcement.codes[0]
    records = [seizure_record(enforcement.assignments[0].id, code, enforcement.codes[1]),
               seizure_record(enforcement.assignments[1].id, code, enforcement.codes[2])]

    def pusher(phone, record):
        def push():
            client = app.test_client()
            response = client.post(f"{API}/push", json=batch([record]), headers=bearer(phone.token))
            assert response.status_code == 200
            return response.get_json()["results"][0]
        return push

    results = run_together(app, [pusher(p, r) for p, r in zip(enforcement.phones, records, strict=True)])
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert sum("seal_conflict" in r["flags"] for r in results) == 1  # the later one, at once
    db.session.expire_all()
    for record in records:
        assert "seal_conflict" in db.session.get(Diligence, record["id"]).flags  # both, stored
    assert db.session.scalars(select(Seal.status).where(Seal.code == code)).one() == "conflict"
