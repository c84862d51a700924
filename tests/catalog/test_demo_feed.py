"""The demo catalog generator: reproducible, well-formed Merchant Center TSV."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from data.demo_catalog.generate_feed import main
from tests.demo_categories import DEMO_PRODUCT_TYPES

REPO = Path(__file__).resolve().parents[2]
COMMITTED_FEED = REPO / "data" / "demo_catalog" / "merchant_feed.tsv"
HEADER = ["id", "item_group_id", "title", "description", "link", "image_link", "price", "sale_price",
          "availability", "quantity", "brand", "color", "size", "size_system", "gender", "age_group",
          "product_type", "google_product_category", "gtin", "mpn", "material", "pattern", "product_rating",
          "product_review_count"]
PRODUCT_TYPES = set(DEMO_PRODUCT_TYPES)
# Plain colour word -> the family used in image names.
COLOUR_WORDS = {
    "black": "black", "white": "white", "grey": "grey", "gray": "grey", "charcoal": "grey", "silver": "grey",
    "navy": "blue", "blue": "blue", "teal": "blue", "turquoise": "blue", "red": "red", "burgundy": "red",
    "maroon": "red", "crimson": "red", "green": "green", "olive": "green", "khaki": "green", "yellow": "yellow",
    "mustard": "yellow", "orange": "orange", "coral": "orange", "pink": "pink", "purple": "purple",
    "lavender": "purple", "brown": "brown", "tan": "brown", "sand": "brown", "beige": "beige", "cream": "beige",
    "ivory": "beige", "gold": "gold", "multicolor": "multicolor",
}
PRICE = re.compile(r"(\d+\.\d\d) USD")


def generate(path: Path, *args: str) -> bytes:
    assert main(["--out", str(path), *args]) == 0
    return path.read_bytes()


def parse(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "", "the file ends with a newline"
    header, *body = (line.split("\t") for line in lines[:-1])
    assert all(len(cells) == len(header) for cells in body), "every row has the header's column count"
    return header, [dict(zip(header, cells)) for cells in body]


def by_group(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    groups = defaultdict(list)
    for row in rows:
        groups[row["item_group_id"]].append(row)
    return groups


def gtin_valid(gtin: str) -> bool:
    if not re.fullmatch(r"\d{13}", gtin):
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(gtin[:12]))
    return (10 - total % 10) % 10 == int(gtin[12])


@pytest.fixture(scope="module")
def small_feed(tmp_path_factory) -> tuple[bytes, list[str], list[dict[str, str]]]:
    data = generate(tmp_path_factory.mktemp("feed") / "feed.tsv", "--products", "60", "--seed", "11")
    header, rows = parse(data)
    return data, header, rows


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path, small_feed):
    assert generate(tmp_path / "again.tsv", "--products", "60", "--seed", "11") == small_feed[0]
    assert generate(tmp_path / "other.tsv", "--products", "60", "--seed", "12") != small_feed[0]


def test_header_and_product_count(small_feed):
    _, header, rows = small_feed
    assert header == HEADER
    assert len(by_group(rows)) == 60
    assert len(rows) > 60


def test_ids_and_gtins_are_unique_and_valid(small_feed):
    rows = small_feed[2]
    assert len({row["id"] for row in rows}) == len(rows)
    assert len({row["gtin"] for row in rows}) == len(rows)
    assert all(gtin_valid(row["gtin"]) for row in rows)


def test_variants_of_a_product_share_its_product_fields(small_feed):
    shared = ("title", "description", "brand", "product_type", "gender", "age_group", "google_product_category",
              "material", "pattern", "product_rating", "product_review_count")
    for rows in by_group(small_feed[2]).values():
        for field in shared:
            assert len({row[field] for row in rows}) == 1, (rows[0]["item_group_id"], field)
        assert len({(row["color"], row["size"]) for row in rows}) == len(rows)


def test_availability_matches_quantity(small_feed):
    for row in small_feed[2]:
        quantity = int(row["quantity"])
        assert 0 <= quantity <= 40
        assert row["availability"] == ("out_of_stock" if quantity == 0 else "in_stock")


def test_colour_names_have_a_plain_colour_word_matching_the_image(small_feed):
    for row in small_feed[2]:
        words = re.findall(r"[a-z]+", row["color"].lower())
        families = {COLOUR_WORDS[word] for word in words if word in COLOUR_WORDS}
        assert families, row["color"]
        slug = row["product_type"].split(" > ")[-1].lower().replace(" ", "-")
        image = re.fullmatch(rf"/demo-images/{re.escape(slug)}-([a-z]+)\.svg", row["image_link"])
        assert image and image.group(1) in families, (row["color"], row["image_link"])


def test_prices_are_usd_and_sales_are_lower(small_feed):
    for row in small_feed[2]:
        price = PRICE.fullmatch(row["price"])
        assert price, row["price"]
        if row["sale_price"]:
            sale = PRICE.fullmatch(row["sale_price"])
            assert sale and float(sale.group(1)) < float(price.group(1))


def test_values_have_no_tabs_newlines_or_quotes(small_feed):
    for row in small_feed[2]:
        assert all(not re.search(r'[\t\r\n"]', value) for value in row.values())
        assert 2.8 <= float(row["product_rating"]) <= 5.0
        assert 0 <= int(row["product_review_count"]) <= 2500
        assert row["product_type"] in PRODUCT_TYPES


def test_committed_feed_is_large_and_covers_every_product_type():
    _, rows = parse(COMMITTED_FEED.read_bytes())
    groups = by_group(rows)
    assert len(groups) >= 2000
    assert len(rows) >= 8000
    assert {row["product_type"] for row in rows} == PRODUCT_TYPES


def test_committed_feed_is_what_the_default_command_generates(tmp_path):
    assert generate(tmp_path / "feed.tsv") == COMMITTED_FEED.read_bytes()
