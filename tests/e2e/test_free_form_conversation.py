"""The free-form conversations of issue 14, each through the real Rasa server, action server and
index: shoppers typing the way people type, and the assistant keeping up.

Every product shown is checked against the index's own SQLite tables (tests/exclusion_oracle.py)
for everything the shopper said so far, not only against the query the assistant echoes.
"""
from __future__ import annotations

import re
import sqlite3

import pytest
import requests

from index_artefact.layout import CATALOG_DB, current_build
from tests.exclusion_oracle import violations
from tests.e2e.conftest import custom_payloads

pytestmark = pytest.mark.e2e


@pytest.fixture
def shopper(assistant, sender):
    """Say one line after another; returns the last reply."""
    def say(*lines: str) -> list[dict]:
        messages: list[dict] = []
        for line in lines:
            messages = assistant.say(sender, line)
        return messages
    return say


def shown(assistant, messages: list[dict], **said) -> list[dict]:
    """The product cards of a reply, each checked against `said` (the public query shape) on the
    catalog's tables; fails when none are shown."""
    lists = custom_payloads(messages, "product_list")
    assert lists and lists[0]["products"], f"expected products, got {texts(messages)!r}"
    db = sqlite3.connect(current_build(assistant.settings.index_dir) / CATALOG_DB)
    for card in lists[0]["products"]:
        assert violations(db, card, said) == [], card
    return lists[0]["products"]


def mentions(assistant, card: dict, word: str) -> bool:
    db = sqlite3.connect(current_build(assistant.settings.index_dir) / CATALOG_DB)
    row = db.execute("SELECT title || ' ' || description || ' ' || coalesce(material, '') FROM products "
                     "WHERE group_id = ?", (card["group_id"],)).fetchone()
    return re.search(rf"(?<!not )(?<!not fully ){word}", row[0].lower()) is not None  # "Not waterproof" is not


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def test_nothing_over_is_a_maximum_and_a_soft_wish_ranks_inside_it(assistant, shopper):
    asked = shopper("a black dress for a wedding, nothing over 150")
    assert "size" in texts(asked).lower() and "over $150" not in texts(asked)
    cards = shown(assistant, shopper("M"), category="dresses", color=["black"], size={"value": "M"},
                  price={"max": 150})
    assert all(card["price"] <= 150 for card in cards)


def test_a_soft_wish_refines_the_open_search_and_brown_keeps_it(assistant, shopper):
    said = dict(category="hiking boots", gender="women", price={"max": 150}, size={"value": "8"})
    shopper("women's hiking boots under $150")
    shown(assistant, shopper("8"), **said)
    waterproof = shopper("something waterproof")
    cards = shown(assistant, waterproof, **said)
    # said back either way: only the waterproof ones when some are, and honestly when none is
    said_none = "None of them mentions waterproof" in texts(waterproof)
    assert said_none or "that mention waterproof" in texts(waterproof)
    assert all(mentions(assistant, card, "waterproof") != said_none for card in cards)
    shown(assistant, shopper("in brown"), **said, color=["brown"])


def test_an_exclusion_is_a_hard_constraint(assistant, shopper):
    shown(assistant, shopper("women's sneakers size 8, but not black"), category="sneakers", gender="women",
          size={"value": "8"}, exclude={"color": ["black"]})


def test_cheapest_orders_by_price(assistant, shopper):
    cards = shown(assistant, shopper("cheapest men's boots in size 9"), category="boots", gender="men",
                  size={"value": "9"})
    prices = [card["price"] for card in cards]
    assert prices == sorted(prices)


@pytest.mark.parametrize("order, key", [("best rated first", "rating"), ("most expensive first", "price")])
def test_other_orders_order_the_open_search(assistant, shopper, order, key):
    shopper("backpacks")
    values = [card[key] or 0 for card in shown(assistant, shopper(order), category="backpacks")]
    assert values == sorted(values, reverse=True)


def test_compare_the_first_two_compares_them(assistant, shopper):
    listed = shown(assistant, shopper("show me backpacks under 100"), category="backpacks", price={"max": 100})
    compared = custom_payloads(shopper("compare the first two"), "comparison")
    assert compared and [row["id"] for row in compared[0]["products"]] == [card["group_id"] for card in listed[:2]]


def test_the_size_question_of_the_cart_is_answered_and_make_it_two_changes_that_line(assistant, shopper):
    shopper("men's jeans")
    shopper("any size")
    asked = shopper("add the first one")
    assert "which size" in texts(asked).lower()
    size = next(b["title"] for m in asked for b in m.get("buttons") or [])
    cart = custom_payloads(shopper(size), "cart")
    assert cart and [line["size"] for line in cart[0]["items"]] == [size], texts(asked)
    cart = custom_payloads(shopper("make it two"), "cart")
    assert cart and cart[0]["items"][0]["quantity"] == 2


def test_a_budget_said_before_the_item_belongs_to_the_search_that_follows(assistant, shopper):
    asked = shopper("I have about 70 dollars to spend")
    assert "What are you looking for?" in texts(asked) and not custom_payloads(asked, "product_list")
    cards = shown(assistant, shopper("a hoodie for men, size M"), category="hoodies", gender="men",
                  size={"value": "M"})
    assert all(card["price"] <= 84 for card in cards)  # "about 70" is at most 20 % over


