"""Checking what the assistant shows against the catalog itself, shared by the benchmarks that
play conversations (benchmarks/conversations_heldout.py, benchmarks/shopper_simulator.py).

`card_violations` checks one product card against the constraints a shopper stated, on the
card (its price, colour and sizes in stock) and on the build's catalog.sqlite (category path,
gender, brand, material, description, and the sizes its variants have in stock), read directly
through `Catalog`, never through the product's own code. The constraint keys are the held-out
file's (bot/eval/conversations_heldout.yml): category, gender, brand, not_brand, color,
not_color, size, price_max, price_min, rating_min, mentions_any, not_material.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

GENDERS = {  # the shopper's word -> catalog genders that satisfy it
    "men": {"men", "unisex"}, "women": {"women", "unisex"}, "unisex": {"unisex"},
    "boys": {"boys", "kids"}, "girls": {"girls", "kids"}, "kids": {"kids", "boys", "girls"},
}


def singular(word: str) -> str:
    word = word.lower().strip()
    return word[:-1] if word.endswith("s") else word


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


class Catalog:
    """The build's catalog.sqlite, read directly (never through the product's own code)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self._products: dict[str, dict | None] = {}

    def product(self, group_or_variant_id: str) -> dict | None:
        if group_or_variant_id not in self._products:
            row = self.db.execute(
                "SELECT p.* FROM products p WHERE p.group_id = ? UNION "
                "SELECT p.* FROM products p JOIN variants v ON v.product_row = p.row WHERE v.id = ?",
                (group_or_variant_id, group_or_variant_id)).fetchone()
            product = dict(row) if row else None
            if product:
                product["variants"] = [dict(v) for v in self.db.execute(
                    "SELECT * FROM variants WHERE product_row = ?", (product["row"],))]
            self._products[group_or_variant_id] = product
        return self._products[group_or_variant_id]


def size_ok(size: str, sizes: list[str]) -> bool:
    """In stock in `size`; a bare waist ("34") is met by any "34xNN" jeans size."""
    sizes = [s.upper() for s in sizes]
    return size.upper() in sizes or any(s.startswith(f"{size.upper()}X") for s in sizes)


def card_violations(card: dict, expect: dict, catalog: Catalog) -> list[tuple[str, str]]:
    """(class, what) for each constraint in `expect` that this card breaks."""
    product = catalog.product(card.get("group_id") or card.get("id") or "")
    title = card.get("title", "?")
    if product is None:
        return [("unknown_product", f"{title!r} ({card.get('id')}) is not in the catalog")]
    variant = next((v for v in product["variants"] if v["id"] == card.get("id")), None)
    out: list[tuple[str, str]] = []
    price = card.get("price")
    if "price_max" in expect and (price is None or price > expect["price_max"] + 1e-6):
        out.append(("price_max", f"{title!r} costs {price}, over {expect['price_max']}"))
    if "price_min" in expect and (price is None or price < expect["price_min"] - 1e-6):
        out.append(("price_min", f"{title!r} costs {price}, under {expect['price_min']}"))
    colour = (card.get("color") or (variant or {}).get("color") or "").lower()
    if "color" in expect and colour not in expect["color"]:
        out.append(("color", f"{title!r} is {colour or 'of no colour'}, wanted {'/'.join(expect['color'])}"))
    if "not_color" in expect and colour in expect["not_color"]:
        out.append(("not_color", f"{title!r} is {colour}"))
    brand = (product["brand"] or "").lower()
    if "brand" in expect and brand not in [b.lower() for b in expect["brand"]]:
        out.append(("brand", f"{title!r} is by {product['brand']}"))
    if "not_brand" in expect and brand in [b.lower() for b in expect["not_brand"]]:
        out.append(("not_brand", f"{title!r} is by {product['brand']}"))
    if "category" in expect:
        path = [singular(part) for part in product["product_type"].split(">")]
        wanted = singular(expect["category"])
        if not any(part == wanted or part.endswith(f" {wanted}") for part in path):
            out.append(("category", f"{title!r} is {product['product_type']}"))
    if "gender" in expect and (product["gender"] or "") not in GENDERS[expect["gender"]]:
        out.append(("gender", f"{title!r} is for {product['gender']}"))
    if "size" in expect:
        in_stock = [v["size"] for v in product["variants"] if v["size"] and v["availability"] != "out_of_stock"
                    and v["quantity"] != 0 and (not colour or v["color"] == colour)]
        if not size_ok(expect["size"], card.get("sizes_in_stock") or []) or not size_ok(expect["size"], in_stock):
            out.append(("size", f"{title!r} is not in stock in {expect['size']}"))
    if "rating_min" in expect and (product["rating"] is None or product["rating"] < expect["rating_min"]):
        out.append(("rating_min", f"{title!r} is rated {product['rating']}"))
    if "mentions_any" in expect:
        words = f"{product['title']} {product['description']} {product['material']}".lower()
        if not any(word.lower() in words for word in expect["mentions_any"]):
            out.append(("mentions_any", f"{title!r} says nothing of {'/'.join(expect['mentions_any'])}"))
    if "not_material" in expect and any(m.lower() in (product["material"] or "").lower()
                                        for m in expect["not_material"]):
        out.append(("not_material", f"{title!r} is {product['material']}"))
    return out
