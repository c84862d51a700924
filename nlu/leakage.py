"""Evaluation lines that are (nearly) training lines once their surface details are normalised.

A held-out line that differs from a training line only in punctuation, a number, a brand,
a category or a colour ("make it under 70" / "make it under 80", "nope not that" / "nope,
not that") is not held out: the model has seen that sentence. `leaks()` finds them.

Method (pure Python, stdlib only; `rapidfuzz` is not in requirements/app.txt):

1. `normalise()`: lower case; entity markup removed; catalog brands -> `BRD`, category
   phrases and their shopper synonyms -> `CAT` (both from the catalog vocabulary: the demo
   feed through `nlu.vocabulary.CatalogVocabulary`), colour words -> `COL`; digits, prices,
   sizes like 10.5 or 32x30 and number-word phrases ("one hundred and fifty") -> `NUM`;
   apostrophes dropped ("what's" -> "whats"), other punctuation -> spaces.
2. `similarity()`: the token-sort ratio of the two normalised lines, as
   `rapidfuzz.fuzz.token_sort_ratio` computes it (tokens sorted and joined, then
   100 * 2 * LCS / total length): order-free, and extra tokens cost, so "whats my subtotal"
   ~ "whats my total" is 90 and "hiya there" ~ "hi there" 89, while "more" ~ "show me
   more" is 59. Token-SET ratio was tried first and rejected: it scores 100 whenever one
   line's tokens contain the other's, and with placeholders every "COL CAT" training line
   ("blue jeans") is contained in most searches (at 85 it flagged 295 of the 397 tuning lines).
3. A pair is a leak when the normalised lines are equal, or their similarity is at least
   `THRESHOLD` (88: the lowest that still catches the near-duplicates above; its known cost
   is an occasional cross-intent hit, "delete what you know about me" ~ "what do you know
   about me", 89).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.normalize import COLOR_WORDS, SCALES, TENS, UNITS
from nlu.vocabulary import CatalogVocabulary

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_FEED = REPO_ROOT / "data" / "demo_catalog" / "merchant_feed.tsv"
TRAINING_DIR = REPO_ROOT / "bot" / "data" / "nlu"
THRESHOLD = 88.0

_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_NUMERIC = re.compile(r"[$€£]?\d+(?:[.,/x]\d+)*(?:k|st|nd|rd|th|s)?(?![\w])")
_NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES) | {"half", "dozen"}
_NUMBER_GLUE = {"and", "a", "point"}
_COLOR_PATTERN = re.compile(r"(?<![\w'])(" + "|".join(
    re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(COLOR_WORDS, key=len, reverse=True)) + r")(?![\w'])")


def vocabulary_from_feed(feed: Path = DEMO_FEED) -> CatalogVocabulary:
    """The brands and category paths of a Merchant Center TSV feed (the demo catalog by default)."""
    brands, categories = set(), set()
    with open(feed, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            brands.add(row.get("brand") or "")
            categories.add(row.get("product_type") or "")
    return CatalogVocabulary.from_dict({"brands": sorted(brands - {""}), "categories": sorted(categories - {""})})


@lru_cache(maxsize=4)
def _demo_vocabulary() -> CatalogVocabulary:
    return vocabulary_from_feed(DEMO_FEED)


def strip_markup(line: str) -> str:
    """`[ladies](gender=women) boots` / `[red]{"entity": "color"}` -> `ladies boots` / `red`."""
    return _MARKUP.sub(r"\1", line)


def normalise(text: str, vocabulary: CatalogVocabulary | None = None) -> tuple[str, ...]:
    """A line's tokens with punctuation, numbers, brands, categories and colours made generic."""
    vocabulary = vocabulary or _demo_vocabulary()
    lower = strip_markup(text).lower().replace("’", "'")
    for pattern, placeholder in ((vocabulary.brand_pattern, " BRD "), (vocabulary.category_pattern, " CAT "),
                                 (_COLOR_PATTERN, " COL ")):
        if pattern is not None:
            lower = pattern.sub(placeholder, lower)
    lower = _NUMERIC.sub(" NUM ", lower)
    lower = lower.replace("'", "")
    tokens = re.findall(r"[A-Za-z0-9_]+", lower)
    out: list[str] = []
    for token in tokens:
        token = "NUMW" if token in _NUMBER_WORDS else token  # a number word, until the end
        if token in ("NUM", "NUMW") and out and out[-1] in ("NUM", "NUMW"):
            continue  # "32x30 $79": one number slot
        if token == "NUMW" and len(out) >= 2 and out[-2] == "NUMW" and out[-1] in _NUMBER_GLUE:
            out.pop()  # "one hundred and fifty", "nine point five": one number
            continue
        out.append(token)
    out = ["NUM" if token == "NUMW" else token for token in out]
    return tuple(out)


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (bit-parallel, as rapidfuzz computes it)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, ch in enumerate(a):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(a)) - 1
    s = full
    for ch in b:
        u = s & masks.get(ch, 0)
        s = ((s + u) | (s - u)) & full
    return len(a) - bin(s).count("1")


def similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Token-sort ratio of two normalised lines, 0-100, as `rapidfuzz.fuzz.token_sort_ratio`:
    each line's tokens sorted and joined, then 100 * 2 * LCS / (len(a) + len(b))."""
    sorted_a, sorted_b = " ".join(sorted(a)), " ".join(sorted(b))
    if not sorted_a or not sorted_b:
        return 0.0
    return 200.0 * _lcs(sorted_a, sorted_b) / (len(sorted_a) + len(sorted_b))


@dataclass(frozen=True)
class TrainingLine:
    text: str
    intent: str
    path: str
    line: int


@dataclass(frozen=True)
class Leak:
    heldout: str
    heldout_line: int | None
    training: TrainingLine
    score: float
    exact: bool

    def describe(self) -> str:
        kind = "same once normalised" if self.exact else f"near-duplicate ({self.score:.0f})"
        where = f":{self.heldout_line}" if self.heldout_line else ""
        return (f"held-out{where} {self.heldout!r} ~ {self.training.path}:{self.training.line} "
                f"{self.training.text!r} [{kind}]")


def training_lines(directory: Path = TRAINING_DIR) -> list[TrainingLine]:
    """Every example of every `bot/data/nlu/*.yml`, with its file and line number."""
    lines = []
    for path in sorted(Path(directory).glob("*.yml")):
        raw = path.read_text(encoding="utf-8").splitlines()
        data = yaml.safe_load("\n".join(raw)) or {}
        intents = {block.get("intent") for block in data.get("nlu") or [] if block.get("intent")}
        current = None
        for number, row in enumerate(raw, start=1):
            header = re.match(r"^- (intent|synonym|regex|lookup):\s*(\S+)", row)
            if header:
                current = header.group(2) if header.group(1) == "intent" else None
                continue
            item = re.match(r"^\s+- (.+)$", row)
            if item and current in intents:
                try:
                    rel = str(path.relative_to(REPO_ROOT))
                except ValueError:
                    rel = str(path)
                lines.append(TrainingLine(strip_markup(item.group(1)).strip(), current, rel, number))
    return lines


def fold(text: str) -> str:
    """The exact-match key: markup stripped, case, punctuation and digits folded
    ("Add 2 of the FIRST one!" == "add 3 of the first one")."""
    text = strip_markup(text).lower().replace("'", "").replace("\u2019", "")
    text = re.sub(r"\d+(?:[.,]\d+)*", "0", text)
    return " ".join(re.sub(r"[^a-z0 ]+", " ", text).split())


def folded_training_lines(directory: Path = TRAINING_DIR) -> dict[str, TrainingLine]:
    """Every training example by its `fold`: a scripted turn with a key here is a training line."""
    found: dict[str, TrainingLine] = {}
    for line in training_lines(directory):
        found.setdefault(fold(line.text), line)
    return found


def leaks(heldout: list[tuple[str, int | None]], training: list[TrainingLine],
          threshold: float = THRESHOLD, vocabulary: CatalogVocabulary | None = None) -> list[Leak]:
    """For each held-out (text, line number): its closest training line, when that is a leak."""
    normalised_training: dict[tuple[str, ...], TrainingLine] = {}
    for line in training:
        normalised_training.setdefault(normalise(line.text, vocabulary), line)
    found = []
    for text, number in heldout:
        tokens = normalise(text, vocabulary)
        if tokens in normalised_training:
            found.append(Leak(text, number, normalised_training[tokens], 100.0, True))
            continue
        best, best_score = None, -1.0
        length = len(" ".join(tokens))
        for other, line in normalised_training.items():
            other_length = len(" ".join(other))
            if 200.0 * min(length, other_length) / max(length + other_length, 1) < threshold:
                continue  # lengths too different to reach the threshold
            score = similarity(tokens, other)
            if score > best_score:
                best, best_score = line, score
        if best is not None and best_score >= threshold:
            found.append(Leak(text, number, best, best_score, False))
    return found
