"""An independent check that a shown product satisfies a `query`, straight from the index's
SQLite tables (no recommender code), used by the end-to-end and recommender tests."""
from __future__ import annotations

import sqlite3

GENDER_OK = {"men": {"men", "unisex"}, "women": {"women", "unisex"}, "unisex": {"unisex"},
             "boys": {"boys", "kids"}, "girls": {"girls", "kids"}, "kids": {"kids", "boys", "girls"}}


def _rows(db: sqlite3.Connection, sql: str, args=()) -> list[dict]:
    db.row_factory = sqlite3.Row
    return [dict(r) for r in db.execute(sql, args)]


def effective_price(variant: dict) -> float:
    return variant["sale_price"] if variant["sale_price"] is not None else variant["price"]


def in_stock(variant: dict) -> bool:
    return variant["availability"] != "out_of_stock" and variant["quantity"] != 0


def category_names(product_type: str) -> set[str]:
    """What a shopper may call a product of this type: each level of its path, and each level's
    shorter endings ("Shoes > Hiking Boots" is also "boots")."""
    levels = [level.strip().lower().split() for level in product_type.split(">")]
    return {" ".join(words[start:]) for words in levels for start in range(len(words))}


def product_problems(product: dict, query: dict) -> list[str]:
    problems = []
    if query.get("category"):
        if query["category"].lower() not in category_names(product["product_type"]):
            problems.append(f"category {product['product_type']} is not {query['category']}")
    if query.get("brand") and product["brand"].lower() not in [b.lower() for b in query["brand"]]:
        problems.append(f"brand {product['brand']} not in {query['brand']}")
    if query.get("gender") and product["gender"] not in GENDER_OK[query["gender"]]:
        problems.append(f"gender {product['gender']} does not fit {query['gender']}")
    if query.get("rating_min") is not None and (product["rating"] or 0) < query["rating_min"]:
        problems.append(f"rating {product['rating']} below {query['rating_min']}")
    return problems


def variant_problems(variant: dict, query: dict, check_size: bool = True) -> list[str]:
    problems = []
    price = query.get("price") or {}
    if price.get("max") is not None and effective_price(variant) > price["max"] + 1e-9:
        problems.append(f"price {effective_price(variant)} above {price['max']}")
    if price.get("min") is not None and effective_price(variant) < price["min"] - 1e-9:
        problems.append(f"price {effective_price(variant)} below {price['min']}")
    if query.get("color") and variant["color"] not in query["color"]:
        problems.append(f"colour {variant['color']} not in {query['color']}")
    if not in_stock(variant):
        problems.append(f"variant {variant['id']} is out of stock")
    size = (query.get("size") or {}).get("value")
    if check_size and size and variant["size"] != size:
        problems.append(f"variant is size {variant['size']}, not {size}")
    return problems


def violations(db: sqlite3.Connection, card: dict, query: dict) -> list[str]:
    """Every way `card` breaks `query`; empty when it satisfies all hard constraints."""
    products = _rows(db, "SELECT * FROM products WHERE group_id = ?", (card["group_id"],))
    if not products:
        return [f"{card['group_id']} is not in the catalog"]
    variants = _rows(db, "SELECT * FROM variants WHERE product_row = ?", (products[0]["row"],))
    shown = next((v for v in variants if v["id"] == card["id"]), None)
    if shown is None:
        return [f"variant {card['id']} does not belong to {card['group_id']}"]
    problems = product_problems(products[0], query) + variant_problems(shown, query)
    if abs(effective_price(shown) - card["price"]) > 0.005:
        problems.append(f"shown price {card['price']} is not the catalog's {effective_price(shown)}")
    size = (query.get("size") or {}).get("value")
    if size and size not in card["sizes_in_stock"]:
        problems.append(f"size {size} missing from sizes_in_stock {card['sizes_in_stock']}")
    for listed in card["sizes_in_stock"]:
        if not any(v["size"] == listed and v["color"] == shown["color"]
                   and not variant_problems(v, query, check_size=False) for v in variants):
            problems.append(f"size {listed} listed as in stock but is not")
    return problems


def matching_group_ids(db: sqlite3.Connection, query: dict) -> set[str]:
    """Brute force: every product with at least one variant satisfying the whole query."""
    matching = set()
    for product in _rows(db, "SELECT * FROM products"):
        if product_problems(product, query):
            continue
        variants = _rows(db, "SELECT * FROM variants WHERE product_row = ?", (product["row"],))
        if any(not variant_problems(v, query) for v in variants):
            matching.add(product["group_id"])
    return matching
