"""The shop store on real databases: SQLite by default and PostgreSQL by DATABASE_URL.

PostgreSQL runs at 127.0.0.1:5432 (database `test`) on the development and CI machines;
each test uses its own schema-free table set and drops it afterwards.
"""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import create_engine, text

from store.models import Base
from store.shop import OutOfStock, PricedLine, ShopStore

POSTGRES_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def postgres_available() -> bool:
    try:
        with create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2}).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def shop(request, tmp_path):
    if request.param == "sqlite":
        store = ShopStore(f"sqlite:///{tmp_path / 'shop.db'}")
    else:
        if not postgres_available():
            pytest.fail("PostgreSQL is expected at 127.0.0.1:5432 (database test)")
        store = ShopStore(POSTGRES_URL)
    yield store
    Base.metadata.drop_all(store.engine)
    with store.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.engine.dispose()


LINE = PricedLine("SKU-1", "Tempo Runner", "10", "Black", 2, 79.99)


def test_cart_lines_accumulate_and_remove(shop):
    owner = f"sender:{uuid.uuid4()}"
    assert shop.add_to_cart(owner, "SKU-1", 1) == 1
    assert shop.add_to_cart(owner, "SKU-1", 2) == 3
    shop.add_to_cart(owner, "SKU-2", 1)
    assert shop.cart(owner) == [("SKU-1", 3), ("SKU-2", 1)]
    assert shop.remove_from_cart(owner, "SKU-1") == 1
    assert shop.cart(owner) == [("SKU-2", 1)]
    assert shop.cart("sender:someone-else") == []


def test_order_replayed_five_times_is_placed_once(shop):
    owner = f"sender:{uuid.uuid4()}"
    shop.add_to_cart(owner, "SKU-1", 2)
    results = [shop.place_order(owner, "key-1", [LINE], "USD") for _ in range(5)]
    assert [created for _, created in results] == [True, False, False, False, False]
    assert len({order.reference for order, _ in results}) == 1
    assert len(shop.orders(owner)) == 1
    assert float(results[0][0].total) == 159.98
    assert shop.cart(owner) == [], "the ordered lines leave the cart"


def test_concurrent_placements_with_one_key_create_one_order(shop):
    owner = f"sender:{uuid.uuid4()}"
    references, errors = [], []

    def place():
        try:
            references.append(shop.place_order(owner, "key-race", [LINE], "USD")[0].reference)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=place) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(references)) == 1 and len(shop.orders(owner)) == 1


def test_cancel_only_before_shipment(shop):
    owner = f"sender:{uuid.uuid4()}"
    order, _ = shop.place_order(owner, "key-c", [LINE], "USD")
    assert shop.cancel_order("sender:other", order.reference) is None
    assert shop.cancel_order(owner, order.reference).status == "cancelled"
    with shop.engine.begin() as connection:
        connection.execute(text("UPDATE orders SET status = 'shipped'"))
    assert shop.cancel_order(owner, order.reference).status == "shipped"


@pytest.mark.parametrize("round_", range(10))
def test_the_last_unit_is_sold_once_even_to_concurrent_buyers(shop, round_):
    """Six shoppers race for two units (the first reservation of the variant included, the
    race that once refused a shopper while a unit was left): exactly two orders, and every
    refused shopper is told nothing is left."""
    variant = f"SKU-{uuid.uuid4().hex[:8]}"
    line = PricedLine(variant, "Last Pair", "10", "Black", 1, 50.0)
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def buy(n: int):
        start.wait()
        try:
            shop.place_order(f"sender:buyer-{n}", f"key-{variant}-{n}", [line], "USD", stock={variant: 2})
            outcomes.append("placed")
        except OutOfStock as short:
            outcomes.append(f"short:{short.available}")

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["placed", "placed"] + ["short:0"] * 4
    assert shop.reserved([variant]) == {variant: 2}


def test_a_short_order_changes_nothing_and_cancelling_frees_stock(shop):
    owner = f"sender:{uuid.uuid4()}"
    plenty, scarce = f"SKU-{uuid.uuid4().hex[:8]}", f"SKU-{uuid.uuid4().hex[:8]}"
    lines = [PricedLine(plenty, "Socks", None, "White", 1, 9.0), PricedLine(scarce, "Boots", "9", "Brown", 3, 120.0)]
    for line in lines:
        shop.add_to_cart(owner, line.variant_id, line.quantity)
    with pytest.raises(OutOfStock) as short:
        shop.place_order(owner, "key-short", lines, "USD", stock={plenty: 100, scarce: 2})
    assert short.value.variant_id == scarce and short.value.available == 2
    assert shop.reserved([plenty, scarce]) == {} and shop.orders(owner) == []
    assert shop.cart(owner) == [(plenty, 1), (scarce, 3)], "nothing leaves the cart when checkout fails"

    order, _ = shop.place_order(owner, "key-ok", lines[:1] + [PricedLine(scarce, "Boots", "9", "Brown", 2, 120.0)],
                                "USD", stock={plenty: 100, scarce: 2})
    assert shop.reserved([scarce]) == {scarce: 2}
    shop.cancel_order(owner, order.reference)
    assert shop.reserved([plenty, scarce]) == {plenty: 0, scarce: 0}


def test_quantity_changes_and_removal(shop):
    owner = f"sender:{uuid.uuid4()}"
    shop.add_to_cart(owner, "SKU-1", 1)
    assert shop.set_quantity(owner, "SKU-1", 4) and shop.cart(owner) == [("SKU-1", 4)]
    assert shop.set_quantity(owner, "SKU-1", 0) and shop.cart(owner) == []
    assert not shop.set_quantity(owner, "SKU-9", 2)


def test_remembered_sizes_can_be_listed_and_forgotten(shop):
    owner = f"customer:{uuid.uuid4()}"
    shop.remember_size(owner, "running shoes", "10")
    shop.remember_size(owner, "running shoes", "10.5")
    shop.remember_size(owner, "rain jackets", "M")
    assert shop.remembered_sizes(owner) == {"rain jackets": "M", "running shoes": "10.5"}
    assert shop.uses_history(owner)
    assert shop.forget(owner) == 2
    assert shop.remembered_sizes(owner) == {} and not shop.uses_history(owner)
    shop.remember_size(owner, "running shoes", "11")
    assert shop.remembered_sizes(owner) == {}, "after forget, nothing new is remembered"


def test_migrations_match_the_models(shop):
    """A model change without a migration would leave deployed databases behind."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def ours(name, type_, parent_names):  # the database may hold other tables (e.g. Rasa's tracker)
        return type_ != "table" or name in Base.metadata.tables

    with shop.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": ours})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
