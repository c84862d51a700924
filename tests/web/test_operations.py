"""Operations of the web app: Prometheus metrics, JSON logs with conversation ids, the
apology for a turn the dialogue could not answer (Rasa is faked here; tests/e2e and
tests/faults run the real processes)."""
from __future__ import annotations

import json
import logging

from runtime.logs import JsonFormatter
from runtime.settings import Settings
from web import chat, create_app
from tests.web.test_chat_api import FakeRasa


class SilentRasa(FakeRasa):
    """Answers a turn with no messages at all, as Rasa does when one of its actions failed."""

    def send(self, sender, message, metadata):
        super().send(sender, message, metadata)
        return []

    def healthy(self):
        return True


def app_with(rasa):
    return create_app(Settings.from_env(), rasa_client=rasa)


def test_metrics_count_turns_and_refusals_in_prometheus_format():
    client = app_with(FakeRasa()).test_client()
    client.post("/api/chat", json={"sender": "m", "message": "hi"})
    client.post("/api/chat", json={"sender": "m", "message": "hello"})
    client.post("/api/chat", json={"sender": "m"})
    body = client.get("/metrics").get_data(as_text=True)
    assert "# TYPE omnishop_chat_turn_seconds histogram" in body
    assert "omnishop_chat_turn_seconds_count 2" in body
    assert 'omnishop_chat_turn_seconds_bucket{le="+Inf"} 2' in body
    assert 'omnishop_api_responses_total{path="/api/chat",status="200"} 2' in body
    assert 'omnishop_api_responses_total{path="/api/chat",status="400"} 1' in body


def test_a_turn_with_no_answer_gets_an_apology_and_is_not_remembered():
    rasa = SilentRasa()
    client = app_with(rasa).test_client()
    body = {"sender": "q", "message": "yes", "metadata": {"message_id": "m-1"}}
    first = client.post("/api/chat", json=body)
    assert first.status_code == 200
    assert first.get_json() == [{"recipient_id": "web:q", "text": chat.NO_ANSWER_TEXT}]
    client.post("/api/chat", json=body)  # the shopper retries: the turn runs again
    assert len(rasa.turns) == 2


def test_json_log_lines_carry_the_conversation_id():
    record = logging.makeLogRecord({"name": "omnishop.chat", "levelname": "INFO", "msg": "chat turn %s",
                                    "args": ("answered",), "conversation_id": "web:abc", "latency_ms": 12.5})
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "chat turn answered"
    assert line["conversation_id"] == "web:abc" and line["latency_ms"] == 12.5
    assert line["level"] == "INFO" and line["ts"].endswith("+00:00")
