"""One "Rasa server" contending for conversation locks; run in the Rasa venv by
test_conversation_lock.py, several at once, against one Redis database.

Every round starts at a barrier in Redis (each server counts itself in and waits until all
have), then runs TURNS turns of one conversation at once. A turn inside the lock counts in
Redis how many turns are inside (more than one: a broken lock) and, per server, how many of
its turns are (`holders`). A turn waiting for the lock watches `holders`: another server
inside is proof that the servers contended for the lock, which it counts and confirms to
that server.
The first holder of a round keeps the lock until another server confirms it waited for it
(or until the other servers have finished the round, or a deadline passes), so the servers
contend every round however the machine schedules them, and a run where they never did
shows up as `contended: 0`.

Prints after each round, as JSON, the rounds so far and how many turns it completed, how many found another turn inside (a broken
lock), how many were refused with a LockError (a lost turn), and how many waited while
another server held the lock.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

import redis
from rasa.core.lock_store import LockError
from rasa.shared.utils.common import class_from_module_path

HOLD_FOR_CONTENDER_S = 3.0  # the first holder of a round waits this long at most for another server
BARRIER_TIMEOUT_S = 90.0  # round 0 waits for every server to import Rasa; later ones, at most a lock lifetime
POLL_S = 0.001


async def barrier(red: redis.Redis, key: str, servers: int, timeout_s: float) -> None:
    """Wait until `servers` servers have reached this key."""
    red.incr(key)
    deadline = time.monotonic() + timeout_s
    while int(red.get(key) or 0) < servers:
        if time.monotonic() > deadline:
            sys.exit(f"only {int(red.get(key) or 0)} of {servers} servers reached {key} within {timeout_s:.0f} s")
        await asyncio.sleep(POLL_S)


async def one_round(store, red: redis.Redis, server: str, conversation_id: str, servers: int,
                    turns: int) -> dict[str, int]:
    inside, holders = f"inside:{conversation_id}", f"holders:{conversation_id}"
    confirmed, done = f"confirmed:{conversation_id}:{server}", f"done:{conversation_id}"
    counts = {"completed": 0, "overlaps": 0, "refused": 0, "contended": 0}

    def others_finished() -> bool:
        return int(red.get(done) or 0) >= (servers - 1) * turns + counts["completed"] + counts["refused"]

    async def watch(acquired: asyncio.Event) -> None:
        """While this turn waits for the lock (its ticket is issued: see `turn`), look for
        another server holding it."""
        while not acquired.is_set():
            others = [name.decode() for name, inside_now in red.hgetall(holders).items()
                      if name.decode() != server and int(inside_now) > 0]
            if others:
                counts["contended"] += 1
                for other in others:
                    red.set(f"confirmed:{conversation_id}:{other}", 1)
                return
            await asyncio.sleep(POLL_S)

    async def turn() -> None:
        acquired = asyncio.Event()
        # The watcher first runs when this turn first waits inside `store.lock`: its ticket is
        # issued before that (LockStore.lock issues it before its first await), so whatever
        # the watcher sees, it sees while this turn is queued for the lock.
        watcher = asyncio.create_task(watch(acquired))
        try:
            async with store.lock(conversation_id, wait_time_in_seconds=0.005):
                acquired.set()
                counts["overlaps"] += red.incr(inside) > 1
                red.hincrby(holders, server, 1)
                deadline = time.monotonic() + HOLD_FOR_CONTENDER_S
                while not (red.exists(confirmed) or others_finished()) and time.monotonic() < deadline:
                    await asyncio.sleep(POLL_S)
                await asyncio.sleep(0.003)
                red.hincrby(holders, server, -1)
                red.decr(inside)
                counts["completed"] += 1
        except LockError:
            counts["refused"] += 1
        finally:
            acquired.set()
            await watcher
            red.incr(done)

    await asyncio.gather(*(turn() for _ in range(turns)))
    return counts


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True, help="module path of the LockStore class")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, required=True)
    parser.add_argument("--conversation", required=True, help="prefix of the conversation ids")
    parser.add_argument("--servers", type=int, default=2, help="how many contenders run at once")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    store = class_from_module_path(args.store)(host="127.0.0.1", port=args.redis_port, db=args.redis_db)
    red = redis.Redis(port=args.redis_port, db=args.redis_db)
    server = f"server-{os.getpid()}"
    totals = {"completed": 0, "overlaps": 0, "refused": 0, "contended": 0}
    for number in range(args.rounds):
        conversation = f"{args.conversation}-{number}"
        await barrier(red, f"barrier:{conversation}", args.servers, BARRIER_TIMEOUT_S)
        counts = await one_round(store, red, server, conversation, args.servers, args.turns)
        totals = {name: totals[name] + counts[name] for name in totals}
        print(json.dumps({"rounds": number + 1, **totals}), flush=True)  # the last line is the result


if __name__ == "__main__":
    asyncio.run(main())
