"""Exclusions, sorts, wishes and extra sizes on the real demo index, checked against its SQLite
tables (`tests.recommender.exclusion_oracle`), and how far out-of-catalog requests are from
every category the demo shop sells."""
from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from recommender.engine import WISH_POOL
from recommender.query import SearchQuery
from tests import catalog_oracle as oracle
from tests.exclusion_oracle import matching_group_ids, variant_problems, violations

PAGE = 10


def next_page(recommender, query: SearchQuery, shown: list[dict], k: int = PAGE):
    """What "show more" asks for: the same query without the products already shown."""
    return recommender.search(replace(query, exclude_ids=frozenset(c["group_id"] for c in shown)), k)


EXCLUSIONS = [
    ("boots", {"exclude": {"color": ["black", "brown"]}}),
    ("leather boots", {"category": "boots", "exclude": {"material": ["leather"]}}),
    ("running shoes", {"exclude": {"brand": ["Stridewell", "velo run"]}}),
    ("a warm jacket", {"exclude": {"category": ["down jackets"]}}),
    ("shoes", {"exclude": {"category": ["shoes"]}}),
    ("hiking boots", {"category": "hiking boots", "exclude": {"material": ["LEATHER", "suede"], "color": ["black"]}}),
    ("wool socks", {"exclude": {"brand": ["Woolhaven"], "material": ["merino"]}}),
    ("t-shirt", {"size": {"value": "M", "system": None}, "price": {"min": None, "max": 40, "currency": "USD"},
                 "exclude": {"color": ["white", "black", "grey"]}}),
    ("sneakers", {"gender": "women", "exclude": {"color": ["white"], "brand": ["Canvas Lane"]}, "sort": "price_asc"}),
    ("rain jacket", {"exclude": {"color": ["black", "blue", "green"]}, "sort": "rating_desc"}),
    ("sunglasses", {"exclude": {"material": ["acetate"]}, "sort": "popularity_desc"}),
    ("summer dress", {"exclude": {"category": ["clothing"]}}),
    ("running shoes size 9 or 9.5", {"category": "running shoes", "size": {"value": "9", "system": None,
                                                                          "values": ["9", "9.5"]},
                                     "exclude": {"color": ["black", "white"], "material": ["mesh"]}}),
    ("backpack for travel", {"exclude": {"brand": ["Atlas Pack", "Canvas Lane"], "material": ["nylon"]}}),
]


@pytest.mark.parametrize("text, contract", EXCLUSIONS, ids=[text for text, _ in EXCLUSIONS])
def test_exclusions_are_never_broken(demo_recommender, demo_db, text, contract):
    query = SearchQuery.from_constraints(contract, text)
    first = demo_recommender.search(query, PAGE)
    second = next_page(demo_recommender, query, first.products)
    echoed = first.query.to_contract()
    assert echoed == contract
    for card in first.products + second.products:
        assert violations(demo_db, card, echoed) == [], card
    matching = matching_group_ids(demo_db, echoed)
    assert first.total_matching == len(matching) and len(first.products) == min(PAGE, len(matching))
    assert len(second.products) == min(PAGE, len(matching) - len(first.products))
    assert demo_recommender.search(query.without("exclude"), 1).total_matching > len(matching), "the exclusion bites"


def sort_key(sort: str, price: float, rating: float | None, review_count: int):
    """What a sort orders by, smallest first (what the shopper sees, rounded to cents)."""
    return {"price_asc": (round(price, 2),), "price_desc": (-round(price, 2),),
            "rating_desc": (-(rating if rating is not None else -math.inf), -review_count),
            "popularity_desc": (-review_count,)}[sort]


def catalog_sort_keys(db, query: dict, sort: str) -> list[tuple]:
    """The sort key of every product matching `query`, from the tables: the price is that of
    its cheapest variant that passes."""
    keys = []
    for group_id in matching_group_ids(db, query):
        product = oracle._rows(db, "SELECT * FROM products WHERE group_id = ?", (group_id,))[0]
        variants = oracle._rows(db, "SELECT * FROM variants WHERE product_row = ?", (product["row"],))
        price = min(oracle.effective_price(v) for v in variants if not variant_problems(product, v, query))
        keys.append(sort_key(sort, price, product["rating"], product["review_count"] or 0))
    return sorted(keys)


SORTED = [
    ("running shoes", {"category": "running shoes"}),
    ("something warm for winter", {"size": {"value": "M", "system": None}, "exclude": {"color": ["black"]}}),
    ("sneakers", {"gender": "women", "price": {"min": 50, "max": 120, "currency": "USD"}}),
    ("anything", {}),
]


@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "rating_desc", "popularity_desc"])
@pytest.mark.parametrize("text, contract", SORTED, ids=[text for text, _ in SORTED])
def test_a_sort_orders_every_matching_product_and_show_more_continues_it(demo_recommender, demo_db, sort, text,
                                                                         contract):
    query = SearchQuery.from_constraints({**contract, "sort": sort}, text)
    first = demo_recommender.search(query, PAGE)
    second = next_page(demo_recommender, query, first.products)
    shown = first.products + second.products
    assert len({c["group_id"] for c in shown}) == len(shown) == 2 * PAGE
    expected = catalog_sort_keys(demo_db, first.query.to_contract(), sort)
    assert [sort_key(sort, c["price"], c["rating"], c["review_count"]) for c in shown] == expected[:len(shown)]


def test_newest_orders_by_relevance_since_the_catalog_has_no_date(demo_recommender):
    query = SearchQuery(text="rain jacket", exclude_colors=("black",))
    ids = [c["group_id"] for c in demo_recommender.search(query, PAGE).products]
    assert [c["group_id"] for c in demo_recommender.search(replace(query, sort="newest"), PAGE).products] == ids


