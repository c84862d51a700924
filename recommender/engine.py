"""Filtered semantic search: the candidates come from the hard constraints (exclusions
included), the order from meaning or from the sort asked for, and nothing outside the
constraints is ever returned.

The filters give the exact candidate mask first; `recommender.planner` then finds the
candidates nearest in meaning (exact scoring for few, a bitmap-filtered HNSW search for
many). Either way every result passed every filter, and a page is only short when fewer
products match. Soft preferences (ratings, exact gender, model numbers) reorder the best
`candidate_pool(k)` of them. A wish ("waterproof", "polarized") narrows the search to the
products that mention it (`recommender.wishes`) among the nearest WISH_POOL, when any does: a
shopper who asks for waterproof boots is not shown boots that don't say so; a wish nothing
mentions never empties the page.

A sort ("cheapest first") orders every product that passes the filters by its key; only the
products tied with the k-th are scored, and relevance breaks the ties.

Relevance is meaning fused with the shopper's words (`recommender.lexical`: SQLite FTS5 BM25
over the build's product text): the candidates are the nearest in meaning and the best
lexical matches among the products the filters allow, so a title that says exactly what was
asked for is found even when its vector is not among the nearest.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from contract.money import ShopMoney
from index_artefact import layout
from index_artefact.encoder import encode
from recommender.lexical import LEXICAL_WEIGHT, NO_MATCH, LexicalIndex, LexicalScores, fuse
from recommender.live_catalog import CatalogArrays, LiveCatalog
from recommender.planner import EXACT_SEARCH_MAX_CANDIDATES, exact_search, filtered_search, single_threaded_torch
from recommender.query import GENDER_MATCHES, SearchQuery
from recommender.wishes import mention_matrix

LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"]
RELAXABLE = ("size", "color", "price", "brand", "rating_min", "gender", "category")


@dataclass
class SearchResult:
    query: SearchQuery
    products: list[dict]
    total_matching: int
    wishes_met: tuple[str, ...] = ()  # the wishes the search narrowed to that the products shown mention
    # the wishes the catalog speaks of that no product shown mentions: said honestly ("None of them ...")
    wishes_unmet: tuple[str, ...] = ()


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


# How many nearest candidates a wish narrows from: products that mention a
# wish often sit well below the first 50 (the demo's "Not waterproof" boots embed close to
# "waterproof" too), and reading and matching 500 products' texts takes about 3 ms.
WISH_POOL = 500


def brand_codes(a: CatalogArrays, brands) -> list[int]:
    return [a.brand_codes.get(b.lower(), -2) for b in brands]


def category_codes(a: CatalogArrays, categories) -> list[int]:
    """The codes of every category path with any of `categories` as one of its levels."""
    return [code for c in categories for code in a.category_codes.get(c.lower(), [-2])]


def color_codes(a: CatalogArrays, colors) -> list[int]:
    return [a.color_codes.get(c, -2) for c in colors]


def material_codes(a: CatalogArrays, words) -> list[int]:
    """The codes of every material that contains any of `words` ("leather": "full-grain leather")."""
    words = [w.lower() for w in words if w.strip()]
    return [code for material, code in a.material_codes.items() if any(w in material for w in words)]


def cheapest_passing_price(a: CatalogArrays, pmask: np.ndarray, vmask: np.ndarray) -> np.ndarray:
    """For each product in `pmask`, in row order, the price of its cheapest variant in `vmask`:
    the price its card shows."""
    prices = np.where(vmask & pmask[a.variant_product], a.price, np.inf)
    # variants are grouped by product row, so each segment holds one allowed product's
    # variants and those of the products after it that are not allowed (all infinite)
    return np.minimum.reduceat(prices, a.variant_start[np.flatnonzero(pmask)])


def sort_keys(a: CatalogArrays, pmask: np.ndarray, vmask: np.ndarray, sort: str | None) -> list[np.ndarray]:
    """The keys a sort orders the products in `pmask` by (row order), most significant first,
    smallest first; none for relevance and for "newest" (the catalog has no date to sort by)."""
    if sort in ("price_asc", "price_desc"):
        price = cheapest_passing_price(a, pmask, vmask)
        return [price if sort == "price_asc" else -price]
    rows = np.flatnonzero(pmask)
    if sort == "rating_desc":  # unrated last, then more reviews first
        return [-np.nan_to_num(a.rating[rows], nan=-np.inf), -a.review_count[rows]]
    if sort == "popularity_desc":
        return [-a.review_count[rows]]
    return []


def first_by_keys(keys: list[np.ndarray], k: int) -> np.ndarray:
    """Positions of the first k by `keys` (smallest first, most significant first) and of every
    other one tied with the k-th: those whose order relevance still has to decide."""
    positions = np.arange(len(keys[0]))
    if len(positions) > k:  # only those up to the k-th primary key can make the page
        positions = np.flatnonzero(keys[0] <= np.partition(keys[0], k - 1)[k - 1])
    order = positions[np.lexsort([key[positions] for key in reversed(keys)])]
    kth = order[min(k, len(order)) - 1]
    tied = np.logical_and.reduce([key[order[k:]] == key[kth] for key in keys])
    return np.concatenate([order[:k], order[k:][tied]])


class Recommender:
    def __init__(self, catalog: LiveCatalog, encoder, exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES,
                 locale: str | None = None, lexical_weight: float = LEXICAL_WEIGHT):
        self.catalog = catalog
        self.encoder = encoder
        self.exact_max_candidates = exact_max_candidates
        self.locale = locale  # how the cards write prices (OMNISHOP_LOCALE); None: the catalog currency's default
        # the category names of one catalog build and their vectors, keyed by build and stamp
        self._category_cache: tuple[tuple, tuple[str, ...], np.ndarray] | None = None
        self.lexical_weight = lexical_weight  # of BM25 in relevance (`lexical.fuse`); 0: meaning alone
        self._lexical_index: tuple[Path, LexicalIndex] | None = None  # the live build's full-text index

    @classmethod
    def from_index(cls, index_dir: Path, encoder, exact_max_candidates: int = EXACT_SEARCH_MAX_CANDIDATES,
                   locale: str | None = None, lexical_weight: float = LEXICAL_WEIGHT) -> "Recommender":
        return cls(LiveCatalog(index_dir), encoder, exact_max_candidates, locale, lexical_weight)

    def money(self, a: CatalogArrays) -> ShopMoney:
        """How this build's shop writes amounts: its catalog's currency, in the configured locale."""
        return ShopMoney.of(layout.shop_currency(a.build_dir), self.locale)

    # -- filters ---------------------------------------------------------------------
    @staticmethod
    def variant_mask(a: CatalogArrays, q: SearchQuery, ignore_size: bool = False,
                     window: slice = slice(None)) -> np.ndarray:
        """Which variants (all, or those in `window`) pass the variant-level constraints."""
        mask = a.in_stock[window].copy()
        if q.price_min is not None or q.price_max is not None:
            # a budget is compared with prices in the shop's currency only, never converted: one
            # in another currency matches nothing (the dialogue asks for it in the shop's first)
            shop = layout.shop_currency(a.build_dir)
            mask &= a.currency[window] == (a.currency_codes.get(shop, -2) if q.currency == shop else -2)
            if q.price_min is not None:
                mask &= a.price[window] >= q.price_min - 1e-9
            if q.price_max is not None:
                mask &= a.price[window] <= q.price_max + 1e-9
        if q.colors:
            mask &= np.isin(a.color[window], color_codes(a, q.colors))
        if q.exclude_colors:
            mask &= ~np.isin(a.color[window], color_codes(a, q.exclude_colors))
            mask &= ~a.shows_any_color(q.exclude_colors, window)  # "black brown" is not "not black"
        if q.sizes and not ignore_size:
            mask &= np.isin(a.size[window], [a.size_codes.get(size, -2) for size in q.sizes])
            if q.size_system:
                mask &= np.isin(a.size_system[window], [-1, a.size_system_codes.get(q.size_system, -2)])
        return mask

    @staticmethod
    def product_mask(a: CatalogArrays, q: SearchQuery) -> np.ndarray:
        mask = ~a.removed
        if q.category:
            mask &= np.isin(a.category_path, category_codes(a, [q.category]))
        if q.exclude_categories:
            mask &= ~np.isin(a.category_path, category_codes(a, q.exclude_categories))
        if q.brands:
            mask &= np.isin(a.brand, brand_codes(a, q.brands))
        if q.exclude_brands:
            mask &= ~np.isin(a.brand, brand_codes(a, q.exclude_brands))
        if q.exclude_materials:
            mask &= ~np.isin(a.material, material_codes(a, q.exclude_materials))
        if q.gender:
            mask &= np.isin(a.gender, [a.gender_codes.get(g, -2) for g in GENDER_MATCHES.get(q.gender, (q.gender,))])
        if q.rating_min is not None:
            mask &= np.nan_to_num(a.rating, nan=-1.0) >= q.rating_min
        return mask

    def candidate_mask(self, a: CatalogArrays, q: SearchQuery, drop_shown: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Which products satisfy every hard constraint (and, unless `drop_shown` is false, were
        not shown already), and which variants pass."""
        vmask = self.variant_mask(a, q)
        pmask = np.zeros(a.products, dtype=bool)
        pmask[a.variant_product[vmask]] = True
        pmask &= self.product_mask(a, q)
        if drop_shown:
            pmask[self.shown_rows(a, q)] = False
        return pmask, vmask

    @staticmethod
    def shown_rows(a: CatalogArrays, q: SearchQuery) -> list[int]:
        """The rows of the products already shown ("show more" leaves them out)."""
        rows = [a.details.product_row(group_id) for group_id in q.exclude_ids]
        return [row for row in rows if row is not None]

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
            bonus += 0.03 * np.isin(a.brand[rows], brand_codes(a, q.preferred_brands))
        tokens = [t for t in q.text.lower().split() if len(t) > 3 and any(ch.isdigit() for ch in t)]
        if tokens:  # model numbers ("990v6", "gt-2000") must match literally
            bonus += 0.1 * np.array([any(t in title for t in tokens) for title in a.details.titles_lower(rows)])
        return bonus

    def _wished(self, a: CatalogArrays, allowed: np.ndarray, vector: np.ndarray, q: SearchQuery) -> np.ndarray | None:
        """What a search with wishes narrows to: among the WISH_POOL allowed products nearest in
        meaning, those that mention the most of the shopper's wishes ("something waterproof"
        shows the waterproof ones); of those, the ones whose wishes are the rarest there (for
        "waterproof for hiking" among boots where none says both, the few waterproof ones rather
        than the many that say hiking). None when none of them mentions any: the wishes then
        only join the words embedded. `allowed` holds the products already shown too, so every
        page of one search narrows to the same products."""
        rows, _ = filtered_search(a.faiss_index, a.vectors, allowed, vector, WISH_POOL,
                                  exact_max_candidates=self.exact_max_candidates)
        said = mention_matrix(a.details.descriptive_texts(rows), q.narrowing_wishes)
        counts = said.sum(axis=1)
        if not len(rows) or counts.max() == 0:
            return None
        rarity = said @ -np.log(np.maximum(said.mean(axis=0), 1 / len(rows)))
        best = (counts == counts.max()) & np.isclose(rarity, rarity[counts == counts.max()].max())
        wished = np.zeros_like(allowed)
        wished[rows[best]] = True
        return wished

    def _lexical(self, a: CatalogArrays, q: SearchQuery) -> LexicalScores:
        """BM25 of the products the query's words match (`recommender.lexical`); none for "more
        like this" (ranked by the product's own vector), with lexical ranking off and for a build
        without the table."""
        if q.similar_to or self.lexical_weight <= 0:
            return NO_MATCH
        return self._lexical_of(a).scores(q.embedding_text(), a.stamp)

    def _lexical_of(self, a: CatalogArrays) -> LexicalIndex:
        cached = self._lexical_index
        if cached is None or cached[0] != a.build_dir:
            cached = self._lexical_index = (a.build_dir, LexicalIndex(a.build_dir / layout.CATALOG_DB))
        return cached[1]

    @staticmethod
    def _add_lexical_candidates(a: CatalogArrays, pmask: np.ndarray, vector: np.ndarray, rows: np.ndarray,
                                sims: np.ndarray, lexical: LexicalScores, pool: int) -> tuple[np.ndarray, np.ndarray]:
        """The nearest in meaning plus the `pool` best lexical matches the filters allow (scored
        exactly for meaning too)."""
        extra = lexical.best(pmask, pool)
        extra = extra[~np.isin(extra, rows)]
        if not len(extra):
            return rows, sims
        extra_rows, extra_sims = exact_search(a.vectors, extra, vector, len(extra))
        return np.concatenate([rows, extra_rows]), np.concatenate([sims, extra_sims])

    def search(self, q: SearchQuery, k: int = 5) -> SearchResult:
        """A page of k products that pass every hard constraint, narrowed to those that mention
        the shopper's wishes when any do (`_wished`): in the order `q.sort` asks for, relevance
        breaking its ties, or else by relevance. Relevance is meaning fused with the shopper's
        words (`recommender.lexical.fuse`) plus the soft preferences (`_bonus`). The total counts
        the products shown before too."""
        a = self.catalog.arrays()
        pmask, vmask = self.candidate_mask(a, q, drop_shown=False)
        if not pmask.any():
            return SearchResult(q, [], 0)
        vector = self._query_vector(a, q)
        wished = self._wished(a, pmask, vector, q) if q.narrowing_wishes else None
        if wished is not None:
            pmask = wished
        total = int(np.count_nonzero(pmask))
        pmask[self.shown_rows(a, q)] = False
        similar_row = self.product_row(a, q.similar_to) if q.similar_to else None
        if similar_row is not None:
            pmask[similar_row] = False  # "more like this one" never shows that one
        if not pmask.any():
            return SearchResult(q, [], total)
        lexical = self._lexical(a, q)
        keys = sort_keys(a, pmask, vmask, q.sort)
        if keys:
            allowed = np.flatnonzero(pmask)
            finalists = first_by_keys(keys, k)
            scored_rows, sims = exact_search(a.vectors, allowed[finalists], vector, len(finalists))
            keys = [key[np.searchsorted(allowed, scored_rows)] for key in keys]
        else:
            scored_rows, sims = filtered_search(a.faiss_index, a.vectors, pmask, vector, candidate_pool(k),
                                                exact_max_candidates=self.exact_max_candidates)
            if len(lexical.rows):
                scored_rows, sims = self._add_lexical_candidates(a, pmask, vector, scored_rows, sims, lexical,
                                                                 candidate_pool(k))
        scores = fuse(sims, lexical.of(scored_rows), self.lexical_weight) + self._bonus(a, scored_rows, q)
        order = np.lexsort([-scores, *reversed(keys)])  # the last key is the most significant
        shown = scored_rows[order[:k]]
        met = self._wishes_met(a, shown, q) if wished is not None else ()
        unmet = tuple(wish for wish in q.narrowing_wishes if wish not in met and self._lexical_of(a).says(wish))
        return SearchResult(q, [self.card(a, int(row), vmask, q) for row in shown], total, met, unmet)

    @staticmethod
    def _wishes_met(a: CatalogArrays, rows: np.ndarray, q: SearchQuery) -> tuple[str, ...]:
        """The wishes every product shown mentions: what the reply can honestly say it narrowed to."""
        said = mention_matrix(a.details.descriptive_texts(rows), q.narrowing_wishes)
        return tuple(wish for wish, every in zip(q.narrowing_wishes, said.all(axis=0)) if every)

    def names_products(self, words: str) -> bool:
        """Whether some product's title or category holds all of `words` ("wall clock" in a
        shop whose clocks sit under "Home Decor"): the catalog carries what they name."""
        return self._lexical_of(self.catalog.arrays()).says(words, ("title", "category"))

    def nearest_categories(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The catalog's own categories (every level of the category paths on sale, lower-cased:
        "shoes", "running shoes") nearest in meaning to `text`, best first, with their cosine
        similarity: how close a request ("laptops") comes to anything the shop sells."""
        names, vectors = self._category_names_and_vectors(self.catalog.arrays())
        single_threaded_torch()
        similarity = vectors @ encode(self.encoder, [text])[0]
        return [(names[i], float(similarity[i])) for i in np.argsort(-similarity, kind="stable")[:k]]

    def _category_names_and_vectors(self, a: CatalogArrays) -> tuple[tuple[str, ...], np.ndarray]:
        """The category names on sale and their vectors, embedded once per build (again after an
        update only when it changed which categories are on sale)."""
        cached = self._category_cache
        if cached is not None and cached[0] == (a.build_dir, a.stamp):
            return cached[1], cached[2]
        on_sale = set(np.unique(a.category_path[~a.removed]).tolist())
        names = tuple(sorted(name for name, codes in a.category_codes.items() if on_sale.intersection(codes)))
        if cached is not None and cached[1] == names:
            vectors = cached[2]
        else:
            single_threaded_torch()
            vectors = encode(self.encoder, list(names))
        self._category_cache = ((a.build_dir, a.stamp), names, vectors)
        return names, vectors

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
        money = self.money(a)
        card = {
            "id": best_variant["id"],
            "group_id": product["group_id"],
            "title": product["title"],
            "brand": product["brand"],
            "price": round(price, 2),
            "currency": best_variant["currency"],
            "price_text": money.price(price, best_variant["currency"]),
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
            card["compare_at_price_text"] = money.price(best_variant["price"], best_variant["currency"])
        card["why"] = self.why(card, q, money)
        return card

    @staticmethod
    def why(card: dict, q: SearchQuery, money: ShopMoney | None = None) -> str:
        money = money or ShopMoney.of(card["currency"])
        facts = []
        if q.price_max is not None and q.price_min is not None:
            facts.append(f"{money.amount(q.price_min, q.currency)}–{money.amount(q.price_max, q.currency)}")
        elif q.price_max is not None:
            facts.append(f"under {money.amount(q.price_max, q.currency)}")
        elif q.price_min is not None:
            facts.append(f"over {money.amount(q.price_min, q.currency)}")
        if "compare_at_price" in card:
            facts.append(f"on sale from {money.amount(card['compare_at_price'], card['currency'])}")
        if q.size:
            facts.append(f"in stock in {' and '.join(s for s in q.sizes if s in card['sizes_in_stock'])}")
        if q.colors:
            facts.append(card["color_name"] or card["color"])
        if card["rating"] is not None:
            facts.append(f"{card['rating']:.1f} stars")
        return ", ".join(facts)
