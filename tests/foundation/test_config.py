"""Settings come from the environment in one place; a bad value stops the app at start."""

from __future__ import annotations

import pytest

from fieldapp.config import ConfigError, load_config


def test_limits_are_read_from_the_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MEDIA_MAX_BYTES", "5000000")
    monkeypatch.setenv("SYNC_MAX_BATCH_RECORDS", "25")
    config = load_config(str(tmp_path), {"SECRET_KEY": "s" * 32})
    assert config["MEDIA_MAX_BYTES"] == 5_000_000
    assert config["SYNC_MAX_BATCH_RECORDS"] == 25
    assert "MEDIA_MAX_PIXELS" not in config  # unset: the media module's default applies


@pytest.mark.parametrize("raw", ["diez", "-1", "0", "1.5"])
def test_a_bad_limit_stops_the_app(monkeypatch, tmp_path, raw) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SYNC_MAX_CLOCK_DRIFT_SECONDS", raw)
    with pytest.raises(ConfigError, match="SYNC_MAX_CLOCK_DRIFT_SECONDS"):
        load_config(str(tmp_path), {"SECRET_KEY": "s" * 32})


def test_explicit_settings_win_over_the_environment(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("MEDIA_MAX_BYTES", "5000000")
    config = load_config(str(tmp_path), {"SECRET_KEY": "s" * 32, "MEDIA_MAX_BYTES": 10})
    assert config["MEDIA_MAX_BYTES"] == 10