WISHES = [  # the independent check of a mention ignores "not waterproof" and "not fully waterproof"
    ("hiking boots", {"category": "hiking boots"}, "waterproof", r"(?<!not )(?<!not fully )\bwaterproof"),
    ("trail running shoes", {"category": "trail running shoes"}, "waterproof", r"(?<!not )(?<!not fully )\bwaterproof"),
    ("boots for the city", {"category": "boots"}, "waterproof", r"(?<!not )(?<!not fully )\bwaterproof"),
    ("a jacket", {"category": "jackets"}, "waterproof", r"(?<!not )(?<!not fully )\bwaterproof"),
    ("sunglasses", {"category": "sunglasses"}, "polarized", r"\bpolari[sz]ed"),
]


def mentions(db, group_id: str, mention: str) -> bool:
    [(title, description, material)] = db.execute(
        "SELECT title, description, material FROM products WHERE group_id = ?", (group_id,))
    return bool(re.search(mention, f"{title}\n{description}\n{material}", re.IGNORECASE))


@pytest.mark.parametrize("text, contract, wish, mention", WISHES, ids=[w[0] for w in WISHES])
def test_a_wish_narrows_the_search_to_the_products_that_mention_it(demo_recommender, demo_db, text, contract,
                                                                  wish, mention):
    plain = demo_recommender.search(SearchQuery.from_constraints(contract, text), PAGE)
    query = SearchQuery.from_constraints(contract, text, wishes=[wish])
    wished = demo_recommender.search(query, PAGE)
    matching = matching_group_ids(demo_db, contract)
    mentioning = {group_id for group_id in matching if mentions(demo_db, group_id, mention)}
    assert 0 < len(mentioning) < len(matching) == plain.total_matching <= WISH_POOL
    assert wished.total_matching == len(mentioning) and wished.wishes_met == (wish,)
    pages = [wished, next_page(demo_recommender, query, wished.products)]
    shown = [card["group_id"] for page in pages for card in page.products]
    assert set(shown) <= mentioning and len(shown) == min(2 * PAGE, len(mentioning))


def test_a_wish_nothing_mentions_only_joins_the_words_embedded(demo_recommender):
    wished = demo_recommender.search(SearchQuery(text="sneakers", wishes=("vegan",)), PAGE)
    said = demo_recommender.search(SearchQuery(text="sneakers vegan"), PAGE)
    assert [c["group_id"] for c in wished.products] == [c["group_id"] for c in said.products]


def test_any_of_the_accepted_sizes_passes(demo_recommender, demo_db):
    contract = {"category": "running shoes", "gender": "men", "size": {"value": "9", "system": None,
                                                                      "values": ["9", "9.5"]}}
    result = demo_recommender.search(SearchQuery.from_constraints(contract, "running shoes"), 40)
    for card in result.products:
        assert violations(demo_db, card, contract) == [], card
    shown_sizes = {demo_db.execute("SELECT size FROM variants WHERE id = ?", (c["id"],)).fetchone()[0]
                   for c in result.products}
    assert shown_sizes == {"9", "9.5"}
    single = [oracle.matching_group_ids(demo_db, {**contract, "size": {"value": size}}) for size in ("9", "9.5")]
    assert result.total_matching == len(single[0] | single[1]) > max(map(len, single))


IN_CATALOG = ["hiking boots", "rain jacket", "sneakers"]
OUT_OF_CATALOG = ["laptops", "tennis rackets"]


def test_out_of_catalog_requests_are_far_from_every_category(demo_recommender):
    best = {text: demo_recommender.nearest_categories(text)[0] for text in IN_CATALOG + OUT_OF_CATALOG}
    assert [best[text][0] for text in IN_CATALOG] == ["hiking boots", "rain jackets", "sneakers"]
    assert max(best[text][1] for text in OUT_OF_CATALOG) + 0.2 < min(best[text][1] for text in IN_CATALOG), best


def test_a_purpose_ranks_but_never_narrows(demo_recommender):
    contract = {"category": "boots", "gender": "women"}
    plain = demo_recommender.search(SearchQuery.from_constraints(contract, "boots"), PAGE)
    purpose = demo_recommender.search(SearchQuery.from_constraints(contract, "boots", wishes=["for hiking"]), PAGE)
    assert purpose.total_matching == plain.total_matching and purpose.wishes_met == purpose.wishes_unmet == ()


def test_a_wish_no_allowed_product_meets_is_said_unmet_and_narrows_nothing(demo_recommender, demo_db):
    """Every men's trail running shoe in 10.5 says "Not waterproof" (the feed), so none is narrowed
    to, and the reply can say so; a word no product holds is not said unmet."""
    contract = {"category": "trail running shoes", "gender": "men", "size": {"value": "10.5", "system": None}}
    query = SearchQuery.from_constraints(contract, "trail runners", wishes=["waterproof", "zebra print"])
    result = demo_recommender.search(query, PAGE)
    assert result.total_matching == len(matching_group_ids(demo_db, contract)) > 0
    assert result.wishes_met == () and result.wishes_unmet == ("waterproof",)


@pytest.mark.parametrize("words, named", [("rain jacket", True), ("hiking boots", True), ("laptops", False),
                                          ("purse", False), ("suit", False)])
def test_products_are_named_by_their_titles_not_their_descriptions(demo_recommender, words, named):
    """The demo's backpack descriptions speak of laptop sleeves and its jackets of suits: that
    sells neither a laptop nor a suit."""
    assert demo_recommender.names_products(words) is named
