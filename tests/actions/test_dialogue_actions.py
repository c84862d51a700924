"""The actions a shopper meets, one behaviour per test, on the real demo catalog and store."""
from __future__ import annotations

import pytest

from actions import base, services
from actions.cart import ActionCheckoutSummary, ActionViewCart
from actions.conversation import (ActionForgetMemory, ActionHandoff, ActionListDepartments, ActionShowMemory,
                                  ActionStartOver)
from actions.turn import ActionShoppingTurn
from dialogue.state import size_answer
from recommender.live_catalog import offer
from store.shop import PricedLine
from tests.actions.conftest import payloads, texts

SEARCH = TURN = ActionShoppingTurn()
REFINE = "refine_search"


def shown(messages: list[dict]) -> list[dict]:
    lists = payloads(messages, "product_list")
    assert lists, texts(messages)
    return lists[0]["products"]


def test_a_sized_category_without_a_size_asks_for_one_and_the_answer_refines(talk):
    shopper = talk()
    asked = shopper.run(SEARCH, "men's running shoes under $150", "search_product")
    assert not payloads(asked, "product_list")
    assert "What size?" in texts(asked) and "sizes" in texts(asked)
    sizes = [b["title"] for m in asked for b in m.get("buttons", [])]
    assert "10.5" in sizes and sizes[-1] == "Any size"
    answered = shopper.run(SEARCH, "ten and a half", REFINE)
    products = shown(answered)
    assert all("10.5" in p["sizes_in_stock"] and p["price"] <= 150 for p in products)
    assert payloads(answered, "product_list")[0]["query"]["gender"] == "men"


@pytest.mark.parametrize("answer, size", [
    ("10", "10"), ("a 10", "10"), ("ten and a half", "10.5"), ("i wear a 9", "9"), ("i'm a 9 and a half", "9.5"),
    ("usually an 8", "8"), ("medium please", "M"), ("XL", "XL"), ("32x30", "32x30"),
    ("any size", None), ("in blue", None), ("one size", None), ("cheaper", None),
])
def test_bare_answers_to_the_size_question(answer, size):
    assert size_answer(answer) == size


def test_one_size_categories_are_searched_at_once(talk):
    assert shown(talk().run(SEARCH, "show me backpacks", "search_product"))


def test_a_size_for_a_kind_sold_in_no_size_is_dropped_not_asked(talk):
    """Issue 15: a catalog (or a kind) without sizes never asks, and a size said anyway does not
    empty the results."""
    answered = talk().run(SEARCH, "backpacks in size 10", "search_product")
    assert shown(answered) and "size" not in texts(answered).lower()
    assert payloads(answered, "product_list")[0]["query"].get("size") is None


def test_any_size_is_accepted_and_not_asked_again_on_refinement(talk):
    shopper = talk()
    shopper.run(SEARCH, "rain jackets", "search_product")
    assert shown(shopper.run(SEARCH, "any size is fine", REFINE))
    blue = shopper.run(SEARCH, "in blue", REFINE)
    assert "What size?" not in texts(blue)
    assert payloads(blue, "product_list") or payloads(blue, "alternatives")


def test_a_size_the_category_never_comes_in_gets_a_helpful_reprompt(talk):
    asked = talk().run(SEARCH, "running shoes in size 30", "search_product")
    assert "We carry" in texts(asked) and "not in 30" in texts(asked)
    assert not payloads(asked, "product_list")


def test_a_returning_customer_is_asked_still_the_same_size_and_can_clear_it(talk):
    first = talk()
    first.metadata = {"customer_id": "cust-42"}
    first.run(SEARCH, "running shoes size 10", "search_product")
    later = talk()  # a new conversation, same customer
    later.metadata = {"customer_id": "cust-42"}
    asked = later.run(SEARCH, "running shoes", "search_product")
    assert "Still a 10 in running shoes?" in texts(asked)
    products = shown(later.run(TURN, "yes", "affirm"))
    assert all("10" in p["sizes_in_stock"] for p in products)
    assert "running shoes is 10" in texts(later.run(ActionShowMemory(), "what do you remember about me", "show_memory"))
    later.run(ActionForgetMemory(), "forget my sizes", "forget_memory")
    another = talk()  # the next visit of the same customer
    another.metadata = {"customer_id": "cust-42"}
    assert "What size?" in texts(another.run(SEARCH, "running shoes", "search_product"))


