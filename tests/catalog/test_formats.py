"""Every supported retailer format, read from real-shaped fixtures into the one product model."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog_index import database
from catalog_index.build import load_catalog
from catalog_index.readers import detect_format

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str, fmt: str = "auto"):
    connection = database.connect(":memory:")
    report = load_catalog(FIXTURES / name, fmt, connection, progress=False)
    variants = {r["id"]: dict(r) for r in connection.execute("SELECT * FROM variants")}
    products = {r["group_id"]: dict(r) for r in connection.execute("SELECT * FROM products")}
    return report, products, variants


@pytest.mark.parametrize("name, expected", [
    ("merchant_feed.xml", "gmc"), ("merchant_feed_atom.xml", "gmc"),
    ("shopify_products.json", "shopify"), ("shopify_products.csv", "shopify"),
])
def test_auto_detection(name, expected):
    assert detect_format(FIXTURES / name) == expected


def test_merchant_rss_xml_with_variants_rejects_and_unicode():
    report, products, variants = load("merchant_feed.xml")
    assert (report.rows_read, report.products, report.variants) == (4, 2, 3)
    [rejection] = report.rejections
    assert (rejection.line, rejection.field, rejection.item_id) == (44, "price", "BROKEN-1")  # the line its <item> starts on
    shoe = products["TR3"]
    assert shoe["product_type"] == "Shoes > Running Shoes" and shoe["gender"] == "men"
    assert "<b>Breathable</b>" in shoe["description"], "markup in feeds is kept as text, not interpreted"
    assert (variants["TR3-BLK-10"]["price"], variants["TR3-BLK-10"]["sale_price"]) == (89.99, 69.99)
    assert variants["TR3-BLK-10.5"]["availability"] == "out_of_stock"
    fleece = variants["Ünï-ÇØDË"]
    assert (fleece["price"], fleece["currency"], fleece["color"]) == (59.9, "EUR", "green")
    assert products["Ünï-ÇØDË"]["title"] == "Kestrel Outdoor Ærø Fleece Jacket – Women’s"


def test_merchant_atom_xml():
    report, products, variants = load("merchant_feed_atom.xml")
    assert report.variants == 1 and not report.rejections
    assert products["PACK-24-OLV"]["link"] == "https://shop.example/products/daypack-24"
    assert variants["PACK-24-OLV"]["price"] == 69.95


def test_shopify_products_json():
    report, products, variants = load("shopify_products.json")
    assert (report.products, report.variants) == (1, 2)
    assert [(r.line, r.field) for r in report.rejections] == [(3, "price")]
    jacket = products["7001"]
    assert jacket["brand"] == "Northpeak" and jacket["gender"] == "women"
    assert jacket["description"].split() == ["Fully", "waterproof", "2.5-layer", "shell."]
    small = variants["SUM-S-BLU"]
    assert (small["price"], small["sale_price"], small["size"], small["color"]) == (149.0, 119.0, "S", "blue")
    assert small["image_link"] == "https://cdn.example/summit.jpg"
    assert variants["SUM-M-BLU"]["availability"] == "out_of_stock"


def test_shopify_product_csv_follow_up_rows_inherit_the_product():
    report, products, variants = load("shopify_products.csv")
    assert (report.products, report.variants) == (2, 4) and not report.rejections
    assert set(variants) == {"TB-9-GRN", "TB-95-GRN", "TB-10-GRN", "UT-M-PNK"}
    assert {v["product_row"] for k, v in variants.items() if k.startswith("TB-")} == {products["trail-blazer"]["row"]}
    assert products["trail-blazer"]["title"] == "Redwood Trail Men's Blazer Trail Running Shoe"
    assert variants["TB-95-GRN"]["size"] == "9.5"
    assert variants["TB-10-GRN"]["availability"] == "out_of_stock"  # oversold: negative inventory
    assert products["kids-tee"]["gender"] == "girls"
    tee = variants["UT-M-PNK"]
    assert (tee["price"], tee["sale_price"], tee["color"]) == (18.0, 14.0, "pink")
