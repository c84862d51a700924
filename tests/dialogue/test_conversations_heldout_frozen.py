"""The free-form held-out conversations of issue 14 stay frozen, well formed and unseen.

bot/eval/conversations_heldout.yml is the honest before/after measure of free-form
conversation (benchmarks/conversations_heldout.py plays it against the real assistant). It
must not drift: its SHA-256 is pinned here, every conversation keeps the documented schema,
and no shopper turn may be a line the NLU was trained on (bot/data/nlu/*.yml), compared after
folding case, punctuation and digits and stripping `[text](entity)` annotations. Fast: no
processes, only file reads.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path


REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from benchmarks.conversations_heldout import CONVERSATIONS_FILE, load, schema_problems  # noqa: E402
from nlu.leakage import fold, folded_training_lines  # noqa: E402

# frozen 2026-12-01 before any fix for issue 14
FROZEN_SHA256 = "d4982e4a5fcddb587e2ac53995d002676d9ba026f52145292c15a526b7cfb143"


def test_the_file_is_frozen():
    digest = hashlib.sha256(CONVERSATIONS_FILE.read_bytes()).hexdigest()
    assert digest == FROZEN_SHA256, (
        f"{CONVERSATIONS_FILE.relative_to(REPO)} changed (sha256 {digest}). It is the frozen held-out set "
        "of issue 14: do not tune it or to it; a deliberate new version needs a new hash and a reason.")


def test_every_conversation_keeps_the_schema():
    conversations = load()
    assert len(conversations) >= 150
    assert schema_problems(conversations) == []


def test_no_shopper_turn_is_a_training_line():
    known = folded_training_lines()
    assert known, "no NLU training examples found: the leak check would check nothing"
    leaks = [f"{c['id']}: {t['say']!r} is {known[fold(t['say'])]}" for c in load() for t in c["turns"]
             if fold(t["say"]) in known]
    assert leaks == []


def test_fold_strips_annotations_case_punctuation_and_digits():
    assert fold("[Stridewell](brand) Running shoes, under $80!") == fold("stridewell running shoes under 120")
    assert fold('[black]{"entity": "color"} boots') == "black boots"
