"""SearchQuery reads the public constraint shape and echoes back exactly what it applied:
exclusions, a sort and extra sizes only when given, so echoes without them stay as before."""
from __future__ import annotations

import pytest

from recommender.query import SearchQuery

EMPTY = dict.fromkeys(("category", "brand", "color", "gender", "size", "price", "rating_min"))

CONTRACTS = [
    {},
    {"category": "running shoes", "brand": ["Stridewell"], "color": ["black"], "gender": "men",
     "size": {"value": "10.5", "system": "US"}, "price": {"min": None, "max": 100, "currency": "USD"},
     "rating_min": 4},
    {"size": {"value": "9", "system": None, "values": ["9", "9.5"]}},
    {"exclude": {"color": ["red", "pink"]}},
    {"category": "jackets", "exclude": {"brand": ["Northpeak"], "category": ["down jackets"], "material": ["leather"]}},
    {"exclude": {"color": ["white"], "brand": ["Velo Run"], "category": ["sandals"], "material": ["suede"]},
     "sort": "price_asc"},
    {"brand": ["Tickwood"], "sort": "rating_desc"},
]


@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_echo_round_trips_through_from_constraints(contract):
    query = SearchQuery.from_constraints({**EMPTY, **contract}, "something", wishes=["waterproof"])
    assert query.to_contract() == contract
    assert SearchQuery.from_constraints(query.to_contract(), "something", wishes=["waterproof"]) == query


def test_unset_fields_leave_the_echo_as_it_was():
    query = SearchQuery(category="boots", size="10", size_system="US", rating_min=4.5)
    assert query.to_contract() == {"category": "boots", "size": {"value": "10", "system": "US"}, "rating_min": 4.5}
    assert SearchQuery.from_constraints({**EMPTY, "exclude": None, "sort": None}) == SearchQuery()


def test_size_values_give_the_size_and_the_sizes_also_accepted():
    query = SearchQuery.from_constraints({"size": {"value": "9", "system": "US", "values": ["9", "9.5", "10"]}})
    assert (query.size, query.more_sizes, query.sizes) == ("9", ("9.5", "10"), ("9", "9.5", "10"))
    assert SearchQuery(size="M").sizes == ("M",) and SearchQuery().sizes == ()


@pytest.mark.parametrize("name, cleared", [
    ("exclude", {"exclude_colors": (), "exclude_brands": (), "exclude_categories": (), "exclude_materials": ()}),
    ("sort", {"sort": None}),
    ("size", {"size": None, "size_system": None, "more_sizes": ()}),
    ("brand", {"brands": ()}),
])
def test_without_drops_one_constraint_and_keeps_the_rest(name, cleared):
    query = SearchQuery.from_constraints(
        {"brand": ["Northpeak"], "size": {"value": "9", "system": "US", "values": ["9", "9.5"]}, "sort": "price_desc",
         "exclude": {"color": ["red"], "brand": ["Otterbay"], "category": ["boots"], "material": ["suede"]}},
        "boots", wishes=["warm"])
    relaxed = query.without(name)
    assert name not in relaxed.to_contract()
    assert {field: getattr(relaxed, field) for field in cleared} == cleared
    assert relaxed.to_contract() == {k: v for k, v in query.to_contract().items() if k != name}
    assert relaxed.wishes == ("warm",) and relaxed.text == "boots"


def test_an_unknown_sort_is_refused():
    with pytest.raises(ValueError, match="unknown sort 'cheapest'"):
        SearchQuery(sort="cheapest")


@pytest.mark.parametrize("query, embedded", [
    (SearchQuery(text="a jacket"), "a jacket"),
    (SearchQuery(text="a jacket", wishes=("waterproof", "with a hood")), "a jacket waterproof with a hood"),
    (SearchQuery(text="something Waterproof", wishes=("waterproof",)), "something Waterproof"),
    (SearchQuery(category="boots", colors=("black",), wishes=("warm",)), "black boots warm"),
])
def test_wishes_are_embedded_with_the_words_unless_already_said(query, embedded):
    assert query.embedding_text() == embedded
