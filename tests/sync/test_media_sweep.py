"""The daily sweep of temporary upload files: a file a killed upload left behind goes, an upload
in progress and every stored file stay."""

from __future__ import annotations

import os
import time

from fieldapp.media.commands import sweep_media_temporaries_command
from fieldapp.media.storage import TMP_PREFIX, original_path, write_atomically

SHA = "ab" + "0" * 62


def test_the_sweep_removes_only_stale_temporary_files(app, runner):
    write_atomically(original_path(SHA), b"a stored photo")
    folder = original_path(SHA).parent
    stale = folder / f"{TMP_PREFIX}killed"
    fresh = folder / f"{TMP_PREFIX}in-progress"
    stale.write_bytes(b"half an upload")
    fresh.write_bytes(b"an upload on its way")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))

    result = runner.invoke(sweep_media_temporaries_command)

    assert result.exit_code == 0, result.output
    assert "1 temporary file(s)" in result.output
    assert not stale.exists()
    assert fresh.exists()
    assert original_path(SHA).read_bytes() == b"a stored photo"
