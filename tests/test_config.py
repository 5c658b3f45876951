"""Settings from the environment: the extraction time limit; where the data folders are found."""

from __future__ import annotations

import pytest

from app import config
from app.config import EXTRACT_TIMEOUT_S, PROJECT_ROOT, Settings, data_dir, extract_timeout, settings_from_env


def test_the_extraction_time_limit_has_a_default_and_an_environment_variable():
    assert extract_timeout({}) == EXTRACT_TIMEOUT_S == settings_from_env({}).extract_timeout
    assert extract_timeout({"TIMELINE_EXTRACT_TIMEOUT": "2.5"}) == 2.5
    assert settings_from_env({"TIMELINE_EXTRACT_TIMEOUT": " 7 "}).extract_timeout == 7


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_extraction_time_limit_is_refused_by_name(value):
    with pytest.raises(ValueError, match="TIMELINE_EXTRACT_TIMEOUT"):
        settings_from_env({"TIMELINE_EXTRACT_TIMEOUT": value})


def test_the_public_url_is_read_and_checked():
    assert settings_from_env({}).public_url is None
    assert settings_from_env({"TIMELINE_PUBLIC_URL": " https://timeline.example.org/ "}).public_url == (
        "https://timeline.example.org")
    for value in ("timeline.example.org", "ftp://timeline.example.org", "https://", "https://a.example/?x=1"):
        with pytest.raises(ValueError, match="TIMELINE_PUBLIC_URL"):
            settings_from_env({"TIMELINE_PUBLIC_URL": value})


def test_data_folders_come_from_the_checkout_when_the_package_holds_none():
    assert data_dir("templates") == PROJECT_ROOT / "templates"
    assert Settings().seeds_dir == PROJECT_ROOT / "seeds"


def test_data_folders_come_from_the_installed_package_when_it_holds_them(tmp_path, monkeypatch):
    installed = tmp_path / "site-packages" / "app"
    (installed / "migrations").mkdir(parents=True)
    monkeypatch.setattr(config.resources, "files", lambda package: installed)
    assert data_dir("migrations") == installed / "migrations"
    assert data_dir("seeds") == PROJECT_ROOT / "seeds"  # a folder the package lacks still comes from the checkout
