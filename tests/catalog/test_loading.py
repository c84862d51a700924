"""Loading retailer files: good rows load, every bad row is reported with its line."""
from __future__ import annotations

import json

import pytest

from catalog_index import database
from catalog_index.build import check_catalog, load_catalog

HEADER = ["id", "item_group_id", "title", "description", "link", "image_link", "price", "sale_price",
          "availability", "quantity", "brand", "color", "size", "size_system", "gender", "age_group",
          "product_type", "google_product_category", "product_rating", "product_review_count"]


def row(**overrides) -> dict:
    base = {"id": "SKU-1", "item_group_id": "G-1", "title": "Stridewell Men's Tempo Runner", "description": "Light.",
            "link": "https://shop.example/p/1", "image_link": "/demo-images/running-shoes-black.svg",
            "price": "89.99 USD", "sale_price": "", "availability": "in_stock", "quantity": "5",
            "brand": "Stridewell", "color": "Triple Black", "size": "10.5", "size_system": "US", "gender": "male",
            "age_group": "adult", "product_type": "Shoes > Running Shoes", "google_product_category": "187",
            "product_rating": "4.6", "product_review_count": "120"}
    base.update(overrides)
    return base


def write_tsv(path, rows):
    lines = ["\t".join(HEADER)] + ["\t".join(r.get(h, "") for h in HEADER) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_rows_load_and_bad_rows_are_reported_with_line_numbers(tmp_path):
    feed = write_tsv(tmp_path / "feed.tsv", [
        row(),                                               # line 2: good
        row(id="", title="No id"),                           # line 3: missing id
        row(id="SKU-2", price="eighty dollars"),             # line 4: unparseable price
        row(id="SKU-3", quantity="-4"),                      # line 5: negative stock
        row(id="SKU-1", size="11"),                          # line 6: duplicate id
        row(id="SKU-4", size="11", color="Midnight Navy"),   # line 7: good, same product
        row(id="SKU-5", item_group_id="G-2", description="x" * 6000),  # line 8: absurd length
        row(id="SKU-6", item_group_id="G-3", availability="maybe"),    # line 9: unknown availability
    ])
    report = check_catalog(feed, progress=False)
    assert report.rows_read == 8
    assert (report.products, report.variants) == (1, 2)
    found = {(r.line, r.field) for r in report.rejections}
    assert found == {(3, "id"), (4, "price"), (5, "quantity"), (6, "id"), (8, "description"), (9, "availability")}
    duplicate = next(r for r in report.rejections if r.line == 6)
    assert "first seen on line 2" in duplicate.reason


def test_values_are_normalised_and_markup_is_kept_as_text(tmp_path):
    feed = write_tsv(tmp_path / "feed.tsv", [
        row(title="<img src=x onerror=alert(1)>\x07 Runner", sale_price="69.99 USD", color="Midnight Navy", size="10 1/2"),
    ])
    connection = database.connect(":memory:")
    report = load_catalog(feed, "gmc", connection, progress=False)
    assert report.variants == 1
    product = connection.execute("SELECT * FROM products").fetchone()
    variant = connection.execute("SELECT * FROM variants").fetchone()
    assert product["title"] == "<img src=x onerror=alert(1)> Runner"  # stored as data, control char gone
    assert product["gender"] == "men"
    assert (variant["color"], variant["color_name"]) == ("blue", "Midnight Navy")
    assert variant["size"] == "10.5"
    assert (variant["price"], variant["sale_price"]) == (89.99, 69.99)


def test_a_colour_field_the_title_contradicts_is_not_trusted(tmp_path):
    """Issue 15: a real feed had about 800 "Red" fields on brown trousers; the title is what the
    shopper reads, so its colour is the one shown and filtered on (nlu.normalize.shown_color)."""
    feed = write_tsv(tmp_path / "feed.tsv", [
        row(title="Stridewell Men's Slim Fit Brown Trousers", color="Red", size="32"),
        row(id="SKU-2", item_group_id="G-2", title="Stridewell Black Leather Belt", color="", size=""),
        row(id="SKU-3", item_group_id="G-3", title="BILLY Bookcase, 80x28x202 cm", color="black brown", size=""),
    ])
    connection = database.connect(":memory:")
    load_catalog(feed, "gmc", connection, progress=False)
    found = [tuple(r) for r in connection.execute("SELECT color_name, color FROM variants ORDER BY line")]
    assert found == [("Brown", "brown"), ("Black", "black"), ("black brown", "brown")]


def test_json_lines_and_csv_use_merchant_field_names(tmp_path):
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(json.dumps(row()) + "\n{not json\n" + json.dumps(row(id="SKU-9", size="12")) + "\n")
    report = check_catalog(jsonl, progress=False)
    assert (report.variants, [(r.line, r.field) for r in report.rejections]) == (2, [(2, "row")])

    csv_file = tmp_path / "feed.csv"
    csv_file.write_text(",".join(HEADER) + "\n" + ",".join(f'"{row()[h]}"' for h in HEADER) + "\n")
    assert check_catalog(csv_file, progress=False).variants == 1


def test_rows_with_the_wrong_number_of_fields_are_rejected(tmp_path):
    feed = tmp_path / "feed.tsv"
    feed.write_text("\t".join(HEADER) + "\n" + "\t".join(row()[h] for h in HEADER) + "\nonly\ttwo\n")
    report = check_catalog(feed, progress=False)
    assert report.variants == 1
    assert report.rejections[0].line == 3 and "expected 20 fields" in report.rejections[0].reason


@pytest.mark.parametrize("price, expected", [("79.99 USD", 79.99), ("USD 79.99", 79.99), ("79,99 EUR", 79.99)])
def test_price_formats(tmp_path, price, expected):
    feed = write_tsv(tmp_path / "feed.tsv", [row(price=price)])
    connection = database.connect(":memory:")
    load_catalog(feed, "gmc", connection, progress=False)
    assert connection.execute("SELECT price FROM variants").fetchone()[0] == expected


def test_a_thousand_malformed_rows_among_good_ones(tmp_path):
    """Every good row loads and every bad row is listed with its own line number."""
    breakers = [
        ("price", lambda r, n: dict(r, price="call us")),
        ("id", lambda r, n: dict(r, id="")),
        ("quantity", lambda r, n: dict(r, quantity="-3")),
        ("title", lambda r, n: dict(r, title="")),
        ("availability", lambda r, n: dict(r, availability="soon-ish")),
        ("product_rating", lambda r, n: dict(r, product_rating="11")),
        ("description", lambda r, n: dict(r, description="<script>alert(1)</script>" * 300)),
        ("id", lambda r, n: dict(r, id="GOOD-0")),  # duplicate of the first good row
    ]
    rows, bad_lines = [], {}
    for n in range(3000):
        good = row(id=f"GOOD-{n}", item_group_id=f"G-{n // 4}", size=str(7 + n % 4))
        if n % 3 == 1 and len(bad_lines) < 1000:
            field, breaker = breakers[len(bad_lines) % len(breakers)]
            rows.append(breaker(dict(good, id=f"BAD-{n}"), n))
            bad_lines[len(rows) + 1] = field  # +1 for the header line
        else:
            rows.append(good)
    report = check_catalog(write_tsv(tmp_path / "feed.tsv", rows), progress=False)
    assert len(bad_lines) == 1000
    assert report.variants == 2000
    assert {r.line: r.field for r in report.rejections} == bad_lines