def test_no_to_the_remembered_size_asks_which_size(talk):
    first = talk()
    first.metadata = {"customer_id": "cust-9"}
    first.run(SEARCH, "hiking boots size 9", "search_product")
    shopper = talk()  # the next visit
    shopper.metadata = {"customer_id": "cust-9"}
    assert "Still a 9" in texts(shopper.run(SEARCH, "hiking boots", "search_product"))
    declined = shopper.run(TURN, "no", "deny")
    assert "Which size then?" in texts(declined)


def test_cheaper_is_strictly_below_everything_shown(talk):
    shopper = talk()
    before = shown(shopper.run(SEARCH, "backpacks", "search_product"))
    after = shown(shopper.run(SEARCH, "cheaper", REFINE))
    assert max(p["price"] for p in after) < min(p["price"] for p in before)


def test_compare_puts_the_same_facts_side_by_side(talk):
    shopper = talk()
    products = shown(shopper.run(SEARCH, "backpacks", "search_product"))
    compared = shopper.run(TURN, "compare the first and second", "compare_products")
    table = payloads(compared, "comparison")[0]["products"]
    assert [row["id"] for row in table] == [products[0]["group_id"], products[1]["group_id"]]
    assert all(set(row) == set(table[0]) for row in table)
    cheapest = min(table, key=lambda row: row["price_from"])["title"]
    assert f"The {cheapest} is the cheapest" in texts(compared)


def first_product_described(recommender, has: str, lacks: str) -> str:
    arrays = recommender.catalog.arrays()
    return next(p["group_id"] for p in arrays.product_rows
                if has in p["description"].lower() and lacks not in f"{p['title']} {p['description']}".lower())


@pytest.mark.parametrize("described, lacking, expected", [
    ("gore-tex", "\0", "Yes."),                            # the catalog says GORE-TEX
    ("water-resistant", "waterproof", "The {title} is described as water-resistant, not waterproof"),
    ("cotton", "water", "The catalog doesn't say whether"),
])
def test_product_questions_are_answered_from_the_catalog_only(talk, recommender, described, lacking, expected):
    product = first_product_described(recommender, described, lacking)
    answer = texts(talk().run(TURN, "is it waterproof", "product_details",
                              entities=[{"entity": "product_id", "value": product}]))
    title = next(p["title"] for p in recommender.catalog.arrays().product_rows if p["group_id"] == product)
    assert answer.startswith(expected.format(title=title)), answer


def test_quantity_changes_are_checked_against_stock(talk, recommender):
    shopper = talk()
    shown(shopper.run(SEARCH, "backpacks", "search_product"))
    shopper.run(TURN, "add the first one", "add_to_cart")
    cart = payloads(shopper.run(TURN, "make it 2", "update_quantity"), "cart")[0]
    assert cart["items"][0]["quantity"] == 2 and cart["total"] == round(2 * cart["items"][0]["unit_price"], 2)
    stock = offer(recommender.catalog.arrays(), cart["items"][0]["id"])["quantity"]
    if stock is not None and stock < 10:
        refused = shopper.run(TURN, "make it 10", "update_quantity")
        assert f"only {stock}" in texts(refused) and not payloads(refused, "cart")


def test_checkout_refuses_what_earlier_orders_already_hold(talk, recommender, shop):
    shopper = talk()
    shown(shopper.run(SEARCH, "backpacks", "search_product"))
    shopper.run(TURN, "add the first one", "add_to_cart")
    variant = shop.cart(f"sender:{shopper.sender}")[0][0]
    stock = offer(recommender.catalog.arrays(), variant)["quantity"]
    with shop.engine.begin() as connection:  # every unit already sold to someone else
        connection.exec_driver_sql("INSERT INTO stock_reservations (variant_id, reserved) VALUES (?, ?)",
                                   (variant, stock if stock is not None else 0))
    shopper.run(ActionCheckoutSummary(), "checkout", "checkout")
    refused = shopper.run(TURN, "yes", "affirm")
    if stock is None:
        pytest.skip("the first backpack's stock is not tracked in the demo feed")
    assert "I haven't placed the order" in texts(refused) and not payloads(refused, "order")
    assert shop.cart(f"sender:{shopper.sender}") == [(variant, 1)], "the cart survives a refused checkout"


