"""Lexical ranking (`recommender.lexical`): what of a shopper's text reaches FTS5, that nothing
they type is read as FTS5 syntax or breaks the query, the fusion rule, and the scores' lookups."""
from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_index import database
from index_artefact import tables
from recommender import lexical
from recommender.lexical import LexicalIndex, LexicalScores, fuse, match_terms

TERMS = [
    ("waterproof hiking boots", ['"waterproof"', '"hiking"', '"boots"']),
    ("Men's T-Shirt", ['"men\'s"', '"t-shirt"']),  # one phrase each: "men s", "t shirt"
    ('the "Billy" bookcase', ['"billy"', '"bookcase"']),  # quotes separate words, never reach FTS5
    ("AND OR NOT NEAR", []),  # operators are plain words: two stop words, and "not" negates "near"
    ("rock AND roll", ['"rock"', '"roll"']),
    ("title:boots OR brand:* ^start", ['"title"', '"boots"', '"brand"', '"start"']),
    ("bed 90x200 cm, 2.5 kg", ['"bed"', '"90x200"', '"cm"', '"2.5"', '"kg"']),
    ("sofa that is not grey", ['"sofa"']),  # the negated word is left out
    ("a jacket without a hood", ['"jacket"']),
    ("I don't want leather", []),  # "don't want leather": negated
    ("boots boots BOOTS", ['"boots"']),
    ("Café crème", ['"café"', '"crème"']),
    ("armchair for reading", ['"armchair"', '"reading"']),
    ("running shoes under $100 in size 10", ['"running"', '"shoes"']),  # the filters apply budgets and sizes
    ("bookcase under 300 riyals", ['"bookcase"']),
    ("bed between 500 and 1000 SAR", ['"bed"']),
    ("hiking boots rated 4.5 stars or more", ['"hiking"', '"boots"']),
    ("gold ring 18k", ['"gold"', '"ring"', '"18k"']),
    ("-- ** ()", []),
    ("", []),
]


@pytest.mark.parametrize("text, terms", TERMS, ids=[t or "empty" for t, _ in TERMS])
def test_match_terms(text, terms):
    assert match_terms(text) == terms


def test_a_long_message_is_cut_to_max_terms():
    assert len(match_terms(" ".join(f"word{i}" for i in range(50)))) == lexical.MAX_TERMS


@pytest.fixture(scope="module")
def fts():
    db = sqlite3.connect(":memory:")
    db.execute(tables.TEXT_INDEX_SCHEMA)
    db.executemany(f"INSERT INTO {tables.TEXT_INDEX} (rowid, title, brand, category, details, description)"
                   " VALUES (?, ?, ?, ?, ?, ?)",
                   [(0, "Men's T-Shirt \"Classic\"", "Acme", "Clothing / T-Shirts", "Cotton", "AND OR NOT NEAR: a tee"),
                    (1, "Billy Bookcase 90x200", "Ikea", "Furniture / Bookcases", "", "Café crème")])
    yield db
    db.close()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_no_shopper_text_breaks_the_fts5_query(fts, text):
    terms = match_terms(text)
    if terms:
        fts.execute(f"SELECT rowid FROM {tables.TEXT_INDEX} WHERE {tables.TEXT_INDEX} MATCH ?",
                    (" OR ".join(terms),)).fetchall()


@pytest.mark.parametrize("text, rows", [
    ("men's t-shirt", [0]), ("mens shirts", [0]), ("tshirt", []), ("NEAR", [0]), ("NOT", []), ("billy bookcases", [1]),
    ("90x200", [1]), ("cafe", [1]), ('"classic"', [0]), ("t-shirts", [0]),
])
def test_what_the_terms_find(fts, text, rows):
    terms = match_terms(text)
    found = fts.execute(f"SELECT rowid FROM {tables.TEXT_INDEX} WHERE {tables.TEXT_INDEX} MATCH ? ORDER BY rowid",
                        (" OR ".join(terms),)).fetchall() if terms else []
    assert [r for (r,) in found] == rows


