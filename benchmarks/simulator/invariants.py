"""What must hold after every turn, and of the order at the end.

1. Every product card shown (in a `product_list`) satisfies every constraint said so far:
   card_checks.card_violations on the card and on catalog.sqlite (class `shown_<constraint>`),
   and the card's price is the catalog's price of its variant (`shown_price_not_catalog`).
2. Nothing said is lost: the `query` echoed with a product_list or alternatives still holds
   every constraint the shopper stated (`query_lost_<constraint>`); narrower is fine ("trail
   running shoes" for "running shoes"), looser or missing is not; that includes exclusions
   ("not black": `exclude`) and a sort order asked for (`sort`, docs/interfaces.md §6.5).
3. The target stays reachable: one in-stock variant of it satisfies the echoed query
   (`target_unreachable`), and a search it satisfies does not come back empty
   (`nothing_shown`); not while the shopper is deliberately on another topic or colour.
4. The final cart holds the chosen product in the shopper's size and the card's colour, in the
   quantity asked for, and nothing else (`cart_*`); the order's lines are the cart's, each at
   the catalog's price, and its total is the sum of catalog price x quantity (`order_*`).

Separately, acts the assistant answered wrongly without breaking an invariant (a comparison
of other products, a list out of the sort order asked for, "show more" repeating products)
are `act_problems`.
"""
from __future__ import annotations

from benchmarks.card_checks import GENDERS, card_violations, payloads, size_ok, texts
from benchmarks.simulator.catalog import ShopCatalog, constraints_of_query, same_category
from benchmarks.simulator.goals import Target
from benchmarks.simulator.shopper import NOTHING_FOUND, SEARCH_ACTS, Shopper, Turn, asks_size, product_list

PRICE_TOLERANCE = 0.01


def shown_problems(messages: list[dict], stated: dict, catalog: ShopCatalog) -> list[tuple[str, str]]:
    """Invariant 1, card by card."""
    problems = []
    for listing in payloads(messages, "product_list"):
        for card in listing.get("products") or []:
            problems += [(f"shown_{cls}", what) for cls, what in card_violations(card, stated, catalog)]
            offer = catalog.offer(card.get("id") or "")
            if offer and card.get("price") is not None and \
                    abs(card["price"] - offer["effective_price"]) > PRICE_TOLERANCE:
                problems.append(("shown_price_not_catalog",
                                 f"{card.get('title')!r} shown at {card['price']}, catalog {offer['effective_price']}"))
    return problems


def lost_constraints(query: dict, stated: dict) -> list[tuple[str, str]]:
    """Invariant 2: each stated constraint the echoed query dropped or loosened."""
    echoed = constraints_of_query(query)
    lost = []

    def check(key: str, kept: bool) -> None:
        if key in stated and not kept:
            lost.append((f"query_lost_{key}", f"said {key} {stated[key]!r}, the query echoes {echoed.get(key)!r}"))

    check("category", bool(echoed.get("category")) and same_category(stated.get("category", ""), echoed["category"]))
    check("gender", echoed.get("gender") in GENDERS and
          GENDERS[echoed["gender"]] <= GENDERS.get(stated.get("gender"), set()))
    check("color", bool(echoed.get("color")) and set(echoed["color"]) <= set(stated.get("color", ())))
    check("brand", bool(echoed.get("brand")) and
          {b.lower() for b in echoed["brand"]} <= {b.lower() for b in stated.get("brand", ())})
    check("size", same_size(echoed.get("size"), stated.get("size")))
    check("price_max", echoed.get("price_max") is not None and
          echoed["price_max"] <= stated.get("price_max", 0) + PRICE_TOLERANCE)
    check("price_min", echoed.get("price_min") is not None and
          echoed["price_min"] >= stated.get("price_min", 0) - PRICE_TOLERANCE)
    check("not_color", set(stated.get("not_color", ())) <= set(echoed.get("not_color", ())))
    check("not_brand", {b.lower() for b in stated.get("not_brand", ())} <=
          {b.lower() for b in echoed.get("not_brand", ())})
    check("sort", echoed.get("sort") == stated.get("sort"))
    return lost


def same_size(echoed: str | None, said: str | None) -> bool:
    if echoed is None or said is None:
        return False
    try:
        return float(echoed) == float(said)
    except ValueError:
        return echoed.upper().replace(" ", "") == said.upper().replace(" ", "")


