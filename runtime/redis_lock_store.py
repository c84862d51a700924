"""Rasa's conversation lock in Redis, with every change to a lock one atomic Redis command.

Rasa serialises the turns of one conversation with a ticket lock: each turn takes a numbered
ticket and runs when its number is the lowest one left. Rasa's own `RedisLockStore` keeps the
whole lock as one JSON value and changes it by reading, editing and writing it back. Two
servers that take a ticket for the same conversation at the same moment both read "no
tickets", both write ticket 0 and both run their turn at once: the second tracker save then
drops the first turn (CI caught it: three messages sent, two in the tracker). This store
keeps the same ticket algorithm but never rewrites a lock:

* a ticket's number comes from `INCR` and is added to a sorted set (score = number, member =
  "number:expiry") by one Lua script, so no two turns share a number and no ticket appears
  after a higher one was already served;
* finishing a turn removes its own member; expired members (a server that died mid-turn)
  are removed one by one, never by writing back a copy that could miss a newer ticket;
* both keys expire a lifetime after the last ticket, so idle conversations leave nothing.

Loaded by Rasa from `bot/endpoints.yml` (`lock_store.type` is this class's module path);
runs in the Rasa (3.10) venv, whose `redis` package Rasa already depends on.
"""
from __future__ import annotations

import time
from collections import deque
from typing import Any

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import DEFAULT_SOCKET_TIMEOUT_IN_SECONDS, LOCK_LIFETIME, LockError, LockStore

KEY_PREFIX = "omnishop-lock:"

# KEYS: counter, tickets. ARGV: expiry (epoch seconds), key lifetime (ms).
_ISSUE_TICKET = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], number, number .. ':' .. ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return number
"""


class AtomicRedisLockStore(LockStore):
    """Ticket locks for conversations, shared by every Rasa server on one Redis database."""

    def __init__(self, endpoint_config: Any = None, *, host: str = "localhost", port: int = 6379,
                 db: int = 0, password: str | None = None,
                 socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_IN_SECONDS) -> None:
        if endpoint_config is not None:
            options = endpoint_config.kwargs
            host = endpoint_config.url or host
            port, db = options.get("port") or port, options.get("db") or db
            password = options.get("password") or password
        self.red = redis.Redis(host=host, port=int(port), db=int(db), password=password or None,
                               socket_timeout=socket_timeout)
        self._issue = self.red.register_script(_ISSUE_TICKET)
        super().__init__()

    def _keys(self, conversation_id: str) -> tuple[str, str]:
        return f"{KEY_PREFIX}{conversation_id}:issued", f"{KEY_PREFIX}{conversation_id}:tickets"

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        expires = time.time() + lock_lifetime
        try:
            return int(self._issue(keys=self._keys(conversation_id),
                                   args=[repr(expires), int(lock_lifetime * 1000) + 1000]))
        except redis.RedisError as error:
            raise LockError(f"Could not issue a ticket for conversation '{conversation_id}': {error}") from error

    def _tickets(self, conversation_id: str) -> list[tuple[bytes, Ticket]]:
        """Every ticket in Redis, lowest number first, beside the member that stores it."""
        members = self.red.zrange(self._keys(conversation_id)[1], 0, -1)
        return [(member, Ticket(int(number), float(expires)))
                for member, (number, expires) in ((m, m.decode().split(":", 1)) for m in members)]

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The conversation's live tickets, lowest number first; None when it has none."""
        lock = TicketLock(conversation_id, deque(ticket for _, ticket in self._tickets(conversation_id)))
        lock.remove_expired_tickets()
        return lock if lock.tickets else None

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.red.zremrangebyscore(self._keys(conversation_id)[1], ticket_number, ticket_number)

    def update_lock(self, conversation_id: str) -> None:
        """Drop the tickets that expired (their turn's server died or overran the lifetime)."""
        expired = [member for member, ticket in self._tickets(conversation_id) if ticket.has_expired()]
        if expired:
            self.red.zrem(self._keys(conversation_id)[1], *expired)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the turn; an empty sorted set disappears by itself, the counter expires."""
        self.finish_serving(conversation_id, ticket_number)

    def delete_lock(self, conversation_id: str) -> None:
        self.red.delete(*self._keys(conversation_id))
