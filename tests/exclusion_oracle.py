"""An independent check of the `exclude` and `size.values` constraints, straight from the index's
SQLite tables (no recommender code), on top of `tests.catalog_oracle`, which checks the others."""
from __future__ import annotations

import sqlite3

from nlu.normalize import visible_color_families
from tests import catalog_oracle as oracle


def accepted_sizes(query: dict) -> list[str]:
    size = query.get("size") or {}
    return size.get("values") or ([size["value"]] if size.get("value") else [])


def exclusion_problems(product: dict, variant: dict, query: dict) -> list[str]:
    """Every excluded colour, brand, category or material the variant (of the product) has."""
    exclude = query.get("exclude") or {}
    problems = []
    seen = visible_color_families(variant["color_name"], variant["color"], product["title"], product["brand"])
    if seen & set(exclude.get("color", [])):
        problems.append(f"colour {variant['color_name'] or variant['color']} (title {product['title']!r}) is excluded")
    if product["brand"].lower() in [b.lower() for b in exclude.get("brand", [])]:
        problems.append(f"brand {product['brand']} is excluded")
    if any(c.lower() in oracle.category_names(product["product_type"]) for c in exclude.get("category", [])):
        problems.append(f"category {product['product_type']} is excluded")
    if any(m.lower() in product["material"].lower() for m in exclude.get("material", [])):
        problems.append(f"material {product['material']} is excluded")
    return problems


def size_problems(variant: dict, query: dict) -> list[str]:
    sizes = accepted_sizes(query)
    return [f"variant is size {variant['size']}, not one of {sizes}"] if sizes and variant["size"] not in sizes else []


def variant_problems(product: dict, variant: dict, query: dict) -> list[str]:
    """The catalog oracle's variant check, with every accepted size and the exclusions."""
    return (oracle.variant_problems(variant, query, check_size=False) + size_problems(variant, query)
            + exclusion_problems(product, variant, query))


def _product_and_variants(db: sqlite3.Connection, group_id: str) -> tuple[dict | None, list[dict]]:
    products = oracle._rows(db, "SELECT * FROM products WHERE group_id = ?", (group_id,))
    if not products:
        return None, []
    return products[0], oracle._rows(db, "SELECT * FROM variants WHERE product_row = ?", (products[0]["row"],))


def violations(db: sqlite3.Connection, card: dict, query: dict) -> list[str]:
    """Every way `card` breaks `query`, exclusions and extra sizes included."""
    problems = oracle.violations(db, card, {**query, "size": None})  # the accepted sizes are checked here
    product, variants = _product_and_variants(db, card["group_id"])
    shown = next((v for v in variants if v["id"] == card["id"]), None)
    if shown is None:
        return problems
    problems += size_problems(shown, query) + exclusion_problems(product, shown, query)
    sizes = accepted_sizes(query)
    if sizes and not set(sizes) & set(card["sizes_in_stock"]):
        problems.append(f"none of {sizes} in sizes_in_stock {card['sizes_in_stock']}")
    return problems


def matching_group_ids(db: sqlite3.Connection, query: dict) -> set[str]:
    """Brute force: every product with at least one variant satisfying the whole query."""
    candidates = oracle.matching_group_ids(db, {**query, "size": None})
    matching = set()
    for group_id in candidates:
        product, variants = _product_and_variants(db, group_id)
        if any(not variant_problems(product, v, query) for v in variants):
            matching.add(group_id)
    return matching
