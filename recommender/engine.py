"""Filtered semantic search: the candidates come from the hard constraints, the order from
meaning, and nothing outside the constraints is ever returned.

The filters give the exact candidate mask first; `recommender.planner` then finds the
candidates nearest in meaning (exact scoring for few, a bitmap-filtered HNSW search for
many). Either way every result passed every filter, and a page is only short when fewer
products match. Soft preferences (ratings, exact gender, model numbers) reorder the best
`candidate_pool(k)` of them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index_artefact.encoder import encode
from recommender.live_catalog import CatalogArrays, LiveCatalog
from recommender.planner import EXACT_SEARCH_MAX_CANDIDATES, filtered_search, single_threaded_torch
from recommender.query import GENDER_MATCHES, SearchQuery

LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
RELAXABLE = ("size", "color", "price", "brand", "rating_min", "gender", "category")


@dataclass
class SearchResult:
    query: SearchQuery
    products: list[dict]
    total_matching: int


def size_sort_key(size: str):
    """Numeric sizes ascending, then letter sizes from XXS to XXXL, then anything else."""
    if size in LETTER_SIZES:
        return (1, LETTER_SIZES.index(size), size)
    try:
        return (0, float(size.split("x")[0]), size)
    except ValueError:
        return (2, 0, size)


def candidate_pool(k: int) -> int:
    """How many nearest candidates the soft preferences may reorder for a page of k."""
    return max(4 * k, 50)


def _money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    text = f"{amount:.2f}".removesuffix(".00")
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


class Recommender:
    def __init__(self, catalog: LiveCatalog, encoder, exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES):
        self.catalog = catalog
        self.encoder = encoder
        self.exact_max_candidates = exact_max_candidates

    @classmethod
    def from_index(cls, index_dir: Path, encoder,
                   exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES) -> "Recommender":
        return cls(LiveCatalog(index_dir), encoder, exact_max_candidates)

    # -- filters ---------------------------------------------------------------------
    @staticmethod
    def variant_mask(a: CatalogArrays, q: SearchQuery, ignore_size: bool = False,
                     window: slice = slice(None)) -> np.ndarray:
        """Which variants (all, or those in `window`) pass the variant-level constraints."""
        mask = a.in_stock[window].copy()
        if q.price_min is not None or q.price_max is not None:
            mask &= a.currency[window] == a.currency_codes.get(q.currency, -2)
            if q.price_min is not None:
                mask &= a.price[window] >= q.price_min - 1e-9
            if q.price_max is not None:
                mask &= a.price[window] <= q.price_max + 1e-9
        if q.colors:
            mask &= np.isin(a.color[window], [a.color_codes.get(c, -2) for c in q.colors])
        if q.size and not ignore_size:
            mask &= a.size[window] == a.size_codes.get(q.size, -2)
            if q.size_system:
                mask &= np.isin(a.size_system[window], [-1, a.size_system_codes.get(q.size_system, -2)])
        return mask

    @staticmethod
    def product_mask(a: CatalogArrays, q: SearchQuery) -> np.ndarray:
        mask = ~a.removed
        if q.category:
            mask &= np.isin(a.category_path, a.category_codes.get(q.category.lower(), [-2]))
        if q.brands:
            mask &= np.isin(a.brand, [a.brand_codes.get(b.lower(), -2) for b in q.brands])
        if q.gender:
            mask &= np.isin(a.gender, [a.gender_codes.get(g, -2) for g in GENDER_MATCHES.get(q.gender, (q.gender,))])
        if q.rating_min is not None:
            mask &= np.nan_to_num(a.rating, nan=-1.0) >= q.rating_min
        return mask

    def candidate_mask(self, a: CatalogArrays, q: SearchQuery) -> tuple[np.ndarray, np.ndarray]:
        """Which products satisfy every hard constraint, and which variants pass."""
        vmask = self.variant_mask(a, q)
        pmask = np.zeros(a.products, dtype=bool)
        pmask[a.variant_product[vmask]] = True
        pmask &= self.product_mask(a, q)
        excluded = [a.details.product_row(group_id) for group_id in q.exclude_ids]
        pmask[[row for row in excluded if row is not None]] = False
        return pmask, vmask

    def sizes_in_stock(self, q: SearchQuery) -> list[str]:
        """Sizes in stock among the products that satisfy every other constraint, in size order
        (what the dialogue offers when it asks "which size?")."""
        a = self.catalog.arrays()
        pmask, vmask = self.candidate_mask(a, q.without("size"))
        on_offer = vmask & pmask[a.variant_product]
        names = {code: size for size, code in a.size_codes.items()}
        return sorted((names[code] for code in np.unique(a.size[on_offer]) if code >= 0 and names[code] != "ONE SIZE"),
                      key=size_sort_key)

    # -- ranking ---------------------------------------------------------------------
    def _query_vector(self, a: CatalogArrays, q: SearchQuery) -> np.ndarray:
        if q.similar_to:
            row = self.product_row(a, q.similar_to)
            if row is not None:
                return np.asarray(a.vectors[row], dtype="float32")
        single_threaded_torch()  # once per process; the native scorer path would not set it
        return encode(self.encoder, [q.embedding_text()])[0]

    @staticmethod
    def _bonus(a: CatalogArrays, rows: np.ndarray, q: SearchQuery) -> np.ndarray:
        """Soft preferences on top of meaning: ratings, review volume, an exact gender match
        over a merely compatible one (men's before unisex), brands bought before, literal
        model numbers."""
        rating = np.nan_to_num(a.rating[rows], nan=3.5)
        bonus = 0.04 * (rating - 4.0) + 0.02 * np.log1p(a.review_count[rows]) / math.log(2500)
        if q.gender:
            bonus += 0.08 * (a.gender[rows] == a.gender_codes.get(q.gender, -2))
        if q.preferred_brands:  # brands the customer bought before
            bonus += 0.03 * np.isin(a.brand[rows], [a.brand_codes.get(b.lower(), -2) for b in q.preferred_brands])
        tokens = [t for t in q.text.lower().split() if len(t) > 3 and any(ch.isdigit() for ch in t)]
        if tokens:  # model numbers ("990v6", "gt-2000") must match literally
            bonus += 0.1 * np.array([any(t in title for t in tokens) for title in a.details.titles_lower(rows)])
        return bonus

    def search(self, q: SearchQuery, k: int = 5) -> SearchResult:
        a = self.catalog.arrays()
        pmask, vmask = self.candidate_mask(a, q)
        total = int(np.count_nonzero(pmask))
        if total == 0:
            return SearchResult(q, [], 0)
        vector = self._query_vector(a, q)
        similar_row = self.product_row(a, q.similar_to) if q.similar_to else None
        scored_rows, sims = filtered_search(a.faiss_index, a.vectors, pmask, vector, candidate_pool(k),
                                            exact_max_candidates=self.exact_max_candidates)
        scores = sims + self._bonus(a, scored_rows, q)
        if similar_row is not None:
            scores[scored_rows == similar_row] = -np.inf
        order = np.argsort(-scores, kind="stable")
        picked = [int(scored_rows[i]) for i in order if np.isfinite(scores[i])][:k]
        return SearchResult(q, [self.card(a, row, vmask, q) for row in picked], total)

    def relaxations(self, q: SearchQuery, k: int = 3) -> list[tuple[str, SearchResult]]:
        """For an empty result: which single constraint, dropped, would give results."""
        present = q.to_contract()
        options = []
        for name in RELAXABLE:
            if name not in present:
                continue
            result = self.search(q.without(name), k)
            if result.products:
                options.append((name, result))
        return options

    # -- presentation ----------------------------------------------------------------
    @staticmethod
    def product_row(a: CatalogArrays, product_or_variant_id: str) -> int | None:
        index = a.details.variant_index(product_or_variant_id)
        if index is not None:
            return int(a.variant_product[index])
        return a.details.product_row(product_or_variant_id)

    def card(self, a: CatalogArrays, row: int, vmask: np.ndarray, q: SearchQuery) -> dict:
        """The public product shape, built from the best variant that satisfies the query."""
        start, end = int(a.variant_start[row]), int(a.variant_start[row + 1])
        passing = [i for i in range(start, end) if vmask[i]]
        best = min(passing, key=lambda i: (a.price[i], i))
        best_variant = a.details.variant(best)
        colour_ok = self.variant_mask(a, q, ignore_size=True, window=slice(start, end))
        size_names = {code: name for name, code in a.size_codes.items()}
        sizes = sorted(
            {size_names[a.size[i]] for i in range(start, end)
             if colour_ok[i - start] and a.color[i] == a.color[best] and a.size[i] >= 0 and size_names[a.size[i]]},
            key=size_sort_key,
        )
        product = a.details.product(row)
        price = float(a.price[best])
        card = {
            "id": best_variant["id"],
            "group_id": product["group_id"],
            "title": product["title"],
            "brand": product["brand"],
            "price": round(price, 2),
            "currency": best_variant["currency"],
            "color": best_variant["color"],
            "color_name": best_variant["color_name"],
            "sizes_in_stock": sizes,
            "rating": product["rating"],
            "review_count": product["review_count"],
            "image_url": best_variant["image_link"] or product["image_link"],
            "url": best_variant["link"] or product["link"],
        }
        if best_variant["sale_price"] is not None:
            card["compare_at_price"] = round(best_variant["price"], 2)
        card["why"] = self.why(card, q)
        return card

    @staticmethod
    def why(card: dict, q: SearchQuery) -> str:
        facts = []
        if q.price_max is not None and q.price_min is not None:
            facts.append(f"{_money(q.price_min, q.currency)}–{_money(q.price_max, q.currency)}")
        elif q.price_max is not None:
            facts.append(f"under {_money(q.price_max, q.currency)}")
        elif q.price_min is not None:
            facts.append(f"over {_money(q.price_min, q.currency)}")
        if "compare_at_price" in card:
            facts.append(f"on sale from {_money(card['compare_at_price'], card['currency'])}")
        if q.size:
            facts.append(f"in stock in {q.size}")
        if q.colors:
            facts.append(card["color_name"] or card["color"])
        if card["rating"] is not None:
            facts.append(f"{card['rating']:.1f} stars")
        return ", ".join(facts)
