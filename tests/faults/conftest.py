"""A private assistant for fault tests: the three real processes, which the tests kill,
restart and starve (so they must not share the e2e session's assistant).

Every test leaves the stack healthy again: a fault test that breaks something restores it
in a `finally`, and `stack` checks the health of all three before each test.
"""
from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import create_engine, text

from runtime.processes import RASA_MODEL
from runtime.settings import Settings
from tests.e2e.conftest import RunningAssistant, TestSupervisor, private_index, running_assistant


@dataclasses.dataclass
class FaultStack:
    supervisor: TestSupervisor
    assistant: RunningAssistant

    @property
    def database_path(self) -> Path:
        return Path(self.assistant.settings.database_url.removeprefix("sqlite:///"))

    def chat(self, sender: str, message: str, message_id: str | None = None, timeout_s: float = 90) -> requests.Response:
        """One turn through the web app, as the widget sends it."""
        metadata = {"message_id": message_id} if message_id else {}
        return requests.post(f"{self.assistant.web_url}/api/chat", timeout=timeout_s,
                             json={"sender": sender, "message": message, "metadata": metadata})

    def restart(self, name: str) -> None:
        if self.supervisor.children[name].poll() is None:
            self.supervisor.stop_process(name)
        self.supervisor.start_process(name)
        if not self.supervisor.wait_healthy(timeout_s=300, names=[name]):
            pytest.fail(f"{name} did not come back after a restart")

    def shop_rows(self, query: str, **params) -> list:
        engine = create_engine(self.assistant.settings.database_url)
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(query), params))
        finally:
            engine.dispose()

    def cart(self, sender: str) -> list[tuple[str, int]]:
        rows = self.shop_rows("SELECT variant_id, quantity FROM cart_lines WHERE owner = :o ORDER BY id",
                              o=f"sender:web:{sender}")
        return [(row.variant_id, row.quantity) for row in rows]

    def orders(self, sender: str) -> list[str]:
        return [row.reference for row in self.shop_rows("SELECT reference FROM orders WHERE owner = :o",
                                                        o=f"sender:web:{sender}")]

    def port_of(self, name: str) -> int:
        """The port one of the three processes listens on."""
        return urlsplit(next(spec for spec in self.supervisor.specs if spec.name == name).health_url).port

    def lock_database(self) -> sqlite3.Connection:
        """Take SQLite's exclusive lock, as a long migration or a stuck writer would: until the
        returned connection rolls back, nobody else can read or write the shop database."""
        connection = sqlite3.connect(self.database_path, timeout=0, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        return connection


@pytest.fixture(scope="package")
def fault_stack(tmp_path_factory):
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained model at {RASA_MODEL}; run `make train`")
    var = tmp_path_factory.mktemp("faults")
    settings = dataclasses.replace(Settings.from_env(), var_dir=var, index_dir=private_index(var), redis_url=None,
                                   database_url=f"sqlite:///{var / 'omnishop.db'}", action_server_url="")

    # Traffic loops here send turns faster than a person: the rate limits are tested in tests/e2e.
    unlimited = {"OMNISHOP_RATE_LIMIT_SENDER": "off", "OMNISHOP_RATE_LIMIT_CLIENT": "off"}
    with running_assistant(settings, "the fault stack", unlimited, timeout_s=300) as (supervisor, running):
        yield FaultStack(supervisor, running)


@pytest.fixture
def stack(fault_stack) -> FaultStack:
    if not fault_stack.supervisor.wait_healthy(timeout_s=300):
        pytest.fail("the fault stack is not healthy at the start of a test (a previous test left it broken)")
    return fault_stack


@pytest.fixture
def sender() -> str:
    return f"fault-{uuid.uuid4().hex[:12]}"


def texts(response: requests.Response) -> list[str]:
    return [m.get("text") or "" for m in response.json()]


def wait_until(condition: Callable[[], object], timeout_s: float, what: str, poll_s: float = 0.02):
    """Poll `condition` until it returns something true (and return that); fail the test,
    saying `what` never happened, after `timeout_s`. Used instead of sleeping for a guessed
    time: it waits exactly as long as the thing waited for takes, and says so when it never comes."""
    deadline = time.monotonic() + timeout_s
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting until {what}")
        time.sleep(poll_s)
    return value


def established_connections(port: int) -> int:
    """How many TCP connections are ESTABLISHED to the server listening on `port` (connections
    whose local end is that port): from /proc/net/tcp{,6} on Linux, from `lsof` elsewhere."""
    tables = [table for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")) if table.exists()]
    if tables:
        count = 0
        for table in tables:
            for row in table.read_text().splitlines()[1:]:
                fields = row.split()  # sl local_address rem_address st ...; addresses are HEXIP:HEXPORT
                if len(fields) > 3 and fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                    count += 1
        return count
    listing = subprocess.run(["lsof", "-nP", f"-iTCP:{port}", "-sTCP:ESTABLISHED"], capture_output=True,
                             text=True, check=False).stdout
    return sum(1 for line in listing.splitlines()[1:] if f":{port}->" in line)


def refuses_connections(url: str) -> bool:
    """True when nothing accepts a connection at url any more (the listening socket is closed)."""
    try:
        requests.get(url, timeout=5)
    except requests.ConnectionError:
        return True
    return False
