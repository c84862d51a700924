"""Start the three real processes (Rasa, action server, web app) once per test session.

They run on spare ports with a fresh SQLite database in a temporary directory, against
the index and Rasa model that `make test` built, exactly as `make run` starts them.

A spare port comes from the OS (`free_port`), but is free only until someone else binds it:
between the pick and the process's own bind (Rasa binds after loading its model) another
process may take it. `start_on_fresh_ports` then starts again on new ports: a process that
exits saying "address already in use" raises `PortTaken`, and any other failure fails the
test at once.
"""
from __future__ import annotations

import contextlib
import dataclasses
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import requests

from index_artefact.layout import current_build, publish
from runtime.customer_tokens import SECRET_ENV, CustomerTokens
from runtime.processes import RASA_MODEL, ProcessSpec, process_specs
from runtime.settings import REPO_ROOT, Settings
from runtime.supervisor import Supervisor


ADDRESS_IN_USE = re.compile(r"address already in use|\[Errno (98|48)\]|EADDRINUSE", re.IGNORECASE)
PORT_ATTEMPTS = 4
T = TypeVar("T")


def free_port() -> int:
    """A port the OS reports free right now (see the module docstring for what may happen next)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PortTaken(RuntimeError):
    """A process exited at start-up because its port was taken after `free_port` chose it."""


class TestSupervisor(Supervisor):
    """The runtime's Supervisor that also reads what each process prints, so a start-up that
    lost its port ("address already in use") is told apart from every other failure."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, specs: list[ProcessSpec], colour: bool = False):
        super().__init__(specs, colour=colour)
        self.lost_port: set[str] = set()  # the processes that said their address was in use

    def say(self, name: str, line: str) -> None:  # every line each process prints comes through here
        if ADDRESS_IN_USE.search(line):
            self.lost_port.add(name)
        super().say(name, line)

    def start_healthy(self, timeout_s: float, names: list[str] | None = None, what: str = "the assistant") -> None:
        """Start `names` (every spec by default) and return once each answers its health check.

        On any failure every process of this supervisor is stopped; then PortTaken is raised
        when a process said its address was in use (start again on new ports), and the test
        fails otherwise."""
        names = names or [spec.name for spec in self.specs]
        try:
            for name in names:
                self.start_process(name)
            self._wait_healthy(timeout_s, names, what)
        except BaseException:
            self.stop()
            raise

    def _wait_healthy(self, timeout_s: float, names: list[str], what: str) -> None:
        pending = {spec.name: spec.health_url for spec in self.specs if spec.name in names}
        deadline = time.monotonic() + timeout_s
        while True:
            exited = [name for name in names if self.children[name].poll() is not None]
            if exited:
                self._give_up(exited, what)
            if self.lost_port.intersection(names):  # said so, but has not exited (yet)
                raise PortTaken(f"{', '.join(sorted(self.lost_port.intersection(names)))}: "
                                "its port was taken before it could bind it")
            if not pending:
                return
            self.check_health(pending)
            if pending and time.monotonic() > deadline:
                pytest.fail(f"{what}: {', '.join(pending)} not healthy after {timeout_s:.0f} s; "
                            "see the prefixed logs above")
            time.sleep(0.2)

    def _give_up(self, exited: list[str], what: str) -> None:
        """Some process exited during start-up: PortTaken if it lost its port, else fail. Its
        last lines may still be on their way through the log pump: wait for them a little."""
        deadline = time.monotonic() + 5
        while not self.lost_port.intersection(exited) and time.monotonic() < deadline:
            time.sleep(0.05)
        codes = ", ".join(f"{name} (exit code {self.children[name].returncode})" for name in exited)
        if self.lost_port.intersection(exited):
            raise PortTaken(f"{codes}: its port was taken before it could bind it")
        pytest.fail(f"{what}: {codes} exited during start-up; see the prefixed logs above")


