#!/usr/bin/env bash
# The test suite: Rasa's test stories, then unit, property and end-to-end tests (pytest).
# Expects the venvs, the index and the Rasa model (`make test` prepares them first).
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 RASA_TELEMETRY_ENABLED=false PYTHONPATH="$PWD"

mkdir -p results
echo "==> rasa test core (bot/tests)"
.venv/rasa/bin/rasa test core --stories bot/tests --model models/omnishop.tar.gz --out results/core \
  --fail-on-prediction-errors --quiet >results/rasa_test_core.log 2>&1 \
  || { tail -50 results/rasa_test_core.log; cat results/core/failed_test_stories.yml; exit 1; }
python3 -c "import json; r = json.load(open('results/core/story_report.json'))['conversation_accuracy']; print(f\"test stories: {r['correct']}/{r['total']} conversations correct\")"

echo "==> pytest"
.venv/app/bin/python -m pytest "$@"
