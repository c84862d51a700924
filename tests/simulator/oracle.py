"""A correct assistant that cheats, for testing the simulator without Rasa: it does not read the
shopper's words but what the shopper meant (the `Turn` it just said, and the card it chose),
and answers from the catalog the way the contract says the real one should. Played against
it, every simulated shopper must succeed: a failure would be the simulator's own."""
from __future__ import annotations

from benchmarks.card_checks import singular
from benchmarks.simulator.catalog import ShopCatalog, effective_price, in_stock
from benchmarks.simulator.shopper import SEARCH_ACTS, Shopper

PAGE = 5


def query_of(stated: dict) -> dict:
    """The contract's `query` shape for what was said (docs/interfaces.md §2, §6.5)."""
    query: dict = {key: stated[key] for key in ("category", "gender", "color", "brand", "sort") if key in stated}
    if "size" in stated:
        query["size"] = {"value": stated["size"], "system": None}
    if "price_max" in stated or "price_min" in stated:
        query["price"] = {"min": stated.get("price_min"), "max": stated.get("price_max"), "currency": "USD"}
    exclude = {key: stated[f"not_{key}"] for key in ("color", "brand") if f"not_{key}" in stated}
    if exclude:
        query["exclude"] = exclude
    return query


class OracleAssistant:
    def __init__(self, shopper: Shopper, catalog: ShopCatalog, target_first: bool):
        self.shopper, self.catalog = shopper, catalog
        self.target_first = target_first  # list the target first, or leave it to be found (or not)
        self.shown: list[str] = []  # group ids shown for the current search
        self.cart: dict | None = None
        self.groups = [(r[0], r[1].lower()) for r in catalog.db.execute(
            "SELECT group_id, product_type FROM products ORDER BY group_id")]

    def send(self, sender: str, text: str) -> tuple[list[dict], str | None]:
        turn = self.shopper.turns[-1]
        stated, target = turn.stated, self.shopper.goal.target
        if turn.act in SEARCH_ACTS:
            if turn.act in ("inform", "switch", "decoy") and "category" in stated and "size" not in stated and \
                    target.size and turn.target_in_play:
                return [{"text": "What size?"}], None
            return self._search(stated, more=turn.act == "more"), None
        if turn.act == "compare":
            cards = self.shopper.shown[:2]
            return [{"text": "Side by side.", "custom": {"type": "comparison", "products": [
                {"id": card["group_id"], "title": card["title"]} for card in cards]}}], None
        if turn.act == "choose":
            return self._add(self.shopper.chosen, stated.get("size")), None
        if turn.act == "quantity":
            self.cart["items"][0]["quantity"] = 2
            return [{"text": "Updated.", "custom": self._priced(self.cart)}], None
        if turn.act == "cart":
            return [{"text": "Your cart.", "custom": self._priced(self.cart)}], None
        if turn.act == "checkout":
            return [{"text": "Your order: ... Shall I place it?", "custom": self._priced(self.cart)}], None
        order = {**self._priced(self.cart), "type": "order", "order_id": "OS-1", "status": "placed"}
        return [{"text": "Order placed.", "custom": order}], None

    def _search(self, stated: dict, more: bool) -> list[dict]:
        if not more:
            self.shown = []
        target = self.shopper.goal.target
        wanted = singular(stated.get("category", ""))  # a quick filter; matching_variant judges
        candidates = [g for g, path in self.groups if wanted in path and g not in self.shown]
        if self.target_first:
            candidates.sort(key=lambda group_id: group_id != target.group_id)
        cards = []
        for group_id in candidates:
            variant = self.catalog.matching_variant(group_id, stated)
            if variant is not None:
                cards.append(self._card(self.catalog.product(group_id), variant, stated))
            if len(cards) == PAGE:
                break
        if stated.get("sort") == "price_asc":
            cards.sort(key=lambda card: card["price"])
        elif stated.get("sort") == "rating_desc":
            cards.sort(key=lambda card: -(card["rating"] or 0))
        self.shown += [card["group_id"] for card in cards]
        if not cards and more:
            return [{"text": "That's everything I have."}]
        return [{"text": f"Here are {len(cards)}.", "custom": {"type": "product_list", "query": query_of(stated),
                                                               "products": cards}}]

    @staticmethod
    def _card(product: dict, variant: dict, stated: dict) -> dict:
        same_colour = [v for v in product["variants"] if in_stock(v) and v["color"] == variant["color"]]
        prices_ok = [v for v in same_colour if stated.get("price_min", 0) <= effective_price(v) <=
                     stated.get("price_max", float("inf"))]
        return {"id": variant["id"], "group_id": product["group_id"], "title": product["title"],
                "brand": product["brand"], "price": effective_price(variant), "currency": "USD",
                "color": variant["color"], "rating": product["rating"],
                "sizes_in_stock": sorted({v["size"] for v in prices_ok if v["size"]})}

    def _add(self, card: dict, size: str | None) -> list[dict]:
        product = self.catalog.product(card["group_id"])
        variant = next(v for v in product["variants"] if in_stock(v) and v["color"] == card["color"]
                       and (size is None or v["size"] == size))
        self.cart = {"type": "cart", "items": [{"id": variant["id"], "title": product["title"], "size": variant["size"],
                                                "color": variant["color"], "quantity": 1}], "currency": "USD"}
        return [{"text": "Added.", "custom": self._priced(self.cart)}]

    def _priced(self, cart: dict) -> dict:
        items = [{**item, "unit_price": self.catalog.offer(item["id"])["effective_price"]} for item in cart["items"]]
        return {**cart, "items": items, "total": round(sum(i["unit_price"] * i["quantity"] for i in items), 2)}
