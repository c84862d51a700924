"""Chats on slices of the two real catalogs (issue 15, data/real_catalogs): Flipkart India in
rupees and IKEA Saudi Arabia in riyals, neither sold in sizes, through the real Rasa server,
action server and web app on index builds made by the project's CLI.

Each slice (about 200 products, chosen deterministically from the catalog's merchant feed) is
built once per module; a test publishes its catalog's build to the running assistant, which reads
it again with no restart, and the demo build is live again afterwards. The checks are the
shopper's: every product shown is within the budget said, amounts are written in the shop's
currency, a budget in another currency is answered, no size is ever asked for, and "not black"
shows nothing that is black by its colour field, its colour name or its title.
"""
from __future__ import annotations

import csv
import re
import time

import pytest

from runtime.settings import REPO_ROOT
from tests.e2e.conftest import build_catalog, custom_payloads, on_build, texts

pytestmark = pytest.mark.e2e

REAL_CATALOGS = REPO_ROOT / "data" / "real_catalogs"
# catalog -> (its currency, which feed rows the slice keeps, in feed order)
SLICES = {
    # the clothing and footwear of the marketplace sample, every third row: 191 rows, two with no price
    "flipkart_in": ("INR", lambda rows: [r for r in rows if r["product_type"].startswith(("Clothing", "Footwear"))][::3]),
    # every fifteenth article of the furniture range: 198, across its 17 categories
    "ikea_sa": ("SAR", lambda rows: rows[::15]),
}
SIZE_QUESTIONS = re.compile(r"what size|which size|still a \S+ in|in size|sizes? \S+ to", re.IGNORECASE)


