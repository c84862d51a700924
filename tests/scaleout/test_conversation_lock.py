"""The Redis lock store lets one turn of a conversation run at a time across Rasa servers.

Two real processes in the Rasa venv (tests/scaleout/lock_contender.py), each standing for a
Rasa server, start three turns of the same conversation together (a barrier in Redis starts
each round), twenty rounds over; every turn counts in Redis who else is inside. Rasa's stock
`RedisLockStore` fails here (its ticket is a read-modify-write of one JSON value: turns
overlap, or one server deletes the other's ticket and that turn is refused with a
LockError); ours must not.

"No overlaps" only means something if the servers did contend: a turn that waited for the
lock while the other server held it counts itself as `contended` (the contender's docstring
says how it knows), and the test fails when no turn ever did.
"""
from __future__ import annotations

import json
import subprocess
import tempfile
import time
import uuid
from urllib.parse import urlsplit

import pytest
import redis

from runtime.processes import RASA_PYTHON, REDIS_LOCK_STORE, base_env
from runtime.settings import REPO_ROOT, Settings
from tests.infrastructure import redis_url_with_free_db

pytestmark = pytest.mark.e2e

SERVERS, ROUNDS, TURNS_PER_SERVER = 2, 20, 3


def contend(store: str, redis_url: str) -> list[dict]:
    url = urlsplit(redis_url)
    conversation = f"lock-test-{uuid.uuid4().hex[:8]}"
    argv = [str(RASA_PYTHON), str(REPO_ROOT / "tests" / "scaleout" / "lock_contender.py"), "--store", store,
            "--redis-port", str(url.port or 6379), "--redis-db", url.path.strip("/"),
            "--conversation", conversation, "--servers", str(SERVERS),
            "--rounds", str(ROUNDS), "--turns", str(TURNS_PER_SERVER)]
    # Output to files, not pipes: a server blocked on a full pipe would hold the other at the barrier.
    outputs = [(tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")) for _ in range(SERVERS)]
    servers = [subprocess.Popen(argv, env=base_env(Settings.from_env()), stdout=out, stderr=err, text=True)
               for out, err in outputs]
    def last_line(file) -> str:
        file.seek(0)
        return (file.read().strip().splitlines() or [""])[-1]

    results = []
    deadline = time.monotonic() + 180
    try:
        for server, (out, err) in zip(servers, outputs):
            try:
                server.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"the lock contenders did not finish {ROUNDS} rounds in 180 s (a turn stuck waiting for "
                            f"a lost ticket?); their last counts: {[last_line(out) for out, _ in outputs]}")
            err.seek(0)
            assert server.returncode == 0, err.read()[-2000:]
            results.append(json.loads(last_line(out)))
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait()
        for out, err in outputs:
            out.close(), err.close()
    return results


def test_turns_of_one_conversation_never_overlap_across_two_servers():
    if not RASA_PYTHON.exists():
        pytest.fail(f"no Rasa venv at {RASA_PYTHON}; run `make venvs`")
    redis_url = redis_url_with_free_db()
    try:
        results = contend(REDIS_LOCK_STORE, redis_url)
        for result in results:
            del result["rounds"]  # a contender that exits 0 has run them all
        contended = sum(result.pop("contended") for result in results)
        assert results == [{"completed": ROUNDS * TURNS_PER_SERVER, "overlaps": 0, "refused": 0}] * SERVERS
        # ...and that means something: turns did wait while the other server held the lock.
        assert contended > 0, f"the two servers never contended for a lock in {ROUNDS} rounds: the test proved nothing"
        # Finished conversations leave no tickets behind (only counters, which expire).
        leftover = redis.Redis.from_url(redis_url).keys("omnishop-lock:*:tickets")
        assert leftover == []
    finally:
        redis.Redis.from_url(redis_url).flushdb()
