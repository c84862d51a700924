"""Property: over random catalogs and random queries, no result breaks a hard constraint
(exclusions and extra sizes included), and a page is only shorter than k when fewer products
match.

The catalogs are written as real index builds (SQLite tables, the full-text index lexical
ranking reads, a real FAISS index); only the text encoder is replaced by random vectors, which
filtering must not depend on. The shopper's words are matched against the products' brands,
categories and materials, so the hybrid ranking (meaning fused with BM25) is what is checked.
"""
from __future__ import annotations

import re
import sqlite3
import zlib
from dataclasses import replace

import faiss
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings, target
from hypothesis import strategies as st

from catalog_index import database
from index_artefact import layout as artefact
from index_artefact.vectors import build_faiss
from catalog_index.model import LoadReport, Variant
from recommender.engine import WISH_POOL, Recommender
from recommender.live_catalog import LiveCatalog
from recommender.query import SORTS, SearchQuery
from tests.exclusion_oracle import matching_group_ids, violations

CATEGORIES = ["Shoes > Running Shoes", "Shoes > Sandals", "Clothing > Jackets > Rain Jackets", "Accessories > Hats"]
BRANDS = ["Stridewell", "Northpeak", "Kestrel Outdoor"]
COLOURS = ["black", "blue", "red", "grey"]
SIZES = ["8", "9", "9.5", "10", "M", "L"]
MATERIALS = ["Full-grain leather", "Suede", "Recycled polyester", "Recycled polyester mesh", ""]
GENDERS = [("male", "adult"), ("female", "adult"), ("unisex", "adult"), ("male", "kids"), ("unisex", "kids")]
GENDER_NAMES = {("male", "adult"): "men", ("female", "adult"): "women", ("unisex", "adult"): "unisex",
                ("male", "kids"): "boys", ("unisex", "kids"): "kids"}

variant_strategy = st.fixed_dictionaries({
    "color": st.sampled_from(COLOURS), "size": st.sampled_from(SIZES),
    "price": st.integers(5, 300), "sale": st.booleans(), "quantity": st.sampled_from([0, 0, 1, 3, 10]),
})
TITLE_WORDS = ["trail", "runner", "kallax", "shelf", "rain", "shell", "leather", "boot", "merino"]
product_strategy = st.fixed_dictionaries({
    "title": st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=4).map(" ".join),
    "category": st.sampled_from(CATEGORIES), "brand": st.sampled_from(BRANDS), "gender": st.sampled_from(GENDERS),
    "material": st.sampled_from(MATERIALS),
    "rating": st.one_of(st.none(), st.floats(1, 5).map(lambda r: round(r, 1))),
    "variants": st.lists(variant_strategy, min_size=1, max_size=6),
})


def sometimes(strategy):
    """A constraint present about a third of the time, so queries are neither always empty nor trivial."""
    return st.one_of(st.none(), st.none(), strategy)


query_strategy = st.fixed_dictionaries({
    "category": sometimes(st.sampled_from(["shoes", "running shoes", "rain jackets", "hats", "clothing"])),
    "brand": sometimes(st.lists(st.sampled_from(BRANDS), min_size=1, max_size=2, unique=True)),
    "color": sometimes(st.lists(st.sampled_from(COLOURS), min_size=1, max_size=2, unique=True)),
    "gender": sometimes(st.sampled_from(["men", "women", "unisex", "boys", "girls", "kids"])),
    "size": sometimes(st.one_of(
        st.sampled_from(SIZES).map(lambda s: {"value": s, "system": None}),
        st.lists(st.sampled_from(SIZES), min_size=2, max_size=3, unique=True)
        .map(lambda sizes: {"value": sizes[0], "system": None, "values": sizes}))),
    "price": sometimes(st.tuples(st.one_of(st.none(), st.integers(0, 150)), st.one_of(st.none(), st.integers(20, 300)))
                       .map(lambda p: {"min": p[0], "max": p[1], "currency": "USD"})),
    "rating_min": sometimes(st.sampled_from([3, 4, 4.5])),
    "exclude": sometimes(st.fixed_dictionaries({}, optional={
        "color": st.lists(st.sampled_from(COLOURS), min_size=1, max_size=2, unique=True),
        "brand": st.lists(st.sampled_from(BRANDS + ["stridewell"]), min_size=1, max_size=2, unique=True),
        "category": st.lists(st.sampled_from(["shoes", "sandals", "jackets", "hats"]), min_size=1, max_size=2,
                             unique=True),
        "material": st.lists(st.sampled_from(["leather", "POLYESTER", "mesh"]), min_size=1, max_size=2, unique=True),
    })),
    "sort": sometimes(st.sampled_from(SORTS)),
})
# A wish narrows the page to the products that mention it, when any of those allowed does.
WISH_MENTIONS = {"waterproof": r"\bwaterproof", "leather": r"\bleather", "product 3": r"\bproduct\w*\W+3\b"}
wishes_strategy = st.sampled_from([(), ("waterproof",), ("leather",), ("product 3",)])
# What the shopper typed: words the products' brands, categories and materials hold (ranked by
# BM25 as well as by meaning), FTS5 syntax, negations, and words no product has.
text_strategy = st.one_of(
    st.sampled_from(["anything", "leather running shoes", "Stridewell rain jacket", "suede sandals",
                     "hats but not leather", '"Kestrel" AND hats*', "product 3 OR NOT polyester",
                     "Northpeak Northpeak mesh", ""]),
    st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=3).map(" ".join))