def read_feed(path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as feed:
        reader = csv.DictReader(feed, delimiter="\t")
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def real_builds(assistant, tmp_path_factory) -> dict[str, tuple]:
    """Each catalog's slice written to a temporary feed and built once with the CLI: catalog ->
    (build directory, the slice's rows by id)."""
    started, builds = time.monotonic(), {}
    for name, (currency, keep) in SLICES.items():
        header, rows = read_feed(REAL_CATALOGS / name / "merchant_feed.tsv")
        chosen = keep(rows)
        feed = tmp_path_factory.mktemp(name) / "merchant_feed.tsv"
        with open(feed, "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, header, delimiter="\t", lineterminator="\n")
            writer.writeheader()
            writer.writerows(chosen)
        build_dir, printed = build_catalog(feed, assistant.settings.index_dir)
        assert f"prices in {currency}" in printed, printed
        builds[name] = build_dir, {row["id"]: row for row in chosen}
    print(f"[omnishop] real catalog slices built in {time.monotonic() - started:.1f} s", flush=True)
    return builds


@pytest.fixture
def flipkart(assistant, real_builds):
    with on_build(assistant.settings.index_dir, real_builds["flipkart_in"][0]):
        yield assistant, real_builds["flipkart_in"][1]


@pytest.fixture
def ikea(assistant, real_builds):
    with on_build(assistant.settings.index_dir, real_builds["ikea_sa"][0]):
        yield assistant, real_builds["ikea_sa"][1]


def products_shown(messages: list[dict]) -> list[dict]:
    lists = custom_payloads(messages, "product_list")
    assert lists, messages
    assert lists[0]["products"], messages
    return lists[0]["products"]


def assert_no_size_question(messages: list[dict]) -> None:
    assert not SIZE_QUESTIONS.search(texts(messages)), texts(messages)
    assert not any(button.get("title", "").strip().isdigit() for m in messages for button in m.get("buttons") or []), \
        messages


def names_colour(text: str, colour: str) -> bool:
    return colour in re.findall(r"[a-z]+", text.lower())


def test_flipkart_rupee_budgets_in_the_forms_people_write_them(flipkart, sender):
    assistant, rows = flipkart
    for turn, (message, budget, written) in enumerate([
        ("boots under 2000 rupees", 2000, "under ₹2,000"),
        ("tops ₹500", 500, "₹500"),
        ("footwear under rs. 1,499", 1499, "₹1,499"),
    ]):
        messages = assistant.say(f"{sender}-{turn}", message)
        products = products_shown(messages)
        assert custom_payloads(messages, "product_list")[0]["query"]["price"] == \
            {"min": None, "max": budget, "currency": "INR"}, message
        assert all(p["price"] <= budget and p["currency"] == "INR" and p["price_text"].startswith("₹")
                   for p in products), (message, products)
        assert all(p["id"] in rows for p in products)
        assert written in texts(messages) and "$" not in texts(messages), texts(messages)
        assert_no_size_question(messages)

    other = assistant.say(f"{sender}-0", "under 30 dollars")
    assert "Our prices are in rupees (₹)" in texts(other) and "What's your budget in rupees?" in texts(other), other
    assert not custom_payloads(other, "product_list")


def test_flipkart_never_asks_for_a_size_and_a_size_said_anyway_finds_products(flipkart, sender):
    assistant, _ = flipkart
    browsing = assistant.say(f"{sender}-a", "footwear")
    products_shown(browsing)
    assert_no_size_question(browsing)

    sized = assistant.say(f"{sender}-b", "women's footwear size 7 under 2000 rupees")
    assert all(p["price"] <= 2000 for p in products_shown(sized))
    assert_no_size_question(sized)
    assert "size 7" not in texts(sized)


def test_flipkart_not_black_shows_nothing_black(flipkart, sender):
    assistant, rows = flipkart
    products = products_shown(assistant.say(sender, "boots not black"))
    more = custom_payloads(assistant.say(sender, "show me more"), "product_list")
    for product in products + [p for shown in more for p in shown["products"]]:
        field = rows[product["id"]]["color"]
        assert not names_colour(f"{product['title']} {product.get('color_name', '')}", "black"), product
        # a "Black" field is overruled only by a title naming another colour ("Pinza Blue Cowboy Boots")
        assert not names_colour(field, "black") or product.get("color_name") != field, (product, field)


def test_ikea_riyal_budgets_are_read_and_answered_in_riyals(ikea, sender):
    assistant, rows = ikea
    for turn, (message, budget) in enumerate([("bookcase under 500 riyals", 500), ("chairs 300 SR", 300),
                                              ("a bed under 1.500 sar", 1500)]):
        messages = assistant.say(f"{sender}-{turn}", message)
        products = products_shown(messages)
        assert custom_payloads(messages, "product_list")[0]["query"]["price"] == \
            {"min": None, "max": budget, "currency": "SAR"}, message
        assert all(p["price"] <= budget and p["currency"] == "SAR" and "SAR" in p["price_text"]
                   for p in products), (message, products)
        assert all(p["id"] in rows for p in products)
        assert "SAR" in texts(messages) and "$" not in texts(messages), texts(messages)
        assert_no_size_question(messages)


def test_ikea_not_grey_shows_no_compound_grey(ikea, sender):
    """IKEA names finishes "lejde grey black", "anthracite", "dark grey": all grey to a shopper."""
    assistant, rows = ikea
    products = products_shown(assistant.say(sender, "sofa not grey"))
    for product in products:
        field = rows[product["id"]]["color"].lower()
        assert not any(names_colour(field, word) for word in ("grey", "gray", "anthracite")), (product, field)
        assert not names_colour(product["title"], "grey"), product


def test_flipkart_words_that_are_also_brands_stay_words(flipkart, sender):
    """The feed's brand column holds fit names ("Slim"); "and" joins a price range; "or" offers
    colours; "no budget" drops the budget rather than tightening it."""
    assistant, _ = flipkart
    ranged = assistant.say(f"{sender}-a", "slim fit shirts for men between 1000 and 2000 rupees")
    query = custom_payloads(ranged, "product_list")[0]["query"]
    assert query["price"] == {"min": 1000, "max": 2000, "currency": "INR"} and not query.get("brand"), query
    assert all(1000 <= p["price"] <= 2000 for p in products_shown(ranged))

    either = products_shown(assistant.say(f"{sender}-b", "women's boots in black or brown"))
    assert all(p["color"] in ("black", "brown") for p in either), either

    assistant.say(f"{sender}-c", "tops under 500 rupees")
    unbounded = assistant.say(f"{sender}-c", "no budget")
    assert custom_payloads(unbounded, "product_list")[0]["query"].get("price") is None, unbounded
