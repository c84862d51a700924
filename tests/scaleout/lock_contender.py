"""One "Rasa server" contending for conversation locks; run in the Rasa venv by
test_conversation_lock.py, two at once, against one Redis database.

For each round it waits for the shared start instant, then runs TURNS turns of one
conversation at once, each holding the lock for a few milliseconds while it counts in Redis
how many turns are inside. It prints, as JSON, how many turns it completed, how many found
another turn inside (a broken lock) and how many were refused with a LockError (a lost turn).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time

import redis
from rasa.core.lock_store import LockError
from rasa.shared.utils.common import class_from_module_path


async def one_round(store, red, conversation_id: str, turns: int) -> dict[str, int]:
    inside = f"inside:{conversation_id}"
    counts = {"completed": 0, "overlaps": 0, "refused": 0}

    async def turn() -> None:
        try:
            async with store.lock(conversation_id, wait_time_in_seconds=0.005):
                counts["overlaps"] += red.incr(inside) > 1
                await asyncio.sleep(0.003)
                red.decr(inside)
                counts["completed"] += 1
        except LockError:
            counts["refused"] += 1

    await asyncio.gather(*(turn() for _ in range(turns)))
    return counts


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True, help="module path of the LockStore class")
    parser.add_argument("--redis-port", type=int, default=6379)
    parser.add_argument("--redis-db", type=int, required=True)
    parser.add_argument("--conversation", required=True, help="prefix of the conversation ids")
    parser.add_argument("--start-at", type=float, required=True, help="epoch seconds of round 0")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()
    store = class_from_module_path(args.store)(host="127.0.0.1", port=args.redis_port, db=args.redis_db)
    red = redis.Redis(port=args.redis_port, db=args.redis_db)
    totals = {"completed": 0, "overlaps": 0, "refused": 0}
    for number in range(args.rounds):
        time.sleep(max(0.0, args.start_at + number * 0.5 - time.time()))
        counts = await one_round(store, red, f"{args.conversation}-{number}", args.turns)
        totals = {name: totals[name] + counts[name] for name in totals}
    print(json.dumps(totals))


if __name__ == "__main__":
    asyncio.run(main())
