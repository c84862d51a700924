"""The HNSW path end to end: a catalog indexed with a graph (the threshold lowered by
configuration, as a retailer with a large catalog gets by default), served by the real three
processes, searched through the chat. Every product shown satisfies its query, and the pages
the graph returns are the pages exact scoring returns for the same queries.

`OMNISHOP_HNSW_MIN_PRODUCTS` makes `catalog_index build` write an HNSW index for the demo
catalog (2,200 products; the default threshold is 50,000), and `OMNISHOP_EXACT_MAX_CANDIDATES`
makes the action server walk that graph for any search allowing more than 40 products, instead of the 5,000 it waits for by default.
"""
from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
import uuid

import faiss
import pytest

from index_artefact.encoder import load_encoder
from index_artefact.layout import CATALOG_DB, FAISS_INDEX, current_build, read_manifest
from recommender.engine import Recommender
from recommender.planner import choose_plan
from recommender.query import SearchQuery
from runtime.settings import REPO_ROOT, Settings
from tests.catalog_oracle import violations
from tests.e2e.conftest import custom_payloads, running_assistant

pytestmark = pytest.mark.e2e

GRAPH_FROM_PRODUCTS = 1_000
GRAPH_FROM_CANDIDATES = 40
# Broad searches (50 to 800 allowed products each; sizes given, so no size question comes first).
QUERIES = ["clothing in size M", "men's shoes size 10", "women's clothing size S", "jackets size M",
           "shoes under $150 in size 10", "backpacks", "watches"]


@pytest.fixture(scope="module")
def graph_assistant(tmp_path_factory):
    settings = Settings.from_env()
    var = tmp_path_factory.mktemp("graph-var")
    index_dir = var / "index"
    built = subprocess.run(
        [sys.executable, "-m", "catalog_index", "build", "--catalog", str(settings.catalog_path), "--out",
         str(index_dir), "--no-progress"],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "OMNISHOP_HNSW_MIN_PRODUCTS": str(GRAPH_FROM_PRODUCTS)},
        capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    settings = dataclasses.replace(settings, var_dir=var, index_dir=index_dir,
                                   database_url=f"sqlite:///{var / 'omnishop.db'}", action_server_url="")

    with running_assistant(settings, "the graph-index assistant",
                           {"OMNISHOP_EXACT_MAX_CANDIDATES": str(GRAPH_FROM_CANDIDATES)}) as (_, running):
        yield running


def test_the_catalog_was_indexed_with_a_graph(graph_assistant):
    build = current_build(graph_assistant.settings.index_dir)
    assert read_manifest(build)["index_kind"] == "hnsw"
    assert isinstance(faiss.read_index(str(build / FAISS_INDEX)), faiss.IndexHNSW)


def test_chat_searches_on_the_graph_break_no_constraint_and_rank_like_exact_scoring(graph_assistant):
    index_dir = graph_assistant.settings.index_dir
    exact = Recommender.from_index(index_dir, load_encoder(), exact_max_candidates=10**9)
    arrays = exact.catalog.arrays()
    db = sqlite3.connect(current_build(index_dir) / CATALOG_DB)
    agreed = shown = 0
    for text in QUERIES:
        messages = graph_assistant.say(f"graph-{uuid.uuid4().hex[:10]}", text)
        lists = custom_payloads(messages, "product_list")
        assert lists, (text, [m.get("text") for m in messages])
        query, products = lists[0]["query"], lists[0]["products"]
        assert products, text
        for card in products:
            assert violations(db, card, query) == [], (text, card)

        search = SearchQuery.from_constraints({**dict.fromkeys(("category", "brand", "color", "gender", "size",
                                                                 "price", "rating_min")), **query}, text)
        allowed = int(exact.candidate_mask(arrays, search)[0].sum())
        assert choose_plan(allowed, len(arrays.removed), GRAPH_FROM_CANDIDATES) == "graph", (text, allowed)
        expected = {card["group_id"] for card in exact.search(search, len(products)).products}
        agreed += len(expected & {card["group_id"] for card in products})
        shown += len(products)
    print(f"the graph's pages agree with exact scoring on {agreed} of {shown} products")
    assert agreed / shown >= 0.9, f"the graph's pages agree with exact scoring on {agreed} of {shown} products"
