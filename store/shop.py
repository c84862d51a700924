"""Cart and order operations, each in one transaction.

Order placement is idempotent: the checkout's idempotency key is unique in the orders
table, so a retried, replayed or concurrent placement finds the order the first attempt
created instead of creating a second one.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store.migrate import upgrade
from store.models import CartLine, Order, OrderLine


@dataclass(frozen=True)
class PricedLine:
    """A cart line priced by the server from the catalog."""

    variant_id: str
    title: str
    size: str | None
    color: str | None
    quantity: int
    unit_price: float

    @property
    def line_total(self) -> float:
        return round(self.unit_price * self.quantity, 2)


def new_order_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "OS-" + "".join(secrets.choice(alphabet) for _ in range(6))


class ShopStore:
    def __init__(self, database_url: str):
        if database_url.startswith("sqlite:///"):
            Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(database_url, pool_pre_ping=True)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    # -- cart --------------------------------------------------------------------------
    def add_to_cart(self, owner: str, variant_id: str, quantity: int) -> int:
        """Add quantity of a variant; returns the new quantity of that line."""
        with self.session() as session, session.begin():
            line = session.scalar(select(CartLine).where(CartLine.owner == owner, CartLine.variant_id == variant_id))
            if line is None:
                line = CartLine(owner=owner, variant_id=variant_id, quantity=0)
                session.add(line)
            line.quantity += quantity
            return line.quantity

    def remove_from_cart(self, owner: str, variant_id: str | None = None) -> int:
        """Remove one variant's line, or every line when variant_id is None; returns lines removed."""
        with self.session() as session, session.begin():
            statement = delete(CartLine).where(CartLine.owner == owner)
            if variant_id is not None:
                statement = statement.where(CartLine.variant_id == variant_id)
            return session.execute(statement).rowcount

    def cart(self, owner: str) -> list[tuple[str, int]]:
        with self.session() as session:
            lines = session.scalars(select(CartLine).where(CartLine.owner == owner).order_by(CartLine.id))
            return [(line.variant_id, line.quantity) for line in lines]

    # -- orders ------------------------------------------------------------------------
    def place_order(self, owner: str, idempotency_key: str, lines: list[PricedLine], currency: str) -> tuple[Order, bool]:
        """Create the order and empty the cart; returns (order, created). Never creates two per key."""
        existing = self.order_by_key(idempotency_key)
        if existing is not None:
            return existing, False
        order = Order(
            reference=new_order_reference(), owner=owner, idempotency_key=idempotency_key,
            total=round(sum(line.line_total for line in lines), 2), currency=currency,
            lines=[OrderLine(variant_id=l.variant_id, title=l.title, size=l.size, color=l.color,
                             quantity=l.quantity, unit_price=l.unit_price) for l in lines],
        )
        try:
            with self.session() as session, session.begin():
                session.add(order)
                session.execute(delete(CartLine).where(
                    CartLine.owner == owner, CartLine.variant_id.in_([l.variant_id for l in lines])))
        except IntegrityError:
            existing = self.order_by_key(idempotency_key)
            if existing is None:
                raise
            return existing, False
        return self.order_by_key(idempotency_key), True

    def order_by_key(self, idempotency_key: str) -> Order | None:
        with self.session() as session:
            order = session.scalar(select(Order).where(Order.idempotency_key == idempotency_key))
            if order is not None:
                _ = order.lines  # load lines before the session closes
            return order

    def orders(self, owner: str, limit: int = 5) -> list[Order]:
        with self.session() as session:
            orders = list(session.scalars(
                select(Order).where(Order.owner == owner).order_by(Order.placed_at.desc(), Order.id.desc()).limit(limit)))
            for order in orders:
                _ = order.lines
            return orders

    def cancel_order(self, owner: str, reference: str) -> Order | None:
        """Cancel an order that has not shipped; returns it (with its final status) or None."""
        with self.session() as session, session.begin():
            order = session.scalar(select(Order).where(Order.owner == owner, Order.reference == reference))
            if order is None:
                return None
            if order.status == "placed":
                order.status = "cancelled"
            _ = order.lines
            return order
