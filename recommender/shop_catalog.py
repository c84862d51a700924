"""The catalog as the dialogue sees it: products, offers and variants by id.

The actions look products up through this facade and never touch the live arrays: each
call reads one snapshot of the live build, so an index swap in between cannot mix two
builds in one answer. Prices and stock are the catalog's, never a client's.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from contract.money import ShopMoney
from index_artefact import layout
from recommender.live_catalog import CatalogArrays, offer

if TYPE_CHECKING:
    from recommender.engine import Recommender


class ShopCatalog:
    def __init__(self, recommender: "Recommender"):
        self._recommender = recommender

    def offer(self, variant_id: str) -> dict | None:
        """Today's price and stock of one variant; None when it is no longer sold."""
        return offer(self._recommender.catalog.arrays(), variant_id)

    def offers(self, variant_ids) -> dict[str, dict | None]:
        arrays = self._recommender.catalog.arrays()
        return {variant_id: offer(arrays, variant_id) for variant_id in variant_ids}

    def variants(self, product_or_variant_id: str) -> list[dict | None]:
        """The offers of every variant of the product that the id names (a group id or any of
        its variant ids), in feed order; empty when no product has that id."""
        arrays = self._recommender.catalog.arrays()
        row = self._recommender.product_row(arrays, product_or_variant_id)
        return [] if row is None else self._variant_offers(arrays, row)

    def product(self, product_or_variant_id: str) -> dict | None:
        """The product's catalog attributes with `variants` (every offer) and `in_stock`
        (the offers in stock); None when no product has that id."""
        arrays = self._recommender.catalog.arrays()
        row = self._recommender.product_row(arrays, product_or_variant_id)
        if row is None:
            return None
        variants = self._variant_offers(arrays, row)
        return {**arrays.product_rows[row], "variants": variants, "in_stock": [v for v in variants if v and v["in_stock"]]}

    def money(self) -> ShopMoney:
        """The shop's currency (the live catalog's) and how its amounts are written."""
        return self._recommender.money(self._recommender.catalog.arrays())

    def largest_categories(self, limit: int) -> list[str]:
        """The `limit` leaf categories with the most products on sale, lower-cased, largest first
        ("Shoes > Running Shoes" counts as "running shoes", and so does "Trail Running Shoes":
        what a shopper who taps "Running shoes" is shown)."""
        arrays = self._recommender.catalog.arrays()
        on_sale = np.bincount(arrays.category_path[~arrays.removed])
        sizes = []
        for leaf in _leaf_categories(arrays.build_dir):
            codes = [code for code in arrays.category_codes.get(leaf, []) if code < len(on_sale)]
            count = int(on_sale[codes].sum()) if codes else 0
            if count:
                sizes.append((-count, leaf))
        return [leaf for _, leaf in sorted(sizes)[:limit]]

    def departments(self) -> list[str]:
        """The top levels of the catalog's category paths, lower-cased, the most products first
        ("Shoes > Running Shoes" is in "shoes")."""
        arrays = self._recommender.catalog.arrays()
        on_sale = np.bincount(arrays.category_path[~arrays.removed])
        counts = []
        for top in {path.split(">")[0].strip().lower() for path in _category_paths(arrays.build_dir)} - {""}:
            codes = [code for code in arrays.category_codes.get(top, []) if code < len(on_sale)]
            count = int(on_sale[codes].sum()) if codes else 0
            if count:
                counts.append((-count, top))
        return [top for _, top in sorted(counts)]

    @staticmethod
    def _variant_offers(arrays: CatalogArrays, row: int) -> list[dict | None]:
        start, end = int(arrays.variant_start[row]), int(arrays.variant_start[row + 1])
        return [offer(arrays, arrays.variant_rows[i]["id"]) for i in range(start, end)]


@lru_cache(maxsize=4)
def _category_paths(build_dir: Path) -> tuple[str, ...]:
    """Every category path in a build's vocabulary, as written there."""
    vocabulary = json.loads((build_dir / layout.VOCABULARY).read_text(encoding="utf-8"))
    return tuple(vocabulary.get("categories", []))


def _leaf_categories(build_dir: Path) -> tuple[str, ...]:
    """The last level of every category path in a build's vocabulary, lower-cased."""
    return tuple(sorted({path.split(">")[-1].strip().lower() for path in _category_paths(build_dir)
                         if path.split(">")[-1].strip()}))
