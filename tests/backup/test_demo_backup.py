"""The issue's own check: a backup taken while the demo is serving restores into an empty
install with the same records and media, and the demo people can log in there."""

from __future__ import annotations

import json
import tarfile
import threading

from werkzeug.serving import make_server

from fieldapp.demo.data import DEMO_PASSWORD
from fieldapp.extensions import db
from tests.backup.helpers import Writer, http_logins, put_media, table_rows

HOMES = {"notificador1": "/campo/", "notificador2": "/campo/", "ejecutor1": "/campo/",
         "jefe1": "/oficina/", "admin": "/admin/"}


def test_a_backup_of_the_serving_demo_restores_with_its_records_media_and_logins(
        app, source, new_install, tmp_path):
    seeded = source.fieldapp("demo", "--no-serve")
    assert seeded.returncode == 0, seeded.stderr
    demo_media = {p.name for p in source.media_root.glob("??/*")}  # the demo's own photos
    assert demo_media, "the demo seeds its diligences with photos"
    media = demo_media | {put_media(source.media_root, f"foto de diligencia {n}".encode() * 300)
                          for n in range(5)}
    before = table_rows(source.url)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    writer = Writer(http_logins(f"http://127.0.0.1:{server.server_port}", "jefe1", DEMO_PASSWORD))
    try:
        writer.start()
        writer.wait_for(2)
        backup = source.fieldapp("backup", "--output", str(tmp_path) + "/")
        writer.wait_for(writer.count + 2)
    finally:
        writer.stop.set()
        writer.join(timeout=60)
        server.shutdown()
    assert writer.error is None and backup.returncode == 0, (writer.error, backup.stderr)
    after = table_rows(source.url)
    [archive] = tmp_path.glob("fieldapp-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["record_counts"]["credits"] >= 200

    target = new_install()
    restore = target.fieldapp("restore", str(archive))
    assert restore.returncode == 0, restore.stderr
    restored = table_rows(target.url)
    assert {t: len(r) for t, r in restored.items() if t != "alembic_version"} == manifest["record_counts"]
    for table in restored:
        assert before[table] <= restored[table] <= after[table], table
    restored_media = {p.name for p in target.media_root.glob("??/*")}
    assert restored_media == media

    restored_app = target.app(tmp_path)
    with restored_app.app_context():
        client = restored_app.test_client()
        for username, home in HOMES.items():
            response = client.post("/entrar", data={"username": username, "password": DEMO_PASSWORD})
            assert (response.status_code, response.headers.get("Location")) == (302, home), username
            assert client.get(home).status_code == 200
            client.post("/salir")
        db.session.remove()
        db.engine.dispose()

