"""The build's catalog.sqlite as the simulated shoppers see it: what is in stock at what price,
and whether a product can still be reached under a query the assistant echoed.

Everything is read straight from the SQLite tables (index_artefact/tables.py), never through
the product's own code, as benchmarks/card_checks.py does.
"""
from __future__ import annotations

from pathlib import Path

from benchmarks.card_checks import Catalog, card_violations, singular

ONE_SIZE = "ONE SIZE"


def effective_price(variant: dict) -> float:
    """What the shopper pays: the sale price when there is one."""
    return variant["sale_price"] if variant["sale_price"] is not None else variant["price"]


def in_stock(variant: dict) -> bool:
    return variant["availability"] != "out_of_stock" and variant["quantity"] != 0


def category_name(product_type: str) -> str:
    """The leaf of a catalog path as a shopper names it: "Shoes > Running Shoes" -> "running shoes"."""
    return product_type.split(">")[-1].strip().lower()


def constraints_of_query(query: dict) -> dict:
    """A `query` echoed in a product_list (contract/payloads.py, docs/interfaces.md §2 and §6.5)
    as card_violations' constraints (its exclusions as not_color and not_brand), plus `sort`."""
    constraints: dict = {}
    if query.get("category"):
        constraints["category"] = query["category"]
    if query.get("gender"):
        constraints["gender"] = query["gender"]
    if query.get("brand"):
        constraints["brand"] = list(query["brand"])
    if query.get("color"):
        constraints["color"] = [c.lower() for c in query["color"]]
    if (query.get("size") or {}).get("value"):
        constraints["size"] = query["size"]["value"]
    price = query.get("price") or {}
    if price.get("max") is not None:
        constraints["price_max"] = price["max"]
    if price.get("min") is not None:
        constraints["price_min"] = price["min"]
    if query.get("rating_min") is not None:
        constraints["rating_min"] = query["rating_min"]
    exclude = query.get("exclude") or {}  # contract §6.5
    if exclude.get("color"):
        constraints["not_color"] = [c.lower() for c in exclude["color"]]
    if exclude.get("brand"):
        constraints["not_brand"] = list(exclude["brand"])
    if query.get("sort"):
        constraints["sort"] = query["sort"]
    return constraints


class ShopCatalog(Catalog):
    """card_checks.Catalog plus the look-ups the simulator needs: the in-stock variants to draw
    goals from, one variant's offer, and whether a product satisfies a set of constraints."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path = path

    def stocked_variants(self, min_quantity: int) -> list[dict]:
        """Every in-stock variant with at least `min_quantity` units (or untracked stock), with
        its product's attributes, in a stable order (so a seed draws the same goals)."""
        rows = self.db.execute(
            "SELECT v.id AS variant_id, v.color, v.color_name, v.size, v.price, v.sale_price, v.quantity, "
            "v.availability, p.group_id, p.title, p.description, p.material, p.brand, p.gender, p.product_type "
            "FROM variants v JOIN products p ON p.row = v.product_row "
            "WHERE p.removed = 0 AND v.availability != 'out_of_stock' AND (v.quantity IS NULL OR v.quantity >= ?) "
            "ORDER BY v.id", (min_quantity,))
        return [dict(r) for r in rows]

    def categories(self) -> list[str]:
        """Every leaf category a shopper can ask for, in a stable order."""
        rows = self.db.execute("SELECT DISTINCT product_type FROM products WHERE removed = 0 ORDER BY product_type")
        return sorted({category_name(r[0]) for r in rows})

    def colours_by_category(self) -> dict[str, list[str]]:
        """The colour families in stock in each category (for a shopper changing her mind)."""
        rows = self.db.execute(
            "SELECT DISTINCT v.color, p.product_type FROM variants v JOIN products p ON p.row = v.product_row "
            "WHERE p.removed = 0 AND v.availability != 'out_of_stock' AND v.quantity != 0 AND v.color IS NOT NULL")
        return group_by_category((category_name(product_type), colour) for colour, product_type in rows)

    def brands_by_category(self) -> dict[str, list[str]]:
        rows = self.db.execute("SELECT DISTINCT brand, product_type FROM products WHERE removed = 0")
        return group_by_category((category_name(product_type), brand) for brand, product_type in rows)

    def offer(self, variant_id: str) -> dict | None:
        """One variant with its product's group id, or None when no variant has that id."""
        product = self.product(variant_id)
        if product is None:
            return None
        variant = next((v for v in product["variants"] if v["id"] == variant_id), None)
        return variant and {**variant, "group_id": product["group_id"], "effective_price": effective_price(variant)}

    def reachable(self, group_id: str, constraints: dict) -> bool:
        return self.matching_variant(group_id, constraints) is not None

    def matching_variant(self, group_id: str, constraints: dict) -> dict | None:
        """An in-stock variant of the product that satisfies every constraint at once (its
        colour, size and price together), judged by card_violations on that variant alone."""
        product = self.product(group_id)
        for variant in product["variants"] if product else []:
            if not in_stock(variant):
                continue
            card = {"id": variant["id"], "group_id": group_id, "title": product["title"], "color": variant["color"],
                    "price": effective_price(variant), "sizes_in_stock": [variant["size"]] if variant["size"] else []}
            if not card_violations(card, constraints, self):
                return variant
        return None

def group_by_category(pairs) -> dict[str, list[str]]:
    """{category: sorted values} from (category, value) pairs."""
    grouped: dict[str, set] = {}
    for category, value in pairs:
        grouped.setdefault(category, set()).add(value)
    return {category: sorted(values) for category, values in grouped.items()}


def same_category(asked: str, echoed: str) -> bool:
    """The echoed category is the one asked for or narrower within it ("trail running shoes"
    within "running shoes")."""
    asked, echoed = singular(asked), singular(echoed)
    return echoed == asked or echoed.endswith(f" {asked}")