def target_problems(turn: Turn, messages: list[dict], target: Target, catalog: ShopCatalog) -> list[tuple[str, str]]:
    """Invariant 3, while the target is in play."""
    if not turn.target_in_play:
        return []
    problems = []
    for listing in payloads(messages, "product_list") + payloads(messages, "alternatives"):
        query = listing.get("query") or {}
        if not catalog.reachable(target.group_id, constraints_of_query(query)):
            problems.append(("target_unreachable", f"{target.title!r} ({target.variant_id}) is outside the echoed "
                                                   f"query {query}"))
    came_back_empty = payloads(messages, "alternatives") or NOTHING_FOUND.search(texts(messages))
    if turn.act in SEARCH_ACTS - {"more"} and not product_list(messages) and not asks_size(messages) and \
            came_back_empty and not problems:  # (an empty answer to a query that excluded it is explained)
        problems.append(("nothing_shown", f"nothing shown, though {target.title!r} ({target.variant_id}) "
                                          f"satisfies everything said"))
    return problems


def turn_problems(turn: Turn, messages: list[dict], target: Target, catalog: ShopCatalog) -> list[tuple[str, str]]:
    """Every invariant violation in one reply."""
    echoes = payloads(messages, "product_list") + payloads(messages, "alternatives")
    return (shown_problems(messages, turn.stated, catalog)
            + [lost for listing in echoes for lost in lost_constraints(listing.get("query") or {}, turn.stated)]
            + target_problems(turn, messages, target, catalog))


def act_problems(turn: Turn, messages: list[dict], shown_before: list[dict],
                 catalog: ShopCatalog) -> list[tuple[str, str]]:
    """Acts answered wrongly without breaking an invariant: a comparison of other products, a
    list out of the order asked for, "show more" showing the previous page again."""
    cards, problems = product_list(messages), []
    if turn.act == "compare" and len(shown_before) >= 2:
        wanted = [card.get("group_id") for card in shown_before[:2]]
        tables = payloads(messages, "comparison")
        compared = tables[0].get("products") or [] if tables else []
        got = [(catalog.product(p.get("id") or "") or {}).get("group_id") for p in compared]
        if got != wanted:
            problems.append(("comparison", f"compared {got or 'nothing'}, wanted the first two shown {wanted}"))
    sort = turn.stated.get("sort")
    if sort and cards:
        key = "price" if sort == "price_asc" else "rating"
        values = [card.get(key) or 0 for card in cards]
        if values != sorted(values, reverse=sort != "price_asc"):
            problems.append(("sort_order", f"{sort}, but the {key}s shown are {values}"))
    if turn.act == "more" and cards:
        again = {card.get("group_id") for card in cards} & {card.get("group_id") for card in shown_before}
        if again:
            problems.append(("show_more_repeats", f"{len(again)} product(s) of the previous page shown again"))
    return problems


def order_problems(shopper: Shopper, catalog: ShopCatalog) -> list[tuple[str, str]]:
    """Invariant 4, once an order was placed."""
    if shopper.order is None or shopper.chosen is None:
        return []
    target, chosen = shopper.goal.target, shopper.chosen
    items = (shopper.cart or {}).get("items") or []
    offers = {item.get("id"): catalog.offer(item.get("id") or "") for item in items}
    problems = []
    lines = [item for item in items if (offers[item.get("id")] or {}).get("group_id") == chosen.get("group_id")]
    if not lines:
        problems.append(("cart_wrong_product", f"{chosen.get('title')!r} is not in the cart "
                                               f"{[item.get('title') for item in items]}"))
    for item in lines[:1]:
        offer = offers[item["id"]]
        if target.size and not size_ok(target.size, [offer["size"] or ""]):
            problems.append(("cart_wrong_size", f"size {offer['size']} in the cart, said {target.size}"))
        if chosen.get("color") and offer["color"] != chosen["color"]:
            problems.append(("cart_wrong_colour", f"{offer['color']} in the cart, the card was {chosen['color']}"))
        if item.get("quantity") != shopper.quantity:
            problems.append(("cart_quantity", f"{item.get('quantity')} in the cart, asked for {shopper.quantity}"))
    if lines and len(items) > 1:
        problems.append(("cart_extra_lines", f"{len(items)} lines in the cart: {[i.get('title') for i in items]}"))
    order = shopper.order
    ordered = sorted((line.get("id"), line.get("quantity")) for line in order.get("items") or [])
    if ordered != sorted((item.get("id"), item.get("quantity")) for item in items):
        problems.append(("order_lines", f"ordered {ordered}, the cart held "
                                        f"{[(i.get('id'), i.get('quantity')) for i in items]}"))
    expected_total = 0.0
    for line in order.get("items") or []:
        offer = catalog.offer(line.get("id") or "")
        price = offer["effective_price"] if offer else None
        if price is None or abs((line.get("unit_price") or 0) - price) > PRICE_TOLERANCE:
            problems.append(("order_unit_price", f"{line.get('title')!r} at {line.get('unit_price')}, catalog {price}"))
        expected_total += (price or 0) * (line.get("quantity") or 0)
    if abs((order.get("total") or 0) - expected_total) > PRICE_TOLERANCE:
        problems.append(("order_total", f"total {order.get('total')}, catalog prices make {expected_total:.2f}"))
    return problems
