"""Goals are drawn reproducibly from the live catalog, and each one can be met: the target is in
stock, satisfies everything the shopper will say, and no two goals need more units than exist."""
from __future__ import annotations

from collections import Counter

from benchmarks.simulator.catalog import effective_price, in_stock
from benchmarks.simulator.goals import Budget, simulate, stated_constraints


def test_the_same_seed_draws_the_same_goals(catalog):
    assert simulate(3, 40, catalog) == simulate(3, 40, catalog)
    assert simulate(3, 40, catalog) != simulate(4, 40, catalog)


def test_a_longer_run_starts_with_the_shorter_one(catalog):
    assert simulate(5, 60, catalog)[:20] == simulate(5, 20, catalog)


def test_every_target_is_in_stock_at_its_price(catalog):
    for goal in simulate(11, 200, catalog):
        variant = catalog.offer(goal.target.variant_id)
        assert variant is not None and in_stock(variant), goal.target
        assert effective_price(variant) == goal.target.price
        assert variant["group_id"] == goal.target.group_id


def test_the_target_satisfies_everything_the_shopper_will_say(catalog):
    for goal in simulate(12, 200, catalog):
        said = stated_constraints(inform for step in goal.steps for inform in step)
        assert catalog.reachable(goal.target.group_id, said), (goal.conversation_id, said)


def test_no_two_goals_need_more_units_than_are_in_stock(catalog):
    goals = simulate(13, 500, catalog)
    needed = Counter()
    for goal in goals:
        needed[goal.target.variant_id] += goal.quantity
    for variant_id, units in needed.items():
        quantity = catalog.offer(variant_id)["quantity"]
        assert quantity is None or units <= quantity, variant_id


def test_budgets_sit_above_the_price_and_around_means_up_to_a_fifth_more(catalog):
    for goal in simulate(14, 300, catalog):
        for key, value in (inform for step in goal.steps for inform in step):
            if key == "budget":
                assert value.top >= goal.target.price + 1
                assert value.low is None or value.low < goal.target.price
    assert Budget("around", 80).constraints() == {"price_max": 96.0}
    assert Budget("between", 80, 40).constraints() == {"price_min": 40, "price_max": 80}


def test_exclusions_and_corrections_never_name_the_targets_own_colour_or_brand(catalog):
    for goal in simulate(15, 300, catalog):
        product = catalog.product(goal.target.group_id)
        for key, value in (inform for step in goal.steps for inform in step):
            if key == "not_color":
                assert value not in {v["color"] for v in product["variants"]}
            if key == "not_brand":
                assert value != goal.target.brand
        assert goal.wrong_colour != goal.target.colour
