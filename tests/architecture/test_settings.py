"""One settings object, read from the environment once: every knob, typed, and listed in the README."""
from __future__ import annotations

import dataclasses

import pytest

from runtime.settings import REPO_ROOT, Settings, SettingError, settings_table


def test_defaults_follow_the_var_directory():
    settings = Settings.from_env({"OMNISHOP_VAR": "/srv/shop"})
    assert str(settings.index_dir) == "/srv/shop/index"
    assert settings.database_url == "sqlite:////srv/shop/omnishop.db"
    assert settings.web.allowed_origins == ("*",) and settings.voice.alexa_verify is True


def test_values_are_parsed_into_their_types():
    settings = Settings.from_env({
        "WEB_PORT": "9000", "OMNISHOP_PROXY_HOPS": "2", "OMNISHOP_ALLOWED_ORIGINS": "https://a.shop, https://b.shop",
        "OMNISHOP_ALEXA_VERIFY": "off", "OMNISHOP_ALEXA_APP_IDS": "skill-1,skill-2", "OMNISHOP_HNSW_MIN_PRODUCTS": "1000",
        "OMNISHOP_PRELOAD": "1", "RASA_URL": "http://rasa:5005/"})
    assert settings.web_port == 9000 and settings.web.proxy_hops == 2
    assert settings.web.allowed_origins == ("https://a.shop", "https://b.shop")
    assert settings.voice.alexa_verify is False and settings.voice.alexa_app_ids == ("skill-1", "skill-2")
    assert settings.search.hnsw_min_products == 1000 and settings.preload is True
    assert settings.rasa_url == "http://rasa:5005"


def test_an_empty_variable_counts_as_unset():
    assert Settings.from_env({"WEB_PORT": "", "OMNISHOP_ALEXA_VOICE_CODE": "  "}) == Settings.from_env({})


@pytest.mark.parametrize("name, value", [("WEB_PORT", "eighty"), ("OMNISHOP_HNSW_MIN_PRODUCTS", "lots"),
                                         ("OMNISHOP_PROXY_HOPS", "1.5")])
def test_a_bad_value_names_its_variable(name, value):
    with pytest.raises(SettingError, match=name):
        Settings.from_env({name: value})


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings.from_env({}).web_port = 1


def test_the_readme_lists_every_setting_as_generated():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert settings_table() in readme, "regenerate the README's table: python -m runtime.settings"
    for group in ("web", "voice", "security", "search", "logs"):
        assert f"| {group} |" in settings_table()
