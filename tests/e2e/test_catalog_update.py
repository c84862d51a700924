"""A retailer changes a price with `catalog_index update`; the next chat turn shows it,
with no rebuild and no restart."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from index_artefact.layout import CATALOG_DB, current_build
from data.demo_catalog.generate_feed import COLUMNS
from runtime.settings import REPO_ROOT
from tests.e2e.conftest import custom_payloads

pytestmark = pytest.mark.e2e


def test_price_update_shows_in_the_next_turn(assistant, sender, tmp_path):
    first = custom_payloads(assistant.say(sender, "show me watches"), "product_list")[0]["products"][0]
    db = sqlite3.connect(current_build(assistant.settings.index_dir) / CATALOG_DB)
    db.row_factory = sqlite3.Row
    variant = dict(db.execute("SELECT * FROM variants WHERE id = ?", (first["id"],)).fetchone())
    product = dict(db.execute("SELECT * FROM products WHERE row = ?", (variant["product_row"],)).fetchone())
    new_price = round(first["price"] - 10.5, 2)
    record = {**{c: "" for c in COLUMNS}, **{k: str(v) for k, v in product.items() if k in COLUMNS and v is not None},
              **{k: str(v) for k, v in variant.items() if k in COLUMNS and v is not None},
              "item_group_id": product["group_id"], "color": variant["color_name"],
              "gender": {"men": "male", "women": "female"}.get(product["gender"], "unisex"),
              "price": f"{new_price:.2f} USD", "sale_price": "", "product_rating": str(product["rating"] or ""),
              "product_review_count": str(product["review_count"] or "")}
    feed = tmp_path / "price-change.tsv"
    feed.write_text("\t".join(COLUMNS) + "\n" + "\t".join(record[c] for c in COLUMNS) + "\n")
    result = subprocess.run([sys.executable, "-m", "catalog_index", "update", "--catalog", str(feed), "--index",
                             str(assistant.settings.index_dir), "--no-progress"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "offers updated: 1" in result.stdout

    messages = assistant.say(sender, f'/product_details{{"product_id": "{first["id"]}"}}')
    assert any(f"${new_price:.2f}" in (m.get("text") or "") for m in messages), messages
    again = custom_payloads(assistant.say(sender, "show me watches"), "product_list")[0]["products"]
    assert {p["id"]: p["price"] for p in again}.get(first["id"]) in (None, new_price)
