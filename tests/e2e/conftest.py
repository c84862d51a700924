"""Start the three real processes (Rasa, action server, web app) once per test session.

They run on spare ports with a fresh SQLite database in a temporary directory, against
the index and Rasa model that `make test` built, exactly as `make run` starts them.
"""
from __future__ import annotations

import contextlib
import dataclasses
import secrets
import shutil
import socket
import uuid
from pathlib import Path

import pytest
import requests

from catalog_index.artefact import current_build, publish
from runtime.customer_tokens import SECRET_ENV, CustomerTokens
from runtime.processes import RASA_MODEL, ProcessSpec, process_specs
from runtime.settings import Settings
from runtime.supervisor import Supervisor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_index(var: Path) -> Path:
    """A private copy of the live index build under var/index, so tests may update or break it
    without touching yours."""
    live = current_build(Settings.from_env().index_dir)
    index_dir = var / "index"
    shutil.copytree(live, index_dir / "builds" / live.name)
    publish(index_dir, index_dir / "builds" / live.name)
    return index_dir


@dataclasses.dataclass
class RunningAssistant:
    rasa_url: str
    web_url: str
    settings: Settings
    customer_tokens: CustomerTokens | None = None  # the test's stand-in for the retailer's login

    def login_cookie(self, customer: str) -> str:
        """What the retailer's login puts in the `omnishop_customer` cookie for this customer."""
        assert self.customer_tokens is not None, "this stack was started without a customer login"
        return self.customer_tokens.mint(customer, 3600)

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
    index_dir = private_index(var)
    settings = dataclasses.replace(Settings.from_env(), var_dir=var, index_dir=index_dir,
                                   database_url=f"sqlite:///{var / 'omnishop.db'}", action_server_url="")
    rasa_port, action_port, web_port = free_port(), free_port(), free_port()
    secret = secrets.token_hex(32)
    specs = process_specs(settings, rasa_port, action_port, web_port)
    for spec in specs:
        spec.env[SECRET_ENV] = secret
    supervisor = Supervisor(specs, colour=False)
    supervisor.start()
    try:
        if not supervisor.wait_healthy(timeout_s=240):
            pytest.fail("the assistant did not become healthy; see the prefixed logs above")
        supervisor.warm_up(f"http://127.0.0.1:{rasa_port}")
        yield RunningAssistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}", settings,
                               CustomerTokens(secret.encode()))
    finally:
        supervisor.stop()


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def custom_payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def customer_chat(assistant: RunningAssistant, customer: str, message: str) -> list[dict]:
    """One turn in the web widget of a signed-in customer (the storefront's login cookie)."""
    response = requests.post(f"{assistant.web_url}/api/chat", json={"sender": f"web-{customer}", "message": message},
                             cookies={"omnishop_customer": assistant.login_cookie(customer)}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


@contextlib.contextmanager
def extra_web_app(assistant: RunningAssistant, env: dict[str, str]):
    """A second web app on the same dialogue core and database, with settings of its own
    (e.g. the Alexa test PKI, or verification off): the shared one keeps production defaults.
    Yields its base URL."""
    web = next(spec for spec in process_specs(assistant.settings) if spec.name == "web")
    port = free_port()
    spec = ProcessSpec("web-alt", web.argv, {**web.env, "RASA_URL": assistant.rasa_url, "WEB_PORT": str(port), **env},
                       f"http://127.0.0.1:{port}/healthz?live=1")
    supervisor = Supervisor([spec], colour=False)
    supervisor.start()
    try:
        if not supervisor.wait_healthy(timeout_s=120):
            pytest.fail("the extra web app did not start; see the prefixed logs above")
        yield f"http://127.0.0.1:{port}"
    finally:
        supervisor.stop()
