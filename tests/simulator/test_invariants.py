"""The invariant checker flags a card, an echoed query or an order that breaks what the shopper
said, and passes one that keeps it. Cards are built from the demo build's own products."""
from __future__ import annotations

import dataclasses

import pytest

from benchmarks.simulator.catalog import effective_price, in_stock
from benchmarks.simulator.goals import GENDER_WORDS, simulate
from benchmarks.simulator.invariants import lost_constraints, order_problems, shown_problems, target_problems
from benchmarks.simulator.shopper import Shopper, Turn
from tests.simulator.oracle import query_of


@pytest.fixture(scope="module")
def goal(catalog):
    return next(g for g in simulate(31, 50, catalog) if g.target.size and g.target.colour)


def card_of(catalog, variant_id: str) -> dict:
    variant = catalog.offer(variant_id)
    product = catalog.product(variant_id)
    sizes = [v["size"] for v in product["variants"] if in_stock(v) and v["color"] == variant["color"]]
    return {"id": variant_id, "group_id": product["group_id"], "title": product["title"], "color": variant["color"],
            "price": effective_price(variant), "sizes_in_stock": sizes}


def listing(*cards: dict, query: dict | None = None) -> list[dict]:
    return [{"text": "Here are some.",
             "custom": {"type": "product_list", "query": query or {}, "products": list(cards)}}]


def stated_for(target) -> dict:
    """Constraints the target keeps: its category, size and colour, a budget above its price."""
    return {"category": target.category, "size": target.size, "color": [target.colour],
            "price_max": target.price + 10, "gender": GENDER_WORDS[target.gender][0]}


def test_a_card_that_keeps_every_constraint_passes(catalog, goal):
    card = card_of(catalog, goal.target.variant_id)
    assert shown_problems(listing(card), stated_for(goal.target), catalog) == []


@pytest.mark.parametrize("broken, cls", [
    ({"price_max": 1}, "shown_price_max"), ({"price_min": 100000}, "shown_price_min"),
    ({"color": ["multicolor-none"]}, "shown_color"), ({"category": "sunglasses"}, "shown_category"),
    ({"size": "99"}, "shown_size")])
def test_a_card_that_breaks_a_constraint_is_flagged(catalog, goal, broken, cls):
    card = card_of(catalog, goal.target.variant_id)
    problems = shown_problems(listing(card), {**stated_for(goal.target), **broken}, catalog)
    assert [c for c, _ in problems] == [cls]


def test_an_excluded_colour_or_brand_on_a_card_is_flagged(catalog, goal):
    card = card_of(catalog, goal.target.variant_id)
    stated = {"not_color": [goal.target.colour], "not_brand": [goal.target.brand]}
    assert sorted(c for c, _ in shown_problems(listing(card), stated, catalog)) == ["shown_not_brand",
                                                                                     "shown_not_color"]


def test_a_card_priced_unlike_the_catalog_is_flagged(catalog, goal):
    card = {**card_of(catalog, goal.target.variant_id), "price": goal.target.price - 5}
    assert [c for c, _ in shown_problems(listing(card), {}, catalog)] == ["shown_price_not_catalog"]


def test_the_echoed_query_must_keep_what_was_said(catalog, goal):
    stated = {**stated_for(goal.target), "not_color": ["pink"], "sort": "price_asc"}
    assert lost_constraints(query_of(stated), stated) == []
    narrower = {**query_of(stated), "category": f"trail {goal.target.category}"}
    assert lost_constraints(narrower, stated) == []
    looser = {**query_of(stated), "price": {"min": None, "max": goal.target.price + 50}}
    del looser["size"], looser["exclude"]
    assert sorted(c for c, _ in lost_constraints(looser, stated)) == ["query_lost_not_color", "query_lost_price_max",
                                                                      "query_lost_size"]


def test_a_query_that_shuts_the_target_out_is_flagged(catalog, goal):
    stated = stated_for(goal.target)
    turn = Turn("inform", "whatever", stated, target_in_play=True)
    assert target_problems(turn, listing(query=query_of(stated)), goal.target, catalog) == []
    shut_out = {**query_of(stated), "exclude": {"brand": [goal.target.brand]}}
    problems = target_problems(turn, listing(query=shut_out), goal.target, catalog)
    assert [c for c, _ in problems] == ["target_unreachable"]
    off_topic = dataclasses.replace(turn, target_in_play=False)
    assert target_problems(off_topic, listing(query=shut_out), goal.target, catalog) == []


def test_an_empty_answer_to_a_search_the_target_satisfies_is_flagged(catalog, goal):
    stated = stated_for(goal.target)
    turn = Turn("inform", "whatever", stated, target_in_play=True)
    nothing = [{"text": "I couldn't find any of those."}]
    assert [c for c, _ in target_problems(turn, nothing, goal.target, catalog)] == ["nothing_shown"]


def ordered(catalog, goal, quantity: int, total_off: float = 0.0) -> Shopper:
    shopper = Shopper(goal, catalog)
    shopper.chosen = card_of(catalog, goal.target.variant_id)
    shopper.quantity = 2
    price = goal.target.price
    line = {"id": goal.target.variant_id, "title": goal.target.title, "quantity": quantity, "unit_price": price}
    shopper.cart = {"type": "cart", "items": [line], "total": price * quantity}
    shopper.order = {"type": "order", "items": [line], "total": round(price * quantity + total_off, 2)}
    return shopper


def test_an_order_of_the_chosen_variant_passes(catalog, goal):
    assert order_problems(ordered(catalog, goal, 2), catalog) == []


def test_an_order_with_the_wrong_quantity_or_total_is_flagged(catalog, goal):
    assert [c for c, _ in order_problems(ordered(catalog, goal, 1), catalog)] == ["cart_quantity"]
    assert [c for c, _ in order_problems(ordered(catalog, goal, 2, total_off=3), catalog)] == ["order_total"]


def test_an_order_in_another_size_is_flagged(catalog, goal):
    shopper = ordered(catalog, goal, 2)
    product = catalog.product(goal.target.group_id)
    other = next(v for v in product["variants"] if v["color"] == goal.target.colour and v["size"] != goal.target.size)
    for payload in (shopper.cart, shopper.order):
        payload["items"] = [{**payload["items"][0], "id": other["id"], "unit_price": effective_price(other)}]
        payload["total"] = round(effective_price(other) * 2, 2)
    assert [c for c, _ in order_problems(shopper, catalog)] == ["cart_wrong_size"]
