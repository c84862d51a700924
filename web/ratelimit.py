"""Per-sender and per-client-address rate limits for the chat and parse APIs (token buckets).

Each key (a sender id, a client address) owns a bucket of `capacity` turns that refills at
`capacity / period_s` turns per second. A request finding its bucket empty is refused with
429 and a Retry-After saying when the next turn will be accepted, before it reaches Rasa.

Configured in runtime/settings.py, as "TURNS/SECONDS" or "off":
  OMNISHOP_RATE_LIMIT_SENDER   default 60/60    (a shopper types far slower than this)
  OMNISHOP_RATE_LIMIT_CLIENT   default 600/60   (one address: an office or mobile NAT)
Behind a load balancer set OMNISHOP_PROXY_HOPS=1 so the client address is X-Forwarded-For's.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify

from runtime.settings import WebSettings

MAX_TRACKED_KEYS = 100_000  # least recently seen keys are forgotten (a full bucket again)


@dataclass(frozen=True)
class Rate:
    capacity: float
    period_s: float

    @classmethod
    def parse(cls, spec: str) -> "Rate | None":
        """"30/60" -> 30 turns per 60 s; "off", "0" or "" -> no limit. Raises ValueError otherwise."""
        spec = spec.strip().lower()
        if spec in ("", "off", "0", "none"):
            return None
        turns, _, seconds = spec.partition("/")
        rate = cls(float(turns), float(seconds or 1))
        if rate.capacity <= 0 or rate.period_s <= 0:
            raise ValueError(f"rate limit {spec!r}: both numbers must be positive, as in 30/60")
        return rate


class TokenBuckets:
    """One token bucket per key; thread-safe (waitress serves from several threads)."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_TRACKED_KEYS):
        self.rate, self.clock, self.max_keys = rate, clock, max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Spend one token for key: 0 when allowed, else the seconds until one is available."""
        refill_per_s = self.rate.capacity / self.rate.period_s
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.rate.capacity, now))
            tokens = min(self.rate.capacity, tokens + (now - last) * refill_per_s)
            wait_s = 0.0 if tokens >= 1 else (1 - tokens) / refill_per_s
            self._buckets[key] = (tokens - 1 if wait_s == 0 else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait_s


class RateLimits:
    """The two limits the API applies; either may be off."""

    def __init__(self, sender: Rate | None, client: Rate | None):
        self.sender = TokenBuckets(sender) if sender else None
        self.client = TokenBuckets(client) if client else None

    @classmethod
    def from_settings(cls, web: WebSettings) -> "RateLimits":
        return cls(Rate.parse(web.rate_limit_sender), Rate.parse(web.rate_limit_client))

    def check_client(self, address: str | None) -> float:
        return self.client.take(address or "unknown") if self.client else 0.0

    def check_sender(self, sender: str) -> float:
        return self.sender.take(sender) if self.sender else 0.0


def too_many_requests(wait_s: float, who: str):
    """The 429 answer: a reason and when to come back (whole seconds, at least 1)."""
    retry_after = max(1, math.ceil(round(wait_s, 3)))
    response = jsonify({"error": f"too many requests from this {who}; retry in {retry_after} s"})
    response.status_code = 429
    response.headers["Retry-After"] = str(retry_after)
    return response
