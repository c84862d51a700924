"""A retailer's catalog with a brand no training line has seen: the running assistant reads it
from the new index build's vocabulary, with no retraining and no restart."""
from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from index_artefact.layout import current_build, publish
from data.demo_catalog.generate_feed import COLUMNS
from runtime.settings import REPO_ROOT

pytestmark = pytest.mark.e2e

NEW_BRAND = "Brambleworth Outfitters"


def _row(item_id: str, title: str, product_type: str, size: str) -> dict[str, str]:
    return {**{c: "" for c in COLUMNS}, "id": item_id, "item_group_id": item_id.rsplit("-", 1)[0], "title": title,
            "description": f"{title}, made for wet and windy days.", "link": f"https://shop.example/{item_id}",
            "price": "129.00 USD", "availability": "in_stock", "quantity": "5", "brand": NEW_BRAND,
            "color": "Moss Green", "size": size, "gender": "female", "age_group": "adult", "product_type": product_type}


def _parse(assistant, text: str) -> dict:
    response = requests.post(f"{assistant.web_url}/api/parse", json={"text": text}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_new_catalogs_brand_is_understood_without_retraining(assistant, tmp_path):
    index_dir = assistant.settings.index_dir
    demo_build = current_build(index_dir)
    assert _parse(assistant, "show me brambleworth jackets")["constraints"]["brand"] is None

    feed = tmp_path / "new-retailer.tsv"
    rows = [_row("BW-STORM-S", "Brambleworth Storm Shell", "Clothing > Jackets > Rain Jackets", "S"),
            _row("BW-STORM-M", "Brambleworth Storm Shell", "Clothing > Jackets > Rain Jackets", "M"),
            _row("BW-FELL-8", "Brambleworth Fell Boot", "Shoes > Hiking Boots", "8")]
    feed.write_text("\t".join(COLUMNS) + "\n" + "".join("\t".join(r[c] for c in COLUMNS) + "\n" for r in rows))
    built = subprocess.run([sys.executable, "-m", "catalog_index", "build", "--catalog", str(feed), "--out",
                            str(index_dir), "--no-progress"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    try:
        parsed = _parse(assistant, "show me brambleworth jackets")
        assert parsed["intent"]["name"] == "search_product"
        assert parsed["constraints"]["brand"] == [NEW_BRAND]
        assert parsed["constraints"]["category"] == "jackets"
        typed = _parse(assistant, "ladies brambelworth rain jacket under 150")["constraints"]
        assert typed["brand"] == [NEW_BRAND] and typed["category"] == "rain jackets"
        assert typed["gender"] == "women" and typed["price"]["max"] == 150
    finally:
        publish(index_dir, demo_build)  # the rest of the session runs on the demo catalog again
    assert _parse(assistant, "show me brambleworth jackets")["constraints"]["brand"] is None
