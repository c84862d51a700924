"""The outside emulator virtual-alexa 0.7.8 (tests/voice_emulator) holds a launch-to-order
conversation, built from our interaction model, with the running services.

virtual-alexa cannot sign requests, so this one test talks to a second web app started with
verification explicitly off (`OMNISHOP_ALEXA_VERIFY=0`); the shared one keeps it on.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import custom_payloads, customer_chat, extra_web_app
from tests.infrastructure import require
from tests.voice.envelopes import SKILL_ID
from runtime.customer_tokens import CustomerTokens

pytestmark = pytest.mark.e2e
EMULATOR = Path(__file__).resolve().parents[1] / "voice_emulator"


@pytest.fixture(scope="session")
def virtual_alexa() -> Path:
    """The emulator script, once `npm ci` has installed the pinned virtual-alexa. Session-scoped
    and first in the test's arguments, so a skip (a failure in CI) comes before the services
    are started."""
    require(shutil.which("node") and shutil.which("npm"), "node and npm are needed for the virtual-alexa test",
            "install Node.js 18+ with npm (apt-get install nodejs npm)")
    if not (EMULATOR / "node_modules" / "virtual-alexa").is_dir():
        installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EMULATOR, capture_output=True,
                                   text=True, timeout=300)
        require(installed.returncode == 0, f"`npm ci` in {EMULATOR} failed (offline?): {installed.stderr[-400:]}",
                f"give npm access to its registry, or run `npm ci` in {EMULATOR} once online")
    return EMULATOR / "launch_to_order.mjs"


def test_virtual_alexa_orders_from_launch_to_placed(virtual_alexa, assistant):
    secret, customer = secrets.token_hex(32), f"cust-{uuid.uuid4().hex[:12]}"
    env = {"OMNISHOP_ALEXA_VERIFY": "0", "OMNISHOP_ALEXA_APP_IDS": SKILL_ID, "OMNISHOP_CUSTOMER_TOKEN_SECRET": secret}
    with extra_web_app(assistant, env) as url:
        run = subprocess.run(["node", str(virtual_alexa)], capture_output=True, text=True, timeout=300, env={
            **os.environ, "SKILL_URL": f"{url}/alexa", "SKILL_ID": SKILL_ID,
            "ACCESS_TOKEN": CustomerTokens(secret.encode()).mint(customer, 600)})
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert [t["label"] for t in result["turns"]] == ["launch", "search", "any size", "add", "size", "checkout", "yes", "stop"]

    order = custom_payloads(customer_chat(assistant, customer, "where is my order"), "order")
    assert order and order[0]["order_id"] == result["order"] and f"{order[0]['total']:.2f}" == result["total"]
    assert order[0]["items"][0]["size"] == result["size"]
