"""The Redis lock store lets one turn of a conversation run at a time across Rasa servers.

Two real processes in the Rasa venv (tests/scaleout/lock_contender.py), each standing for a
Rasa server, start three turns of the same conversation at the same instant, twenty rounds
over; every turn counts in Redis who else is inside. Rasa's stock `RedisLockStore` fails
here (its ticket is a read-modify-write of one JSON value: turns overlap, or one server
deletes the other's ticket and that turn is refused with a LockError); ours must not.
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest
import redis

from runtime.processes import RASA_PYTHON, REDIS_LOCK_STORE, base_env
from runtime.settings import REPO_ROOT, Settings
from tests.infrastructure import redis_url_with_free_db

pytestmark = pytest.mark.e2e

ROUNDS, TURNS_PER_SERVER = 20, 3


def contend(store: str, redis_url: str) -> list[dict]:
    url = urlsplit(redis_url)
    conversation = f"lock-test-{uuid.uuid4().hex[:8]}"
    start_at = time.time() + 8  # both processes import Rasa first (a few seconds)
    argv = [str(RASA_PYTHON), str(REPO_ROOT / "tests" / "scaleout" / "lock_contender.py"), "--store", store,
            "--redis-port", str(url.port or 6379), "--redis-db", url.path.strip("/"),
            "--conversation", conversation, "--start-at", str(start_at),
            "--rounds", str(ROUNDS), "--turns", str(TURNS_PER_SERVER)]
    servers = [subprocess.Popen(argv, env=base_env(Settings.from_env()), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = []
    for server in servers:
        out, err = server.communicate(timeout=120)
        assert server.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_turns_of_one_conversation_never_overlap_across_two_servers():
    if not RASA_PYTHON.exists():
        pytest.fail(f"no Rasa venv at {RASA_PYTHON}; run `make venvs`")
    redis_url = redis_url_with_free_db()
    try:
        results = contend(REDIS_LOCK_STORE, redis_url)
        assert results == [{"completed": ROUNDS * TURNS_PER_SERVER, "overlaps": 0, "refused": 0}] * 2
        # Finished conversations leave no tickets behind (only counters, which expire).
        leftover = redis.Redis.from_url(redis_url).keys("omnishop-lock:*:tickets")
        assert leftover == []
    finally:
        redis.Redis.from_url(redis_url).flushdb()