def test_something_the_catalog_does_not_carry_is_told_so_with_what_it_carries(assistant, shopper):
    reply = shopper("do you sell laptops?")
    assert not custom_payloads(reply, "product_list")
    assert "not something we carry" in texts(reply)
    assert [b for m in reply for b in m.get("buttons") or []], "the nearest departments are offered"


def test_a_size_the_category_is_not_sold_in_is_said_with_the_sizes_it_is(assistant, shopper):
    reply = shopper("any jeans in L?")
    assert "not in L" in texts(reply) and "28x30" in texts(reply)


def test_boots_for_kids_finds_the_kids_boots(assistant, shopper):
    reply = shopper("boots for kids")
    if "size" in texts(reply).lower() and not custom_payloads(reply, "product_list"):
        reply = shopper("any size")
    shown(assistant, reply, category="boots", gender="kids")


def test_typos_in_function_words_keep_the_budget(assistant, shopper):
    shown(assistant, shopper("womens runing shoes undr 90 size 7"), category="running shoes", gender="women",
          price={"max": 90}, size={"value": "7"})


def test_a_full_stop_after_the_amount_keeps_the_budget(assistant, shopper):
    reply = shopper("Show me red dresses under $50.")
    assert "under $50" in texts(reply)


@pytest.mark.parametrize("line, size", [("any hoodies in L?", "L"), ("Do you have any M leggings?", "M"),
                                        ("mens hoodie in XL", "XL"), ("Are any of your t-shirts a S?", "S")])
def test_bare_letter_sizes_are_read(assistant, shopper, line, size):
    reply = shopper(line)
    lists = custom_payloads(reply, "product_list") + custom_payloads(reply, "alternatives")
    assert lists and lists[0]["query"]["size"]["value"] == size, texts(reply)


def test_a_colour_that_points_at_a_product_is_not_a_filter(assistant, shopper):
    listed = shown(assistant, shopper("backpacks"), category="backpacks")
    colour = listed[0]["color"]
    other = "blue" if colour != "blue" else "green"
    reply = shopper(f"like the {colour} one but in {other}")
    lists = custom_payloads(reply, "product_list") + custom_payloads(reply, "alternatives")
    assert lists and lists[0]["query"].get("color") == [other], texts(reply)


def test_a_question_about_a_product_is_answered_not_searched(assistant, shopper):
    listed = shown(assistant, shopper("backpacks"), category="backpacks")
    reply = shopper(f"what is the price of the {listed[0]['color']} one?")
    assert not custom_payloads(reply, "product_list")
    assert listed[0]["title"] in texts(reply)


@pytest.mark.parametrize("line, price", [
    ("So I can't go above 500$", {"min": None, "max": 500, "currency": "USD"}),
    ("I don't want to spend more than 30 usd", {"min": None, "max": 30, "currency": "USD"}),
    ("Show me red dresses under $50.", {"min": None, "max": 50, "currency": "USD"}),
    ("not more than 20 euro", {"min": None, "max": 20, "currency": "EUR"}),
    ("jackets under 1000nok", {"min": None, "max": 1000, "currency": "NOK"}),
    ("boots for 12,000 nok or less", {"min": None, "max": 12000, "currency": "NOK"}),
])
def test_real_shoppers_budget_sentences_parse_as_they_mean(assistant, line, price):
    response = requests.post(f"{assistant.web_url}/api/parse", json={"text": line}, timeout=30)
    assert response.status_code == 200
    constraints = response.json()["constraints"]
    assert constraints["price"] == price and constraints["size"] is None


def test_a_wish_the_catalog_meets_narrows_the_list_to_what_meets_it(assistant, shopper):
    said = dict(category="boots", gender="women", size={"value": "7"})
    boots = shopper("i'm after something waterproof for hiking, womens boots size 7")
    cards = shown(assistant, boots, **said)
    assert "that mention waterproof" in texts(boots)
    assert all(mentions(assistant, card, "waterproof") for card in cards)
    cheaper = shopper("anything cheaper")
    assert all(mentions(assistant, card, "waterproof") for card in shown(assistant, cheaper, **said))


def test_a_second_kind_named_up_front_is_what_now_the_plainer_name_means(assistant, shopper):
    jackets = shopper("i need a rain jacket and hiking boots for a trip, the jacket first, mens L")
    shown(assistant, jackets, category="rain jackets", gender="men", size={"value": "L"})
    boots = shopper("ok now the boots, size 11, under 170")
    shown(assistant, boots, category="hiking boots", gender="men", size={"value": "11"}, price={"max": 170})


def test_a_currency_put_right_after_the_amount_is_the_budgets(assistant, shopper):
    shopper("boys sneakers size 5.5")
    cards = shown(assistant, shopper("no more than 50 quid... i mean dollars"), category="sneakers", gender="boys",
                  size={"value": "5.5"}, price={"max": 50})
    assert cards and all(card["price"] <= 50 for card in cards)


def test_a_marathon_is_run_in_running_shoes(assistant, shopper):
    shown(assistant, shopper("training for my first marathon, need shoes, mens 9"), category="running shoes",
          gender="men", size={"value": "9"})
