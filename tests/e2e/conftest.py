"""Start the three real processes (Rasa, action server, web app) once per test session.

They run on spare ports with a fresh SQLite database in a temporary directory, against
the index and Rasa model that `make test` built, exactly as `make run` starts them.
"""
from __future__ import annotations

import dataclasses
import shutil
import socket
import uuid

import pytest
import requests

from catalog_index.artefact import current_build, publish
from runtime.processes import RASA_MODEL, process_specs
from runtime.settings import Settings
from runtime.supervisor import Supervisor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclasses.dataclass
class RunningAssistant:
    rasa_url: str
    web_url: str
    settings: Settings

    def say(self, sender: str, text: str, metadata: dict | None = None) -> list[dict]:
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook",
                                 json={"sender": sender, "message": text, "metadata": metadata or {}}, timeout=60)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained model at {RASA_MODEL}; run `make test` (it trains first)")
    var = tmp_path_factory.mktemp("var")
    # A private copy of the live index build, so tests may update it without touching yours.
    live = current_build(Settings.from_env().index_dir)
    index_dir = var / "index"
    shutil.copytree(live, index_dir / "builds" / live.name)
    publish(index_dir, index_dir / "builds" / live.name)
    settings = dataclasses.replace(Settings.from_env(), var_dir=var, index_dir=index_dir,
                                   database_url=f"sqlite:///{var / 'omnishop.db'}", action_server_url="")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    supervisor = Supervisor(process_specs(settings, rasa_port, action_port, web_port), colour=False)
    supervisor.start()
    try:
        if not supervisor.wait_healthy(timeout_s=240):
            pytest.fail("the assistant did not become healthy; see the prefixed logs above")
        supervisor.warm_up(f"http://127.0.0.1:{rasa_port}")
        yield RunningAssistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}", settings)
    finally:
        supervisor.stop()


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def custom_payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]
