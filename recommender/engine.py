"""Filtered semantic search: the candidates come from the hard constraints, the order from
meaning, and nothing outside the constraints is ever returned.

Planner: the filters give the exact candidate set first. When it is small the candidates
are scored exactly with one matrix product; when it is large FAISS searches with an ID
selector restricted to the candidates. Either way every result passed every filter, and a
page is only short when fewer products match.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recommender.live_catalog import CatalogArrays, LiveCatalog
from recommender.query import GENDER_MATCHES, SearchQuery

EXACT_SEARCH_MAX_CANDIDATES = 20_000
HNSW_EF_SEARCH = 96
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


def _money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    text = f"{amount:.2f}".removesuffix(".00")
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


class Recommender:
    def __init__(self, catalog: LiveCatalog, encoder):
        self.catalog = catalog
        self.encoder = encoder

    @classmethod
    def from_index(cls, index_dir: Path, encoder) -> "Recommender":
        return cls(LiveCatalog(index_dir), encoder)

    # -- filters ---------------------------------------------------------------------
    @staticmethod
    def variant_mask(a: CatalogArrays, q: SearchQuery, ignore_size: bool = False) -> np.ndarray:
        mask = a.in_stock.copy()
        if q.price_min is not None or q.price_max is not None:
            mask &= a.currency == a.currency_codes.get(q.currency, -2)
            if q.price_min is not None:
                mask &= a.price >= q.price_min - 1e-9
            if q.price_max is not None:
                mask &= a.price <= q.price_max + 1e-9
        if q.colors:
            mask &= np.isin(a.color, [a.color_codes.get(c, -2) for c in q.colors])
        if q.size and not ignore_size:
            mask &= a.size == a.size_codes.get(q.size, -2)
            if q.size_system:
                systems = np.array([s in (None, q.size_system) for s in a.size_system], dtype=bool)
                mask &= systems
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

    def candidates(self, a: CatalogArrays, q: SearchQuery) -> tuple[np.ndarray, np.ndarray]:
        """Product rows that satisfy every hard constraint, and the passing-variant mask."""
        vmask = self.variant_mask(a, q)
        has_variant = np.zeros(len(a.group_ids), dtype=bool)
        has_variant[a.variant_product[vmask]] = True
        pmask = has_variant & self.product_mask(a, q)
        if q.exclude_ids:
            pmask &= ~np.isin(np.array(a.group_ids, dtype=object), list(q.exclude_ids))
        return np.flatnonzero(pmask), vmask

    # -- ranking ---------------------------------------------------------------------
    def _query_vector(self, a: CatalogArrays, q: SearchQuery) -> np.ndarray:
        if q.similar_to:
            row = self.product_row(a, q.similar_to)
            if row is not None:
                return np.asarray(a.embeddings[row], dtype="float32")
        from recommender.encoder import encode

        return encode(self.encoder, [q.embedding_text()])[0]

    def _similarities(self, a: CatalogArrays, rows: np.ndarray, vector: np.ndarray, want: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores for the best `want` candidates: exact for few candidates, FAISS for many.

        Filtered approximate search can return fewer ids than asked (padding with -1) when the
        filter is restrictive; then the exact scores are used, so a page is never short.
        """
        if len(rows) > EXACT_SEARCH_MAX_CANDIDATES:
            import faiss

            selector = faiss.IDSelectorBatch(rows.astype("int64"))
            if isinstance(a.faiss_index, faiss.IndexHNSW):
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, want))
            else:
                params = faiss.SearchParameters(sel=selector)
            wanted = min(len(rows), want)
            scores, ids = a.faiss_index.search(vector[None, :], wanted, params=params)
            keep = ids[0] >= 0
            if keep.sum() == wanted:
                return ids[0][keep], scores[0][keep]
        return rows, np.asarray(a.embeddings[rows]) @ vector

    @staticmethod
    def _bonus(a: CatalogArrays, rows: np.ndarray, q: SearchQuery) -> np.ndarray:
        """Soft preferences on top of meaning: ratings, review volume, an exact gender match
        over a merely compatible one (men's before unisex), literal model numbers."""
        rating = np.nan_to_num(a.rating[rows], nan=3.5)
        bonus = 0.04 * (rating - 4.0) + 0.02 * np.log1p(a.review_count[rows]) / math.log(2500)
        if q.gender:
            bonus += 0.08 * (a.gender[rows] == a.gender_codes.get(q.gender, -2))
        tokens = [t for t in q.text.lower().split() if len(t) > 3 and any(ch.isdigit() for ch in t)]
        if tokens:  # model numbers ("990v6", "gt-2000") must match literally
            bonus += 0.1 * np.array([any(t in a.titles_lower[r] for t in tokens) for r in rows])
        return bonus

    def search(self, q: SearchQuery, k: int = 5) -> SearchResult:
        a = self.catalog.arrays()
        rows, vmask = self.candidates(a, q)
        if len(rows) == 0:
            return SearchResult(q, [], 0)
        vector = self._query_vector(a, q)
        similar_row = self.product_row(a, q.similar_to) if q.similar_to else None
        scored_rows, sims = self._similarities(a, rows, vector, want=max(4 * k, 50))
        scores = sims + self._bonus(a, scored_rows, q)
        if similar_row is not None:
            scores[scored_rows == similar_row] = -np.inf
        order = np.argsort(-scores, kind="stable")
        picked = [int(scored_rows[i]) for i in order if np.isfinite(scores[i])][:k]
        return SearchResult(q, [self.card(a, row, vmask, q) for row in picked], int(len(rows)))

    def relaxations(self, q: SearchQuery, k: int = 3) -> list[tuple[str, SearchResult]]:
        """For an empty result: which single constraint, dropped, would give results."""
        present = q.to_contract()
        options = []
        for name in RELAXABLE:
            key = "price" if name == "price" else name
            if key not in present:
                continue
            result = self.search(q.without(name), k)
            if result.products:
                options.append((name, result))
        return options

    # -- presentation ----------------------------------------------------------------
    @staticmethod
    def product_row(a: CatalogArrays, product_or_variant_id: str) -> int | None:
        index = a.variant_index_by_id.get(product_or_variant_id)
        if index is not None:
            return int(a.variant_product[index])
        try:
            return a.group_ids.index(product_or_variant_id)
        except ValueError:
            return None

    def card(self, a: CatalogArrays, row: int, vmask: np.ndarray, q: SearchQuery) -> dict:
        """The public product shape, built from the best variant that satisfies the query."""
        start, end = int(a.variant_start[row]), int(a.variant_start[row + 1])
        passing = [i for i in range(start, end) if vmask[i]]
        best = min(passing, key=lambda i: (a.price[i], i))
        best_variant = a.variant_rows[best]
        colour_ok = self.variant_mask(a, q, ignore_size=True)
        sizes = sorted(
            {a.variant_rows[i]["size"] for i in range(start, end)
             if colour_ok[i] and a.color[i] == a.color[best] and a.variant_rows[i]["size"]},
            key=size_sort_key,
        )
        product = a.product_rows[row]
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
