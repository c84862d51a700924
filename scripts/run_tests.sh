#!/usr/bin/env bash
# The test suite: unit tests, then end-to-end tests against the real processes.
# Expects the venvs, the index and the Rasa model (`make test` prepares them first).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 PYTHONPATH="$PWD"
.venv/app/bin/python -m pytest "$@"