@pytest.mark.parametrize("similarity, lexical_score, weight, fused", [
    (0.5, 0.0, 0.15, 0.5),  # no word matches: meaning alone
    (0.5, 1.0, 0.15, 0.65),  # the catalog's best lexical match
    (0.5, 0.5, 0.0, 0.5),  # weight 0: meaning alone
    (0.3, 1.0, 0.15, 0.45),
])
def test_fuse(similarity, lexical_score, weight, fused):
    assert fuse(np.array([similarity]), np.array([lexical_score]), weight)[0] == pytest.approx(fused)


def test_a_strong_word_match_overtakes_a_slightly_nearer_meaning():
    similarity, lexical_scores = np.array([0.60, 0.55, 0.40]), np.array([0.0, 1.0, 1.0])
    assert list(np.argsort(-fuse(similarity, lexical_scores, 0.15))) == [1, 0, 2]


def test_scores_lookup_and_best_inside_a_mask():
    scores = LexicalScores(np.array([2, 5, 7, 9]), np.array([0.5, 1.0, 0.5, 0.2], dtype=np.float32))
    assert scores.of(np.array([9, 1, 5, 2, 100])).tolist() == pytest.approx([0.2, 0.0, 1.0, 0.5, 0.0])
    mask = np.ones(8, dtype=bool)  # row 9 was added by an update the columns have not loaded yet
    mask[5] = False
    assert scores.best(mask, 5).tolist() == [2, 7]  # ties in row order
    assert scores.best(mask, 1).tolist() == [2]
    assert lexical.NO_MATCH.of(np.array([1, 2])).tolist() == [0.0, 0.0]


def products_db(path, titles):
    connection = database.connect(path)
    connection.executemany(
        "INSERT INTO products (row, group_id, title, description, brand, product_type, google_product_category,"
        " material, pattern, link, image_link) VALUES (?, ?, ?, '', 'Acme', 'Home > Shelves', '', '', '', '', '')",
        [(i, f"G{i}", title) for i, title in enumerate(titles)])
    connection.commit()
    return connection


def test_scores_are_divided_by_the_catalogs_best_and_common_words_are_left_out(tmp_path, monkeypatch):
    connection = products_db(tmp_path / "catalog.sqlite", ["Kallax shelf", "Billy bookcase", "Kallax insert",
                                                           "Wall shelf", "Kallax Kallax shelving unit"])
    database.index_product_text(connection)
    connection.commit()
    index = LexicalIndex(tmp_path / "catalog.sqlite")
    found = index.scores("kallax shelf")
    assert found.rows.tolist() == [0, 2, 3, 4] and found.scores.max() == pytest.approx(1.0)
    assert found.scores[0] > found.scores[2] > 0  # both words beat one
    monkeypatch.setattr(lexical, "MATCH_BUDGET", 2)  # "shelf" (2 products) fits, "kallax" (3) does not
    index._cache.clear()
    assert index.scores("kallax shelf").rows.tolist() == [0, 3]
    assert index.scores("kallax").rows.tolist() == []
    monkeypatch.setattr(lexical, "MATCH_BUDGET", 4)  # the rarer word first; then 2 + 3 matches do not fit
    index._cache.clear()
    assert index.scores("kallax shelf").rows.tolist() == [0, 3]
    monkeypatch.setattr(lexical, "MATCH_BUDGET", 5)
    index._cache.clear()
    assert index.scores("kallax shelf").rows.tolist() == [0, 2, 3, 4]


def test_a_build_without_the_table_has_no_lexical_scores(tmp_path):
    products_db(tmp_path / "catalog.sqlite", ["Kallax shelf"]).close()
    index = LexicalIndex(tmp_path / "catalog.sqlite")
    assert not index.available and index.scores("kallax").rows.tolist() == []
