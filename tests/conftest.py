"""Session-wide reporting: whether CI mode was on, and how many tests were skipped.

In CI mode (the environment variable CI is set; `.ci/run` sets it) a test whose service or
tool is missing fails instead of skipping (`tests.infrastructure.require`), so a skip count
there is only the skips that do not depend on the machine. Locally the skips and their
reasons stay visible at the end of the run (`-ra` in pytest.ini lists each one).
"""
from __future__ import annotations

import pytest

from tests.infrastructure import ci_mode


def _mode() -> str:
    if ci_mode():
        return "CI mode on (CI is set): a missing PostgreSQL, Redis, Node.js, npm package or Chromium fails its tests"
    return ("CI mode off: tests whose PostgreSQL, Redis, Node.js, npm package or Chromium is missing skip "
            "(set CI=true to make them fail)")


def pytest_report_header(config) -> str:
    return _mode()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After everything else (the `-ra` list of skip reasons included): the skip count and the mode."""
    result = yield
    skipped = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_sep("-", f"{skipped} test(s) skipped; {_mode()}",
                               yellow=bool(skipped) and not ci_mode(), bold=bool(skipped))
    return result
