"""Text that is valid JSON but not valid Unicode is refused before it reaches Rasa."""
from __future__ import annotations

import pytest

from tests.web.test_chat_api import app_and_rasa  # noqa: F401  (fixture)


@pytest.mark.parametrize("raw", [
    '{"sender": "u", "message": "shoes \\ud800"}',
    '{"sender": "u", "message": "\\udfff boots"}',
    '{"sender": "\\ud83d", "message": "hi"}',
])
def test_lone_surrogates_are_refused_with_a_reason(app_and_rasa, raw):
    app, rasa = app_and_rasa
    response = app.test_client().post("/api/chat", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert "valid Unicode" in response.get_json()["error"]
    assert rasa.turns == []


def test_invalid_utf8_bytes_are_refused(app_and_rasa):
    app, rasa = app_and_rasa
    response = app.test_client().post("/api/chat", data=b'{"sender": "u", "message": "\xff\xfe"}',
                                      content_type="application/json")
    assert response.status_code == 400 and rasa.turns == []


def test_a_proper_surrogate_pair_is_an_emoji_and_is_accepted(app_and_rasa):
    app, rasa = app_and_rasa
    response = app.test_client().post("/api/chat", data='{"sender": "u", "message": "\\ud83d\\udc5f shoes"}',
                                      content_type="application/json")
    assert response.status_code == 200
    assert rasa.turns[0][1] == "\U0001F45F shoes"


def test_parse_refuses_lone_surrogates(app_and_rasa):
    app, _ = app_and_rasa
    response = app.test_client().post("/api/parse", data='{"text": "red \\ud800"}', content_type="application/json")
    assert response.status_code == 400 and "valid Unicode" in response.get_json()["error"]


def test_nul_characters_are_refused(app_and_rasa):
    """PostgreSQL cannot store NUL in text: refused up front instead of failing in the tracker store."""
    app, rasa = app_and_rasa
    response = app.test_client().post("/api/chat", data='{"sender": "u", "message": "shoes\\u0000"}',
                                      content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.get_json()["error"] and rasa.turns == []