def start_on_fresh_ports(start: Callable[[], T], what: str) -> T:
    """`start()` picks its ports with `free_port` and starts processes on them (stopping them
    again and raising PortTaken when a port was taken meanwhile); call it until it succeeds,
    on new ports each time, at most PORT_ATTEMPTS times."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        try:
            return start()
        except PortTaken as exc:
            if attempt == PORT_ATTEMPTS:
                pytest.fail(f"{what}: lost a port {PORT_ATTEMPTS} times in a row; last: {exc}")
            print(f"[omnishop] {what}: {exc}; starting again on new ports", flush=True)
    raise AssertionError("unreachable")


def private_index(var: Path) -> Path:
    """A private copy of the live index build under var/index, so tests may update or break it
    without touching yours."""
    live = current_build(Settings.from_env().index_dir)
    index_dir = var / "index"
    shutil.copytree(live, index_dir / "builds" / live.name)
    publish(index_dir, index_dir / "builds" / live.name)
    return index_dir


def build_catalog(feed: Path, index_dir: Path) -> tuple[Path, str]:
    """Build `feed` into `index_dir` with the project's CLI, as a retailer would: the new build's
    directory and what the CLI printed. The build that was live stays live (see `on_build`)."""
    live = current_build(index_dir)
    built = subprocess.run([sys.executable, "-m", "catalog_index", "build", "--catalog", str(feed), "--out",
                            str(index_dir), "--no-progress"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    build_dir = current_build(index_dir)
    publish(index_dir, live)
    return build_dir, built.stdout


@contextlib.contextmanager
def on_build(index_dir: Path, build_dir: Path):
    """The running assistant on `build_dir` (its catalog, vocabulary and currency, read again by
    every process with no restart), then on the build that was live before."""
    live = current_build(index_dir)
    publish(index_dir, build_dir)
    try:
        yield
    finally:
        publish(index_dir, live)


def texts(messages: list[dict]) -> str:
    """Everything the assistant wrote in one turn."""
    return " ".join(m.get("text") or "" for m in messages)


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
    secret = secrets.token_hex(32)
    with running_assistant(settings, "the assistant", {SECRET_ENV: secret},
                           customer_tokens=CustomerTokens(secret.encode())) as (_, running):
        yield running


@contextlib.contextmanager
def running_assistant(settings: Settings, what: str, env: dict[str, str] | None = None, timeout_s: float = 240,
                      customer_tokens: CustomerTokens | None = None):
    """The three real processes for `settings` on fresh ports (started again on new ones when a
    port is lost), `env` added to each, warmed up: yields (supervisor, RunningAssistant), and
    stops them all on exit."""

    def start() -> tuple[TestSupervisor, int, int]:
        rasa_port, action_port, web_port = free_port(), free_port(), free_port()
        specs = process_specs(settings, rasa_port, action_port, web_port)
        for spec in specs:
            spec.env.update(env or {})
        supervisor = TestSupervisor(specs)
        supervisor.start_healthy(timeout_s=timeout_s, what=what)
        return supervisor, rasa_port, web_port

    supervisor, rasa_port, web_port = start_on_fresh_ports(start, what)
    try:
        supervisor.warm_up(f"http://127.0.0.1:{rasa_port}")
        yield supervisor, RunningAssistant(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{web_port}",
                                           settings, customer_tokens)
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

    def start() -> tuple[TestSupervisor, int]:
        port = free_port()
        spec = ProcessSpec("web-alt", web.argv, {**web.env, "RASA_URL": assistant.rasa_url, "WEB_PORT": str(port),
                                                 **env}, f"http://127.0.0.1:{port}/healthz?live=1")
        supervisor = TestSupervisor([spec])
        supervisor.start_healthy(timeout_s=120, what="the extra web app")
        return supervisor, port

    supervisor, port = start_on_fresh_ports(start, "the extra web app")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        supervisor.stop()
