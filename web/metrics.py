"""Prometheus text-format metrics for the web app, served at GET /metrics.

Hand-written (two metric kinds, no dependency): a latency histogram of chat turns as the
shopper sees them (request in to answer out, Rasa and the actions included) and a counter
of API answers by path and status, so refusals (400, 413, 429) and outages (503) show up.
"""
from __future__ import annotations

import threading
from bisect import bisect_left

TURN_BUCKETS_S = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)


class Histogram:
    def __init__(self, name: str, help_text: str, buckets: tuple[float, ...]):
        self.name, self.help_text, self.buckets = name, help_text, buckets
        self._counts = [0] * (len(buckets) + 1)  # the last one is +Inf
        self._sum = 0.0
        self._lock = threading.Lock()

    def observe(self, value: float) -> None:
        with self._lock:
            self._counts[bisect_left(self.buckets, value)] += 1
            self._sum += value

    def render(self) -> list[str]:
        with self._lock:
            counts, total = list(self._counts), self._sum
        lines = [f"# HELP {self.name} {self.help_text}", f"# TYPE {self.name} histogram"]
        cumulative = 0
        for bound, count in zip([*map(str, self.buckets), "+Inf"], counts):
            cumulative += count
            lines.append(f'{self.name}_bucket{{le="{bound}"}} {cumulative}')
        lines += [f"{self.name}_sum {total:.6f}", f"{self.name}_count {cumulative}"]
        return lines


class Counter:
    def __init__(self, name: str, help_text: str, label_names: tuple[str, ...]):
        self.name, self.help_text, self.label_names = name, help_text, label_names
        self._values: dict[tuple[str, ...], int] = {}
        self._lock = threading.Lock()

    def inc(self, *labels: str) -> None:
        with self._lock:
            self._values[labels] = self._values.get(labels, 0) + 1

    def render(self) -> list[str]:
        with self._lock:
            values = sorted(self._values.items())
        lines = [f"# HELP {self.name} {self.help_text}", f"# TYPE {self.name} counter"]
        for labels, value in values:
            pairs = ",".join(f'{k}="{v}"' for k, v in zip(self.label_names, labels))
            lines.append(f"{self.name}{{{pairs}}} {value}")
        return lines


class WebMetrics:
    """The web app's metrics, one instance per app."""

    def __init__(self):
        self.turn_seconds = Histogram("omnishop_chat_turn_seconds",
                                      "Seconds from a chat turn arriving to its answer (Rasa and actions included).",
                                      TURN_BUCKETS_S)
        self.responses = Counter("omnishop_api_responses_total", "API answers by path and HTTP status.",
                                 ("path", "status"))

    def render(self) -> str:
        return "\n".join([*self.turn_seconds.render(), *self.responses.render()]) + "\n"
