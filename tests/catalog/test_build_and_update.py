"""Build a real index (real MiniLM, real FAISS) from a small feed, search it, update prices in
place, and see the next search use them, all through the command line a retailer uses."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from catalog_index.__main__ import main as catalog_cli
from index_artefact.layout import MANIFEST, VOCABULARY, current_build
from index_artefact.encoder import load_encoder
from recommender.engine import Recommender
from recommender.query import SearchQuery
from tests.catalog.test_loading import row, write_tsv


@pytest.fixture(scope="module")
def feed_rows():
    rows = []
    for n, (title, category, colour, price, gender) in enumerate([
        ("Stridewell Men's Tempo Runner 3 Running Shoe", "Shoes > Running Shoes", "Triple Black", "89.99 USD", "male"),
        ("Northpeak Women's Summit Shell Rain Jacket", "Clothing > Jackets > Rain Jackets", "Cobalt Blue", "149.00 USD", "female"),
        ("Kestrel Outdoor Daypack 24L Backpack", "Accessories > Backpacks", "Olive Green", "69.95 USD", "unisex"),
        ("Stridewell Men's Cloudline Trail Running Shoe", "Shoes > Trail Running Shoes", "Volt Green", "119.99 USD", "male"),
    ]):
        for size in ("9", "10", "11"):
            rows.append(row(id=f"SKU-{n}-{size}", item_group_id=f"G-{n}", title=title, product_type=category,
                            color=colour, price=price, gender=gender, size=size if "Shoe" in title else "M",
                            brand=title.split(" ")[0]))
    return rows


def test_build_search_update(tmp_path, feed_rows, capsys):
    feed = write_tsv(tmp_path / "feed.tsv", feed_rows)
    index_dir = tmp_path / "index"
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "products loaded: 4; variants loaded: 12; rows rejected: 0" in out
    build = current_build(index_dir)
    manifest = json.loads((build / MANIFEST).read_text())
    assert manifest["products"] == 4 and manifest["model_name"] == "sentence-transformers/all-MiniLM-L6-v2"
    vocabulary = json.loads((build / VOCABULARY).read_text())
    assert "Kestrel" in vocabulary["brands"] and "Shoes > Trail Running Shoes" in vocabulary["categories"]

    # the same catalog and model again: nothing to do
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert "index up to date" in capsys.readouterr().out

    recommender = Recommender.from_index(index_dir, load_encoder())
    found = recommender.search(SearchQuery(text="waterproof jacket for rain"), k=1).products
    assert found[0]["title"] == "Northpeak Women's Summit Shell Rain Jacket"
    shoes = recommender.search(SearchQuery(text="running shoes", category="shoes", price_max=100, size="10"), k=5).products
    assert [p["id"] for p in shoes] == ["SKU-0-10"]

    # the trail shoe drops to 95.00: after `update` it is within a $100 budget, with no rebuild
    changed = [r for r in feed_rows if r["item_group_id"] == "G-3"]
    for r in changed:
        r["price"] = "95.00 USD"
    partial = write_tsv(tmp_path / "prices.tsv", changed)
    os.utime(build / "catalog.sqlite", (0, 0))  # make the change visible even within one mtime tick
    assert catalog_cli(["update", "--catalog", str(partial), "--index", str(index_dir), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "offers updated: 3; variants added: 0; products added: 0; products re-embedded: 0" in out
    shoes = recommender.search(SearchQuery(text="running shoes", category="shoes", price_max=100, size="10"), k=5).products
    assert {p["id"]: p["price"] for p in shoes} == {"SKU-0-10": 89.99, "SKU-3-10": 95.0}
    assert current_build(index_dir) == build, "update changes the live build in place"


def matched_by(index_dir, words: str) -> list[str]:
    """The group ids whose row in the build's full-text index (lexical ranking) `words` match."""
    with sqlite3.connect(current_build(index_dir) / "catalog.sqlite") as db:
        return sorted(g for (g,) in db.execute("SELECT p.group_id FROM product_text JOIN products p"
                                               " ON p.row = product_text.rowid WHERE product_text MATCH ?", (words,)))


