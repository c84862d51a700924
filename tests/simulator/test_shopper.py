"""Simulated shoppers played against a correct (oracle) assistant all succeed, so a failure
against the real one is the assistant's, not the simulator's; and the same seed plays the
same conversations."""
from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.simulator.goals import simulate
from benchmarks.simulator.play import play
from benchmarks.simulator.shopper import Shopper
from tests.simulator.oracle import OracleAssistant


def play_with_oracle(goal, catalog, target_first: bool) -> dict:
    shopper = Shopper(goal, catalog)
    return play(shopper, OracleAssistant(shopper, catalog, target_first).send, catalog)


@pytest.mark.parametrize("target_first", [True, False], ids=["target listed", "target left to be found"])
def test_every_shopper_succeeds_against_a_correct_assistant(catalog, target_first):
    records = [play_with_oracle(goal, catalog, target_first) for goal in simulate(41, 60, catalog)]
    failed = {r["id"]: (r["outcome"], r["violations"][:2], r["act_failures"][:2]) for r in records
              if not r["success"] or r["act_failures"]}
    assert failed == {}


def test_the_shoppers_use_every_act(catalog):
    acts = Counter(turn["act"] for goal in simulate(42, 80, catalog)
                   for turn in play_with_oracle(goal, catalog, True)["transcript"])
    assert set(acts) >= {"decoy", "switch", "inform", "answer_size", "correct", "uncorrect", "sort", "more",
                         "compare", "choose", "quantity", "cart", "checkout", "confirm"}


def test_the_same_seed_plays_the_same_conversations(catalog):
    def transcripts(seed: int) -> list[list[tuple[str, str]]]:
        return [[(t["act"], t["say"]) for t in play_with_oracle(goal, catalog, False)["transcript"]]
                for goal in simulate(seed, 15, catalog)]

    assert transcripts(43) == transcripts(43)
    assert transcripts(43) != transcripts(44)
