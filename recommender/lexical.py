"""Lexical relevance: SQLite FTS5's BM25 over the build's own product words, fused with meaning.

MiniLM knows what "a warm jacket" means but not that "Kallax", "Billy" or "90x200" is written
in a title; BM25 does. The index build writes each product's title, brand, category path,
material and pattern, and description into the FTS5 table `product_text` of its SQLite file
(`index_artefact.tables`; `catalog_index update` keeps it current), and a search reads it
read-only: the shopper's words, each quoted as a literal FTS5 phrase (`match_terms`), scored by
FTS5's own bm25() with per-column weights. `fuse` is the one place the two scores meet.

Scores are per product and per query only: BM25 divided by the best BM25 any product of the
catalog gets for the query, so a product's relevance does not depend on which other products
the filters or "show more" leave, and page two continues page one.

Cost: FTS5 computes bm25() for every product a word matches (a few microseconds each; "shoes"
at 200,000 products took 0.3 s), so a search scores at most MATCH_BUDGET matches: its words are
taken rarest first while their matches fit, and the commoner ones are left to meaning. They say
little anyway: BM25's weight for a word falls towards zero as it matches more of the catalog
(and is zero past half of it). In a small catalog every word fits; in a large one the rare,
telling words (a model name, "gore-tex") come first. Counting a word's matches stops at the
budget, so a search reads at most about (MAX_TERMS + 1) x MATCH_BUDGET index entries. A build
without the table (made before it existed) ranks by meaning alone.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index_artefact import tables

# Chosen on half of each labelled query set (benchmarks/hybrid_ranking.py; figures for the
# tuned and the held-out halves in benchmarks/results/hybrid_ranking.json).
LEXICAL_WEIGHT = 0.3
# bm25() weights of the columns of `tables.TEXT_INDEX`: title, brand, category, details, description.
COLUMN_WEIGHTS = (3.0, 2.0, 2.0, 1.0, 1.0)
MATCH_BUDGET = 250  # products bm25() is computed for, per search (a cost: see hybrid_ranking.py)
MAX_TERMS = 12

# A shopper's word: letters and digits, joined by hyphens, apostrophes or dots ("t-shirt",
# "men's", "90x200", "2.5"). Everything else (quotes, brackets, *, ^, :, +) separates words,
# so nothing the shopper types reaches FTS5 as query syntax.
WORD = re.compile(r"\w+(?:['’.\-]\w+)*")
# A word after one of these is not wanted ("not grey", "no leather", "without a hood"): the
# parser makes it an exclusion, and matching it would rank up what the shopper ruled out.
NEGATIONS = frozenset({"not", "no", "non", "never", "without", "except"})
NEGATED_SKIP = frozenset({"a", "an", "the", "any", "too", "in", "made", "of", "want", "need", "like", "be", "have"})
# Words that say nothing about the product: matched, they rank up titles such as "Cover for
# armchair" for "armchair for reading" (the row without them: benchmarks/results/hybrid_ranking.json).
STOPWORDS = frozenset("""
a an the and or of for to in on at by with from into as about than then so very really just also too
i me my mine we our you your he him his she her they them their it its this that these those there here
is are was were be been am do does did have has had can could would should will shall may might must
some something any anything one ones thing things stuff kind sort type
want wants wanted need needs looking look find show get buy give gift please like love prefer
good nice great best new rated
""".split())
# A hard constraint's value said in words (a budget, a size, a rating): the filters apply it, and
# as words it only matches "100% cotton" or "size chart".
CONSTRAINT_WORDS = re.compile(
    r"(?:\b(?:under|over|below|above|less than|more than|at most|at least|up to|upto|max(?:imum)?|min(?:imum)?|"
    r"within|budget(?: of)?|around|about|between|and|to|from)\s*)?"
    r"(?:[$€£₹]\s*\d[\d,.]*k?|\d[\d,.]*k?\s*(?:dollars?|usd|bucks|rs\.?|rupees?|inr|riyals?|sar|euros?|eur|"
    r"pounds?|gbp)\b|\b(?:under|over|below|above|less than|more than|at most|at least|up to|upto|within|"
    r"budget(?: of)?|between)\s+[$€£₹]?\s*\d[\d,.]*k?\b)"
    r"|\bsizes?\s+\w+(?:\.\d+)?(?:\s*(?:or|and|/)\s*\w+(?:\.\d+)?)?"
    r"|\b\d(?:\.\d)?\+?\s*stars?(?:\s+(?:or|and)\s+(?:more|above|up|higher))?",
    re.IGNORECASE)


def match_terms(text: str) -> list[str]:
    """The shopper's words as FTS5 strings, each a quoted phrase (FTS5 reads "AND", "OR",
    "NOT", "NEAR", quotes, hyphens, stars and colons in it as plain words), lower-cased,
    once each, in order; negated words, stop words and stated budgets, sizes and ratings
    left out."""
    terms: list[str] = []
    negated = False
    for word in WORD.findall(CONSTRAINT_WORDS.sub(" ", text.lower())):
        if word in NEGATIONS or word.endswith(("n't", "n’t")):
            negated = True
            continue
        if negated:
            negated = word in NEGATED_SKIP  # "not a hood": skip "a", then drop "hood"
            continue
        if word in STOPWORDS:
            continue
        term = '"' + word.replace('"', '""') + '"'
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def fuse(similarity: np.ndarray, lexical: np.ndarray, weight: float = LEXICAL_WEIGHT) -> np.ndarray:
    """Relevance from meaning and words: cosine similarity plus `weight` x normalised BM25 (0
    for a product none of the words matches, 1 for the catalog's best match). Added to the
    cosine, not averaged with it, so the soft preferences (`Recommender._bonus`, in cosine
    units) keep their weight."""
    return similarity + weight * lexical


@dataclass(frozen=True)
class LexicalScores:
    """Normalised BM25 of every product the query's words match (rows ascending)."""
    rows: np.ndarray
    scores: np.ndarray

    def of(self, rows: np.ndarray) -> np.ndarray:
        """The score of each of `rows` (0 where no word matches)."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(self.rows) or not len(rows):
            return np.zeros(len(rows), dtype=np.float32)
        at = np.minimum(np.searchsorted(self.rows, rows), len(self.rows) - 1)
        return np.where(self.rows[at] == rows, self.scores[at], 0.0).astype(np.float32)

    def best(self, mask: np.ndarray, want: int) -> np.ndarray:
        """Up to `want` rows that `mask` allows, best BM25 first (rows outside the mask's
        range, added by an update the columns have not reloaded yet, are left out)."""
        inside = self.rows < len(mask)
        rows, scores = self.rows[inside], self.scores[inside]
        allowed = mask[rows]
        rows, scores = rows[allowed], scores[allowed]
        order = np.lexsort([rows, -scores])[:want]  # ties by row: the same order every time
        return rows[order]


NO_MATCH = LexicalScores(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32))


class LexicalIndex:
    """One build's `product_text`, read-only; `available` is False for a build without it."""

    CACHE = 64  # recent queries' scores (a search's relaxations and "show more" repeat its text)

    def __init__(self, db_path: Path):
        self._db = tables.connect(db_path, read_only=True)
        self._lock = threading.Lock()
        self.available = tables.has_text_index(self._db)
        self._cache: OrderedDict[tuple, LexicalScores] = OrderedDict()

    def close(self) -> None:
        self._db.close()

    def scores(self, text: str, stamp=None) -> LexicalScores:
        """BM25 of the products `text`'s words match, divided by the best; `stamp` names the
        table's contents (an in-place update changes it) for the cache."""
        if not self.available:
            return NO_MATCH
        key = (text, stamp)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            found = self._score(match_terms(text))
            self._cache[key] = found
            if len(self._cache) > self.CACHE:
                self._cache.popitem(last=False)
        return found

    def says(self, text: str, columns: tuple[str, ...] = ()) -> bool:
        """Whether any product's text (or only its `columns` of `tables.TEXT_INDEX`) holds every
        word of `text`, stemmed ("waterproof": the catalog speaks of it, even where it says "not
        waterproof"); False without the table."""
        terms = match_terms(text)
        if not self.available or not terms:
            return False
        table = tables.TEXT_INDEX
        query = " AND ".join(terms)
        if columns:
            query = "{" + " ".join(columns) + "} : (" + query + ")"
        with self._lock:
            return self._db.execute(f"SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT 1", (query,)).fetchone() \
                is not None

    def _score(self, terms: list[str]) -> LexicalScores:
        table = tables.TEXT_INDEX
        probe = f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
        counts = sorted((self._db.execute(probe, (t, MATCH_BUDGET + 1)).fetchone()[0], n, t)
                        for n, t in enumerate(terms))
        kept, matches = [], 0
        for count, _, term in counts:  # rarest first, while their matches fit the budget
            if count and matches + count > MATCH_BUDGET:
                break
            kept.append(term)
            matches += count
        if not kept:
            return NO_MATCH
        weights = ", ".join(str(float(w)) for w in COLUMN_WEIGHTS)
        found = self._db.execute(f"SELECT rowid, -bm25({table}, {weights}) FROM {table} WHERE {table} MATCH ?",
                                 (" OR ".join(kept),)).fetchall()
        if not found:
            return NO_MATCH
        matched = np.array(found, dtype=np.float64)
        order = np.argsort(matched[:, 0], kind="stable")
        rows, scores = matched[order, 0].astype(np.int64), matched[order, 1]
        best = scores.max()
        return LexicalScores(rows, (scores / best if best > 0 else np.zeros_like(scores)).astype(np.float32))