def test_update_embeds_new_and_changed_products_and_a_full_feed_removes_the_rest(tmp_path, feed_rows, capsys):
    feed = write_tsv(tmp_path / "feed.tsv", feed_rows)
    index_dir = tmp_path / "index"
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert matched_by(index_dir, "tempo") == ["G-0"] and matched_by(index_dir, "shoe") == ["G-0", "G-3"]
    assert matched_by(index_dir, "glacier") == [] and matched_by(index_dir, "stridewell") == ["G-0", "G-3"]
    recommender = Recommender.from_index(index_dir, load_encoder())
    assert recommender.search(SearchQuery(text="insulated winter parka", category="jackets"), k=5).total_matching == 1

    # a new product, a renamed one (its text changes, so it is re-embedded), and the backpack left out
    parka = [row(id=f"PARKA-{s}", item_group_id="G-9", title="Glacier Line Women's Expedition Down Parka",
                 description="Insulated 800-fill down parka for deep winter.", product_type="Clothing > Jackets > Down Jackets",
                 color="Crimson Red", price="289.00 USD", gender="female", size=s, brand="Glacier Line") for s in ("S", "M")]
    renamed = [dict(r, title="Stridewell Men's Tempo Racer Carbon Plate Racing Shoe") for r in feed_rows if r["item_group_id"] == "G-0"]
    kept = [r for r in feed_rows if r["item_group_id"] not in ("G-0", "G-2")] + renamed + parka
    full_feed = write_tsv(tmp_path / "full.tsv", kept)
    assert catalog_cli(["update", "--catalog", str(full_feed), "--index", str(index_dir), "--full", "--no-progress"]) == 0
    assert "variants added: 2; products added: 1; products re-embedded: 1; products removed: 1" in capsys.readouterr().out
    # the full-text index follows: the new product's words, the renamed one's new words and not its old ones
    assert matched_by(index_dir, "glacier parka") == ["G-9"] and matched_by(index_dir, "racer") == ["G-0"]
    assert matched_by(index_dir, "runner") == [] and matched_by(index_dir, "tempo") == ["G-0"]

    top = recommender.search(SearchQuery(text="insulated winter parka", category="jackets"), k=1).products
    assert top[0]["title"] == "Glacier Line Women's Expedition Down Parka" and top[0]["price"] == 289.0
    racer = recommender.search(SearchQuery(text="carbon plate racing shoe"), k=1).products
    assert racer[0]["title"] == "Stridewell Men's Tempo Racer Carbon Plate Racing Shoe"
    assert recommender.search(SearchQuery(text="backpack", category="backpacks"), k=5).products == []

    # a build made before the full-text index still serves (meaning only), and `update` leaves it without one
    with sqlite3.connect(current_build(index_dir) / "catalog.sqlite") as db:
        db.execute("DROP TABLE product_text")
    recommender = Recommender.from_index(index_dir, load_encoder())
    assert recommender.search(SearchQuery(text="carbon plate racing shoe"), k=1).products[0]["group_id"] == "G-0"
    renamed_again = [dict(r, title="Stridewell Men's Tempo Racer 2 Racing Shoe") for r in renamed]
    assert catalog_cli(["update", "--catalog", str(write_tsv(tmp_path / "again.tsv", renamed_again)),
                        "--index", str(index_dir), "--no-progress"]) == 0
    with sqlite3.connect(current_build(index_dir) / "catalog.sqlite") as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'product_text'").fetchone()[0] == 0


def test_the_graph_index_threshold_is_a_setting(tmp_path, feed_rows, capsys, monkeypatch):
    """OMNISHOP_HNSW_MIN_PRODUCTS decides the kind of vector index; a changed threshold rebuilds,
    and an in-place update keeps the kind the build has."""
    import faiss

    feed = write_tsv(tmp_path / "feed.tsv", feed_rows)
    index_dir = tmp_path / "index"
    monkeypatch.setenv("OMNISHOP_HNSW_MIN_PRODUCTS", "2")
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    graph = current_build(index_dir)
    assert json.loads((graph / MANIFEST).read_text())["index_kind"] == "hnsw"
    assert isinstance(faiss.read_index(str(graph / "faiss.index")), faiss.IndexHNSW)

    changed = [{**feed_rows[0], "title": feed_rows[0]["title"] + " (2026 edition)"}, *feed_rows[1:]]  # re-embedded
    assert catalog_cli(["update", "--catalog", str(write_tsv(tmp_path / "changed.tsv", changed)),
                        "--index", str(index_dir), "--no-progress"]) == 0
    assert isinstance(faiss.read_index(str(graph / "faiss.index")), faiss.IndexHNSW)

    monkeypatch.delenv("OMNISHOP_HNSW_MIN_PRODUCTS")
    capsys.readouterr()
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert "index up to date" not in capsys.readouterr().out, "a different index kind is not up to date"
    flat = current_build(index_dir)
    assert flat != graph and json.loads((flat / MANIFEST).read_text())["index_kind"] == "flat"
