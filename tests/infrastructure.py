"""Real PostgreSQL and Redis for tests: a scratch database per run, a free Redis db number.

Both servers run at 127.0.0.1 on the development and CI machines (PostgreSQL with trust
auth, database `test`); OMNISHOP_TEST_POSTGRES and OMNISHOP_TEST_REDIS point elsewhere.
Tests that need them skip, saying which one is missing, when they cannot be reached.
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


@contextlib.contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """CREATE DATABASE omnishop_<random>, yield its URL, DROP it afterwards (even if in use)."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable" here
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {make_url(POSTGRES_ADMIN_URL).render_as_string()}: "
                    f"{exc.__class__.__name__}")
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
    """A Redis URL on a database number no other key uses (skips when Redis is unreachable)."""
    try:
        server = redis.Redis.from_url(REDIS_SERVER_URL, socket_connect_timeout=3)
        keyspace = server.info("keyspace")
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_SERVER_URL}: {exc.__class__.__name__}")
    free = [n for n in range(1, REDIS_DATABASES) if f"db{n}" not in keyspace]
    if not free:
        pytest.skip(f"every Redis database at {REDIS_SERVER_URL} holds keys; none free for a test")
    return f"{REDIS_SERVER_URL}/{free[uuid.uuid4().int % len(free)]}"


def redis_clients_on(url: str) -> int:
    """How many connections are open to the database in url (who is using the lock store)."""
    db = int(url.rsplit("/", 1)[1])
    server = redis.Redis.from_url(REDIS_SERVER_URL)
    return sum(1 for client in server.client_list() if int(client.get("db", -1)) == db)