def test_a_failing_action_apologises_and_keeps_the_cart(talk, shop, monkeypatch):
    shopper = talk()
    shown(shopper.run(SEARCH, "backpacks", "search_product"))
    shopper.run(TURN, "add the first one", "add_to_cart")
    slots_before = dict(shopper.slots)

    def broken():
        raise RuntimeError("index unavailable")

    monkeypatch.setattr(services, "recommender", broken)
    failed = shopper.run(ActionViewCart(), "show my cart", "view_cart")
    assert texts(failed) == base.SORRY
    assert shopper.slots == slots_before and len(shop.cart(f"sender:{shopper.sender}")) == 1


def test_start_over_clears_the_search_but_keeps_the_cart(talk):
    shopper = talk()
    shown(shopper.run(SEARCH, "backpacks", "search_product"))
    shopper.run(TURN, "add the first one", "add_to_cart")
    reply = texts(shopper.run(ActionStartOver(), "start over", "start_over"))
    assert "Your cart still has 1 item(s)" in reply
    assert shopper.slots["search_query"] is None and shopper.slots["last_results"] == []


def test_asking_for_a_person_queues_the_conversation_for_the_team(talk, shop):
    shopper = talk()
    reply = texts(shopper.run(ActionHandoff(), "i want to talk to a real person", "human_handoff"))
    queued = shop.open_handoffs()
    assert [(q.conversation_id, q.message) for q in queued] == [(shopper.sender, "i want to talk to a real person")]
    assert f"request #{queued[0].id}" in reply


def test_the_black_ones_resolve_to_the_shown_products_of_that_colour(talk):
    shopper = talk()
    products = shown(shopper.run(SEARCH, "sneakers size 9", "search_product"))
    colour = products[-1]["color"]
    answer = texts(shopper.run(TURN, f"tell me about the {colour} ones", "product_details"))
    described = [p["title"] for p in products if p["color"] == colour][:3]  # details of at most three
    for product in products:
        assert (f"**{product['title']}**" in answer) == (product["title"] in described), (colour, product["title"])


def test_the_action_server_registers_every_action_the_domain_names():
    """What `rasa_sdk --actions actions` does at start-up, checked against bot/domain."""
    from pathlib import Path

    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    declared = {name for path in Path("bot/domain").glob("*.yml")
                for name in (yaml.safe_load(path.read_text()) or {}).get("actions", [])}
    assert declared and declared <= set(executor.actions)


def test_brands_bought_before_rank_higher_until_the_customer_says_forget(talk, shop):
    shopper = talk()
    shopper.metadata = {"customer_id": "cust-brand"}
    before = shown(shopper.run(SEARCH, "backpacks", "search_product"))
    bought = next(p for p in reversed(before) if p["brand"] != before[0]["brand"])  # a brand ranked lower
    first_rank = next(i for i, p in enumerate(before) if p["brand"] == bought["brand"])
    shop.place_order("customer:cust-brand", "key-brand", [PricedLine(bought["id"], bought["title"], None, None, 1, 1.0)], "USD")
    after = shown(shopper.run(SEARCH, "backpacks", "search_product"))
    assert next(i for i, p in enumerate(after) if p["brand"] == bought["brand"]) < first_rank
    shopper.run(ActionForgetMemory(), "forget me", "forget_memory")
    assert shown(shopper.run(SEARCH, "backpacks", "search_product")) == before


def test_a_voice_slot_resolved_to_any_size_waives_the_question(talk):
    shopper = talk()
    shopper.run(SEARCH, '/search_product{"category": "hiking boots"}', "search_product",
                entities=[{"entity": "category", "value": "hiking boots"}])
    products = shown(shopper.run(SEARCH, '/refine_search{"size": "any size"}', REFINE,
                                 entities=[{"entity": "size", "value": "any size"}]))
    assert products and "size" not in shopper.slots["search_query"]


def test_a_budget_without_a_product_asks_what_and_the_answer_keeps_the_budget(talk):
    shopper = talk()
    asked = shopper.run(TURN, "i have 60 dollars to spend", "search_product")
    assert "What are you looking for?" in texts(asked) and "under $60" in texts(asked)
    assert not payloads(asked, "product_list") and [b["title"] for m in asked for b in m.get("buttons", [])]
    products = shown(shopper.run(TURN, "backpacks", "search_product"))
    assert all(p["price"] <= 60 for p in products)


