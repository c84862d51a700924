"""Start Rasa, the action server and the web app; prefix their logs; stop all on Ctrl-C.

    python -m runtime.supervisor [--help]

Waits until every process answers its health check, prints the storefront URL, and stops
everything when any process exits or on SIGINT/SIGTERM (children get SIGTERM, then SIGKILL).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import requests

from runtime.processes import ProcessSpec, process_specs
from runtime.settings import Settings

WARM_UP_SENDER = "omnishop-warm-up"
COLOURS = {"rasa": "\033[35m", "actions": "\033[36m", "web": "\033[32m"}
RESET = "\033[0m"


class Supervisor:
    def __init__(self, specs: list[ProcessSpec], colour: bool = True):
        self.specs = specs
        self.colour = colour
        self.children: dict[str, subprocess.Popen] = {}
        self._print_lock = threading.Lock()

    def say(self, name: str, line: str) -> None:
        tag = f"[{name:<7}]"
        if self.colour and name in COLOURS:
            tag = f"{COLOURS[name]}{tag}{RESET}"
        with self._print_lock:
            print(f"{tag} {line}", flush=True)

    def _pump(self, name: str, child: subprocess.Popen) -> None:
        for line in child.stdout:
            self.say(name, line.rstrip())

    def start(self) -> None:
        for spec in self.specs:
            self.start_process(spec.name)

    def start_process(self, name: str) -> None:
        """Start (or start again) one of the specs, e.g. after `stop_process` in a fault test."""
        spec = next(spec for spec in self.specs if spec.name == name)
        child = subprocess.Popen(spec.argv, env=spec.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True, bufsize=1, start_new_session=True)
        self.children[spec.name] = child
        threading.Thread(target=self._pump, args=(spec.name, child), daemon=True).start()

    def stop_process(self, name: str, signum: int = signal.SIGTERM, timeout_s: float = 15) -> int | None:
        """Signal one process group and wait for it; SIGKILL what is left. Returns the exit code."""
        child = self.children[name]
        self._signal_group(child, signum)
        try:
            child.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            pass
        self._signal_group(child, signal.SIGKILL)
        return child.wait()

    def check_health(self, pending: dict[str, str]) -> None:
        """One round of health checks: drop from `pending` (name -> health URL) each process that answers."""
        for name, url in list(pending.items()):
            try:
                if requests.get(url, timeout=2).ok:
                    self.say("omnishop", f"{name} is healthy")
                    del pending[name]
            except requests.RequestException:
                pass

    def wait_healthy(self, timeout_s: float, names: list[str] | None = None) -> bool:
        pending = {spec.name: spec.health_url for spec in self.specs if names is None or spec.name in names}
        deadline = time.monotonic() + timeout_s
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                if self.children[name].poll() is not None:
                    self.say("omnishop", f"{name} exited with code {self.children[name].returncode} during start-up")
                    return False
            self.check_health(pending)
            time.sleep(0.5)
        if pending:
            self.say("omnishop", f"not healthy after {timeout_s:.0f} s: {', '.join(pending)}")
        return not pending

    def warm_up(self, rasa_url: str) -> float:
        """One throwaway search turn, so the first shopper does not pay for cold model paths
        (TensorFlow graph tracing in Rasa, the first torch encode in the action server)."""
        started = time.monotonic()
        try:
            requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=120,
                          json={"sender": WARM_UP_SENDER, "message": "men's running shoes under $100 in size 10"})
        except requests.RequestException as exc:
            self.say("omnishop", f"warm-up turn failed: {exc}")
        return time.monotonic() - started

    @staticmethod
    def _signal_group(child: subprocess.Popen, signum: int) -> None:
        """Each child leads its own process group: Rasa and rasa-sdk spawn workers of their own."""
        try:
            os.killpg(child.pid, signum)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        for child in self.children.values():
            self._signal_group(child, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            self._signal_group(child, signal.SIGKILL)  # stragglers in the group, if any

    @contextlib.contextmanager
    def running(self, timeout_s: float = 240, warm_up_url: str | None = None) -> Iterator["Supervisor"]:
        """Start every process, wait until all are healthy (and warm the dialogue up), stop all
        on exit. For tests and benchmarks that need the real assistant for a while."""
        self.start()
        try:
            if not self.wait_healthy(timeout_s):
                raise RuntimeError(f"{', '.join(s.name for s in self.specs)} did not all become healthy "
                                   f"within {timeout_s:.0f} s; see the prefixed logs")
            if warm_up_url:
                self.warm_up(warm_up_url)
            yield self
        finally:
            self.stop()

    def first_exit(self) -> tuple[str, int]:
        while True:
            for name, child in self.children.items():
                if child.poll() is not None:
                    return name, child.returncode
            time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime.supervisor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for all three to be healthy")
    parser.add_argument("--no-colour", action="store_true", help="plain log prefixes")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    supervisor = Supervisor(process_specs(settings), colour=not args.no_colour and sys.stdout.isatty())

    def shutdown(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)  # explicit: a shell may start us with SIGINT ignored
    started = time.monotonic()
    supervisor.start()
    try:
        if not supervisor.wait_healthy(args.timeout):
            return 1
        supervisor.say("omnishop", f"warm-up turn took {supervisor.warm_up(settings.rasa_url):.1f} s")
        print(f"\nOmnishop is ready after {time.monotonic() - started:.1f} s: "
              f"http://localhost:{settings.web_port}/  (Ctrl-C stops all three)\n", flush=True)
        name, code = supervisor.first_exit()
        supervisor.say("omnishop", f"{name} exited with code {code}; stopping the others")
        return code or 1
    except KeyboardInterrupt:
        supervisor.say("omnishop", "stopping")
        return 0
    finally:
        supervisor.stop()


if __name__ == "__main__":
    sys.exit(main())
