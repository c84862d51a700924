"""Real PostgreSQL and Redis for tests: a scratch database per run, a free Redis db number.

Both servers run at 127.0.0.1 on the development and CI machines (PostgreSQL with trust
auth, database `test`); OMNISHOP_TEST_POSTGRES and OMNISHOP_TEST_REDIS point elsewhere.

Tests that need something the machine may lack (these servers, Node.js and npm packages,
Chromium) call `require`: locally a test skips, saying what is missing and how to install
it; in CI (the environment variable CI is set, as `.ci/run` sets it) it fails instead, so a
missing service can never turn into a green run that tested nothing.
"""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ADMIN_URL = os.environ.get("OMNISHOP_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_SERVER_URL = os.environ.get("OMNISHOP_TEST_REDIS", "redis://127.0.0.1:6379").rstrip("/")
REDIS_DATABASES = 16  # Redis's default `databases` setting


def ci_mode() -> bool:
    """True in CI: the environment variable CI is set to anything but empty, 0, false or no."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(condition: object, what: str, how_to_install: str) -> None:
    """Go on when `condition` holds; otherwise skip the test locally, or fail it in CI.

    `what` says what is missing (and why, e.g. the connection error), `how_to_install` how to
    get it; both end up in the skip reason (shown by `-ra`) or in the CI failure.
    """
    if condition:
        return
    message = f"{what}; to run this test: {how_to_install}"
    if ci_mode():
        pytest.fail(f"CI must run every test, and this one cannot run: {message}", pytrace=False)
    pytest.skip(message)


@contextlib.contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """CREATE DATABASE omnishop_<random>, yield its URL, DROP it afterwards (even if in use)."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
        unreachable = None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable" here
        admin.dispose()
        unreachable = exc
    require(unreachable is None,
            f"PostgreSQL is not reachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: "
            f"{unreachable.__class__.__name__}: {(str(unreachable).strip().splitlines() or [''])[0][:200]}",
            "install and start PostgreSQL (apt-get install postgresql; pg_ctlcluster --skip-systemctl-redirect "
            "<version> main start) with trust auth for `postgres` on 127.0.0.1 and a database `test`, "
            "or point OMNISHOP_TEST_POSTGRES at one")
    name = f"omnishop_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def redis_url_with_free_db() -> str:
    """A Redis URL on a database number no other key uses (`require`s a reachable Redis)."""
    keyspace, unreachable = {}, None
    try:
        server = redis.Redis.from_url(REDIS_SERVER_URL, socket_connect_timeout=3)
        keyspace = server.info("keyspace")
    except redis.RedisError as exc:
        unreachable = exc
    require(unreachable is None,
            f"Redis is not reachable at {REDIS_SERVER_URL}: {unreachable.__class__.__name__}: {unreachable}",
            "install and start Redis (apt-get install redis-server; redis-server --daemonize yes --port 6379), "
            "or point OMNISHOP_TEST_REDIS at one")
    free = [n for n in range(1, REDIS_DATABASES) if f"db{n}" not in keyspace]
    require(free, f"every Redis database at {REDIS_SERVER_URL} holds keys; none is free for a test",
            "flush a database you do not need (redis-cli -n <db> flushdb), or point OMNISHOP_TEST_REDIS "
            "at another server")
    return f"{REDIS_SERVER_URL}/{free[uuid.uuid4().int % len(free)]}"


def redis_clients_on(url: str) -> int:
    """How many connections are open to the database in url (who is using the lock store)."""
    db = int(url.rsplit("/", 1)[1])
    server = redis.Redis.from_url(REDIS_SERVER_URL)
    return sum(1 for client in server.client_list() if int(client.get("db", -1)) == db)