@pytest.mark.parametrize("request_", ["do you sell laptops", "do you have a suit", "do you guys carry tvs"])
def test_a_request_for_what_the_catalog_does_not_carry_names_what_it_does(talk, request_):
    reply = talk().run(TURN, request_, "search_product")
    assert "not something we carry" in texts(reply) and not payloads(reply, "product_list")
    assert "clothing" not in texts(reply).split("closest we have:")[-1]  # kinds of product, not departments


def test_a_search_in_a_waist_alone_finds_every_length_of_it(talk):
    reply = talk().run(TURN, "womens jeans, 32", "search_product")
    assert shown(reply) and "in size 32x" in texts(reply), texts(reply)


def test_cheaper_with_nothing_cheaper_shows_the_lowest_prices(talk):
    shopper = talk()
    shopper.run(TURN, "men's belts, cheapest first", "search_product")
    shopper.run(TURN, "any size", REFINE)
    reply = shopper.run(TURN, "cheaper", REFINE)
    assert "lowest-priced" in texts(reply) and shown(reply), texts(reply)


def test_a_waist_alone_answers_which_size_and_several_lengths_are_offered(talk):
    shopper = talk()
    shopper.run(TURN, "men's jeans", "search_product")
    shopper.run(TURN, "any size", REFINE)
    asked = shopper.run(TURN, "add the first one", "add_to_cart")
    sizes = [b["title"] for m in asked for b in m.get("buttons", [])]
    assert "Which size" in texts(asked) and sizes
    waist = sizes[0].split("x")[0]
    reply = shopper.run(TURN, waist, "nlu_fallback")
    lengths = [b["title"] for m in reply for b in m.get("buttons", [])]
    cart = payloads(reply, "cart")
    if cart:  # one length in stock at that waist: added
        assert cart[0]["items"][0]["size"].startswith(f"{waist}x")
    else:  # several: the lengths of that waist are offered, and one tap adds it
        assert lengths and all(size.startswith(f"{waist}x") for size in lengths), texts(reply)
        added = payloads(shopper.run(TURN, lengths[0], "nlu_fallback"), "cart")
        assert added and added[0]["items"][0]["size"] == lengths[0]


def test_what_do_you_sell_names_the_catalogs_own_departments(talk):
    reply = texts(talk().run(ActionListDepartments(), "what do you sell", "help"))
    assert reply.startswith("We sell ") and all(name in reply for name in ("shoes", "clothing", "accessories")), reply


def test_compare_with_one_product_on_the_list_says_so(talk):
    shopper = talk()
    listed = shopper.run(TURN, "women's watches, cheapest first", "search_product")
    cheapest, second = (card["price"] for card in shown(listed)[:2])
    assert cheapest < second
    only = shopper.run(TURN, f"under {second - 0.01:.2f}", REFINE)
    assert len(shown(only)) == 1, texts(only)
    reply = shopper.run(TURN, "compare the first two", "compare_products")
    assert "Only one product is on the list" in texts(reply) and shown(only)[0]["title"] in texts(reply)
    assert not payloads(reply, "comparison")


def test_words_the_classifier_places_nowhere_that_name_products_are_a_search(talk):
    reply = talk().run(TURN, "trek", "nlu_fallback")
    assert shown(reply) and all("trek" in card["title"].lower() for card in shown(reply)), texts(reply)
    assert "didn't quite get that" not in texts(reply)


def test_off_topic_words_that_name_no_product_get_the_domains_answer(talk):
    reply = talk().run(TURN, "tell me a joke", "nlu_fallback")
    assert not payloads(reply, "product_list")


def test_cheaper_when_the_wish_was_never_met_still_shows_cheaper_products(talk):
    """Every men's trail running shoe in 10.5 says "Not waterproof": "cheaper" then is only about
    price, and cheaper ones exist."""
    shopper = talk()
    listed = shopper.run(TURN, "men's trail running shoes in 10.5, something waterproof", "search_product")
    assert "None of them mentions waterproof" in texts(listed), texts(listed)
    cheapest = min(card["price"] for card in shown(listed))
    reply = shopper.run(TURN, "cheaper", REFINE)
    assert "lowest-priced" not in texts(reply), texts(reply)
    assert shown(reply) and all(card["price"] < cheapest for card in shown(reply))
