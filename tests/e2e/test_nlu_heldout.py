"""The shopping NLU on its evaluation sets, through the real `POST /api/parse`.

Two sets, scored separately (nlu/heldout.py, docs/nlu-evaluation.md):
- the held-out set `bot/eval/heldout_shoppers.yml`: shopper language written without
  looking at the training data, frozen 2026-12-01 before the parser or the model saw it.
  Its figures are the ones to quote.
- the tuning set `bot/eval/tuning.yml`: the former held-out set, which the parser was
  fixed against and the training data written for. Its figures are tuning-set figures.

Each held-out floor is the figure measured on 2026-12-01 (before any fix; see
docs/nlu-evaluation.md and benchmarks/results/nlu_heldout.json) minus 0.05 for retraining
noise, rounded down to two decimals. They are regression guards, not targets:
the docs quote the measured figures and these floors side by side. Never raise a
held-out floor by editing the held-out set or by training on it.

`NLU_HELDOUT_OUT=benchmarks/results/nlu_heldout.json` also writes the full results file
(the same as `python -m nlu.evaluate --out ...` against a running assistant).
"""
from __future__ import annotations

import os

import pytest

from nlu.evaluate import evaluate_sets, format_failure, write_document
from nlu.heldout import EVAL_SETS

pytestmark = pytest.mark.e2e

# Measured 2026-12-01 22:53 UTC, before any fix: HEAD 1f7f4e8 plus the uncommitted work then in
# the tree, models/omnishop.tar.gz sha256 2066a0bb... (benchmarks/results/nlu_heldout.json).
MEASURED = {
    "heldout": {"intent_accuracy": 0.8931, "constraints_exact_match": 0.8679, "entity_f1": 0.9169},  # 159 lines
    "tuning": {"intent_accuracy": 0.9678, "constraints_exact_match": 1.0, "entity_f1": 0.9903},  # 311 lines
}
# Held-out floors: measured minus 0.05, rounded down (0.05 is 8 of 159 lines; retrainings of
# nearby configurations moved the tuning figure by 0.007, an unfitted set may move more).
# Tuning floors: the floors this test already asserted (intent 0.95, constraints 0.97),
# and measured minus 0.05 for entity F1, which was not asserted before.
FLOORS = {
    "heldout": {"intent_accuracy": 0.84, "constraints_exact_match": 0.81, "entity_f1": 0.86},
    "tuning": {"intent_accuracy": 0.95, "constraints_exact_match": 0.97, "entity_f1": 0.94},
}
CONTRACT_INTENTS = {"greet", "goodbye", "affirm", "deny", "search_product", "refine_search", "show_more",
                    "product_details", "compare_products", "add_to_cart", "remove_from_cart", "view_cart",
                    "checkout", "order_status", "cancel_order", "reorder", "help", "human_handoff", "out_of_scope"}


@pytest.fixture(scope="module")
def reports(assistant):
    sets = evaluate_sets(assistant.web_url, list(EVAL_SETS))
    if os.environ.get("NLU_HELDOUT_OUT"):
        write_document(sets, os.environ["NLU_HELDOUT_OUT"], assistant.web_url)
    return sets


def _figure(result: dict, name: str) -> float:
    return {"intent_accuracy": result["intent"]["accuracy"],
            "constraints_exact_match": result["constraints"]["exact_match"],
            "entity_f1": result["entities"]["micro"]["f1"]}[name]


@pytest.mark.parametrize("set_name", list(EVAL_SETS))
def test_every_contract_intent_is_scored(reports, set_name):
    assert CONTRACT_INTENTS <= set(reports[set_name]["intent"]["per_intent"])


@pytest.mark.parametrize("figure", ["intent_accuracy", "constraints_exact_match", "entity_f1"])
@pytest.mark.parametrize("set_name", list(EVAL_SETS))
def test_figure_holds_its_floor(reports, set_name, figure):
    result = reports[set_name]
    value, floor = _figure(result, figure), FLOORS[set_name][figure]
    wrong = [format_failure(row) for row in result["failures"]
             if (figure == "intent_accuracy" and row["intent"] != row["expected_intent"])
             or (figure == "constraints_exact_match" and row["constraints"])]
    message = (f"{result['label']}: {figure} {value:.4f} (measured {MEASURED[set_name][figure]}, floor {floor})"
               + ("; misread:\n" + "\n".join(wrong) if wrong else ""))
    print(message)
    assert value >= floor, message