class RandomEncoder:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def encode(self, texts, **_):
        vectors = self.rng.normal(size=(len(texts), 16)).astype("float32")
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


class StableEncoder(RandomEncoder):
    """One random vector per text, the same every time (a real encoder is deterministic)."""

    def encode(self, texts, **_):
        return np.concatenate([RandomEncoder(zlib.crc32(t.encode())).encode([t]) for t in texts])


def write_build(index_dir, products, seed: int, kind: str = "flat", text_index: bool = True):
    build_dir = index_dir / "builds" / f"b{seed}"
    build_dir.mkdir(parents=True)
    connection = database.connect(build_dir / artefact.CATALOG_DB)
    writer = database.CatalogWriter(connection, LoadReport())
    line = 1
    for p_index, product in enumerate(products):
        for v_index, v in enumerate(product["variants"]):
            line += 1
            gender, age = product["gender"]
            writer.add(line, Variant(
                id=f"V{p_index}-{v_index}", group_id=f"G{p_index}",
                title=f"Product {p_index} {product.get('title', '')}".strip(), description="",
                link="", image_link="", price=float(v["price"]), sale_price=round(v["price"] * 0.8, 2) if v["sale"] else None,
                currency="USD", availability="in_stock" if v["quantity"] else "out_of_stock", quantity=v["quantity"],
                brand=product["brand"], color_name=v["color"].title(), color=v["color"], size=v["size"], size_system="US",
                gender=GENDER_NAMES[(gender, age)], age_group=age, product_type=product["category"],
                google_product_category="", gtin="", mpn="", material=product.get("material", ""), pattern="",
                rating=product["rating"],
                review_count=3))
    writer.finish()
    if text_index:  # as the index build writes it; False: a build made before it existed
        database.index_product_text(connection)
        connection.commit()
    connection.close()
    embeddings = RandomEncoder(seed).encode(["x"] * len(products))
    np.save(build_dir / artefact.EMBEDDINGS, embeddings)
    faiss.write_index(build_faiss(embeddings, kind), str(build_dir / artefact.FAISS_INDEX))
    artefact.publish(index_dir, build_dir)
    return build_dir


EXACT_ONLY, GRAPH_ALWAYS = 10**9, 0  # exact_max_candidates that force each plan (GRAPH_MIN_FRACTION permitting)


def mentioning(db, group_ids, wishes) -> set[str]:
    """The products whose title or material mentions a wish (read independently of the code)."""
    found = set()
    for group_id in group_ids:
        text = " ".join(db.execute("SELECT title || ' ' || material FROM products WHERE group_id = ?",
                                   (group_id,)).fetchone())
        if any(re.search(WISH_MENTIONS[wish], text, re.IGNORECASE) for wish in wishes):
            found.add(group_id)
    return found


def assert_page_is_sound(build_dir, result, k):
    """No card breaks a constraint of the echoed query, one card per product, and the page is
    only shorter than k when fewer products match: the products that mention the wish when any
    matching one does (all of them here: the pool a wish narrows from is larger), else all."""
    echoed = result.query.to_contract()
    db = sqlite3.connect(build_dir / artefact.CATALOG_DB)
    for card in result.products:
        assert violations(db, card, echoed) == [], (card, echoed)
    assert len({c["group_id"] for c in result.products}) == len(result.products), "one card per product"
    matching = matching_group_ids(db, echoed)
    wished = mentioning(db, matching, result.query.wishes)
    if wished and len(matching) <= WISH_POOL:
        assert {c["group_id"] for c in result.products} <= wished and result.wishes_met == result.query.wishes
        matching = wished
    elif wished:  # a large catalog narrows from the WISH_POOL nearest
        assert all(c["group_id"] in wished for c in result.products) or not result.wishes_met
    assert result.total_matching == len(matching) or (wished and len(matching) > WISH_POOL)
    assert len(result.products) == min(k, result.total_matching)
    return matching


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(products=st.lists(product_strategy, min_size=1, max_size=40), query=query_strategy, wishes=wishes_strategy,
       seed=st.integers(0, 10_000), k=st.integers(1, 8), plan=st.sampled_from(["exact", "flat", "hnsw"]),
       text=text_strategy, text_index=st.sampled_from([True, True, True, False]))
def test_results_never_break_a_hard_constraint(tmp_path_factory, products, query, wishes, seed, k, plan, text,
                                               text_index):
    # Every planner path: exact matrix scoring, and FAISS (flat or HNSW) with an ID selector;
    # builds with the full-text index (hybrid ranking) and without it (meaning only).
    index_dir = tmp_path_factory.mktemp("index")
    build_dir = write_build(index_dir, products, seed, "hnsw" if plan == "hnsw" else "flat", text_index)
    recommender = Recommender(LiveCatalog(index_dir), RandomEncoder(seed + 1),
                              exact_max_candidates=EXACT_ONLY if plan == "exact" else GRAPH_ALWAYS)
    result = recommender.search(SearchQuery.from_constraints(query, text, wishes), k)
    matching = assert_page_is_sound(build_dir, result, k)
    target(float(len(result.products)))
    event(f"results: {'none' if not matching else 'some'}")


