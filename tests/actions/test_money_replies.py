"""Amounts in the actions' replies come from the shop's currency and locale; a budget in another
currency is answered, never converted. On the demo catalog (US dollars) and its real recommender."""
from __future__ import annotations

from actions import services
from actions.cart import ActionViewCart
from actions.turn import ActionShoppingTurn
from contract.money import ShopMoney
from tests.actions.conftest import payloads, texts

TURN = ActionShoppingTurn()


def test_a_budget_in_another_currency_is_asked_for_in_the_shops_and_the_search_kept(talk):
    shopper = talk()
    asked = shopper.run(TURN, "backpacks under 30 euros", "search_product")
    assert texts(asked) == ("Our prices are in dollars ($), so I can't compare them with a budget in euros. "
                            "What's your budget in dollars?")
    assert not payloads(asked, "product_list") and not payloads(asked, "alternatives")
    kept = shopper.slots["search_query"]
    assert kept["category"] == "backpacks" and "price" not in kept, "the search is kept, without that budget"

    answered = shopper.run(TURN, "under 80 dollars", "refine_search")
    products = payloads(answered, "product_list")[0]["products"]
    assert products and all(p["price"] <= 80 and p["currency"] == "USD" for p in products)
    assert "backpacks under $80" in texts(answered)


def test_the_budget_is_said_back_as_the_shop_writes_it(talk):
    reply = talk().run(TURN, "backpacks between 40 and 80 dollars", "search_product")
    assert "backpacks between $40 and $80" in texts(reply)
    cards = payloads(reply, "product_list")[0]["products"]
    assert all(card["price_text"] == ShopMoney("USD", "en_US").price(card["price"]) for card in cards)
    assert all(card["why"].startswith("$40–$80") for card in cards)


def test_a_budget_whose_currency_was_not_said_is_in_the_shops(talk, monkeypatch):
    """An Alexa slot or a button sends `price_max` alone: it is the shop's currency, not a dollar default."""
    monkeypatch.setattr(services, "money", lambda: ShopMoney("INR", "en_IN"))
    shopper = talk()
    reply = shopper.run(TURN, '/search_product{"category": "backpacks", "price_max": 2000}', "search_product",
                        entities=[{"entity": "category", "value": "backpacks"}, {"entity": "price_max", "value": 2000}])
    assert "Our prices are in" not in texts(reply)
    assert shopper.slots["search_query"]["price"]["currency"] == "INR"
    assert "under ₹2,000" in texts(reply)


def test_the_cart_total_is_written_in_the_shops_locale(talk, monkeypatch):
    shopper = talk()
    products = payloads(shopper.run(TURN, "show me backpacks", "search_product"), "product_list")[0]["products"]
    shopper.run(TURN, f'/add_to_cart{{"product_id": "{products[0]["id"]}"}}', "add_to_cart",
                entities=[{"entity": "product_id", "value": products[0]["id"]}])
    monkeypatch.setattr(services, "money", lambda: ShopMoney("USD", "de_DE"))
    cart = shopper.run(ActionViewCart(), "show my cart", "view_cart")
    total = payloads(cart, "cart")[0]
    assert total["total_text"] == ShopMoney("USD", "de_DE").price(total["total"])
    assert f"total {total['total_text']}." in texts(cart) and "\u00a0$" in total["total_text"]
