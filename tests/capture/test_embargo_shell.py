"""The embargo's modules and the lazily loaded QR decoder are the executor's precached extra, so
the seal scan works with no signal (a notifier's phone never downloads them: test_role_extras);
the page itself loads neither the scanner nor jsQR."""

from __future__ import annotations

from fieldapp.capture.shell import current_shell
from tests.static_urls import service_worker_shell, versioned

LAZY = ("js/capture/scan.js", "vendor/jsqr-1.4.0/jsQR.min.js")


def test_the_service_worker_precaches_the_embargo_and_the_seal_scanner_for_executors(app, client):
    shell = current_shell(app)
    for name in ("js/capture/seizure.js", "js/capture/seizure-model.js", "js/capture/seals.js", *LAZY):
        assert name in shell.role_files["executor"] and name not in shell.static_files
    extra = service_worker_shell(client.get("/sw.js").get_data(as_text=True))["role_static_urls"]
    assert versioned(app, "vendor/jsqr-1.4.0/jsQR.min.js") in extra["executor"]
    assert versioned(app, "js/capture/scan.js") in extra["executor"]


def test_the_diligence_page_does_not_load_the_scanner_up_front(app):
    from pathlib import Path

    static = Path(app.static_folder)
    diligence = (static / "js" / "capture" / "diligence.js").read_text()
    seizure = (static / "js" / "capture" / "seizure.js").read_text()
    # Only dynamic imports: seizure.js for executors, scan.js (and jsQR) when a seal is read.
    assert 'import("./seizure.js")' in diligence and 'from "./seizure.js"' not in diligence
    assert 'import("./scan.js")' in seizure and 'from "./scan.js"' not in seizure