LARGE_CATALOG_PRODUCTS = 6_000  # a real HNSW graph: several layers, 64 neighbours on the base one


@pytest.fixture(scope="module")
def large_hnsw_build(tmp_path_factory):
    """One catalog large enough for a real graph, searched by many queries (building it per
    example would take most of the test's time)."""
    rng = np.random.default_rng(2026)
    products = [{"category": CATEGORIES[rng.integers(len(CATEGORIES))], "brand": BRANDS[rng.integers(len(BRANDS))],
                 "gender": GENDERS[rng.integers(len(GENDERS))], "material": MATERIALS[rng.integers(len(MATERIALS))],
                 "rating": None if rng.random() < 0.2 else round(float(rng.uniform(1, 5)), 1),
                 "variants": [{"color": COLOURS[rng.integers(len(COLOURS))], "size": SIZES[rng.integers(len(SIZES))],
                               "price": int(rng.integers(5, 300)), "sale": bool(rng.random() < 0.2),
                               "quantity": int(rng.choice([0, 1, 3, 10]))} for _ in range(rng.integers(1, 4))]}
                for _ in range(LARGE_CATALOG_PRODUCTS)]
    index_dir = tmp_path_factory.mktemp("large-index")
    build_dir = write_build(index_dir, products, 7, "hnsw")
    assert isinstance(faiss.read_index(str(build_dir / artefact.FAISS_INDEX)), faiss.IndexHNSW)
    return index_dir, build_dir


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=query_strategy, wishes=wishes_strategy, seed=st.integers(0, 10_000), k=st.integers(1, 10),
       text=text_strategy)
def test_the_graph_plan_on_a_real_graph_never_breaks_a_hard_constraint(large_hnsw_build, query, wishes, seed, k,
                                                                       text):
    index_dir, build_dir = large_hnsw_build
    recommender = Recommender(LiveCatalog(index_dir), RandomEncoder(seed), exact_max_candidates=GRAPH_ALWAYS)
    result = recommender.search(SearchQuery.from_constraints(query, text, wishes), k)
    assert_page_is_sound(build_dir, result, k)


def test_the_graph_plan_finds_what_the_exact_plan_finds(large_hnsw_build):
    """A sane ranking: over broad queries the graph's pages match exact scoring's (recall@10)."""
    index_dir, _ = large_hnsw_build
    queries = [{"category": None, "brand": None, "color": None, "gender": None, "size": None, "price": None,
                "rating_min": None},
               {"category": "shoes", "brand": None, "color": None, "gender": None, "size": None, "price": None,
                "rating_min": None},
               {"category": None, "brand": None, "color": ["black", "blue"], "gender": None, "size": None,
                "price": {"min": None, "max": 200, "currency": "USD"}, "rating_min": None}]
    found = expected = 0
    for seed in range(20):
        for query in queries:
            pages = [Recommender(LiveCatalog(index_dir), RandomEncoder(seed), exact_max_candidates=plan)
                     .search(SearchQuery.from_constraints(query, "anything"), 10) for plan in (GRAPH_ALWAYS, EXACT_ONLY)]
            graph, exact = ({card["group_id"] for card in page.products} for page in pages)
            found, expected = found + len(graph & exact), expected + len(exact)
    print(f"graph recall@10 against exact scoring: {found}/{expected}")
    assert found / expected >= 0.9, f"graph recall@10 against exact scoring: {found / expected:.3f}"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(products=st.lists(product_strategy, min_size=8, max_size=40),
       query=st.one_of(st.just({}), st.just({}), query_strategy), wishes=wishes_strategy,
       seed=st.integers(0, 10_000), k=st.integers(1, 6), plan=st.sampled_from(["exact", "flat"]),
       text=st.lists(st.sampled_from(TITLE_WORDS), min_size=1, max_size=3).map(" ".join))
def test_show_more_continues_the_first_page(tmp_path_factory, products, query, wishes, seed, k, plan, text):
    """"Show more" (the same query without the products shown) gives what a page twice as long
    would have shown after them: each product's relevance, BM25 included, is its own and does
    not depend on which other products are left (here every allowed product is a candidate)."""
    index_dir = tmp_path_factory.mktemp("index")
    write_build(index_dir, products, seed, "flat")
    recommender = Recommender(LiveCatalog(index_dir), StableEncoder(0),
                              exact_max_candidates=EXACT_ONLY if plan == "exact" else GRAPH_ALWAYS)
    q = SearchQuery.from_constraints(query, text, wishes)
    first = recommender.search(q, k)
    second = recommender.search(replace(q, exclude_ids=frozenset(c["group_id"] for c in first.products)), k)
    both = recommender.search(q, 2 * k)
    assert [c["group_id"] for c in first.products + second.products] == [c["group_id"] for c in both.products]
