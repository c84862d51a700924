"""Cart and order operations, each in one transaction.

Order placement is idempotent: the checkout's idempotency key is unique in the orders
table, so a retried, replayed or concurrent placement finds the order the first attempt
created instead of creating a second one. It also reserves stock in the same transaction,
so the last unit of a variant is sold once.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store.migrate import upgrade
from store.models import CartLine, HandoffRequest, Order, OrderLine, Personalisation, RememberedSize, StockReservation


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


class OutOfStock(Exception):
    """Checkout asked for more units than the catalog's stock minus earlier orders' holds."""

    def __init__(self, variant_id: str, available: int):
        super().__init__(f"only {available} of {variant_id} left")
        self.variant_id = variant_id
        self.available = available


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

    def set_quantity(self, owner: str, variant_id: str, quantity: int) -> bool:
        """Set one line's quantity (0 removes it); False when the variant is not in the cart."""
        with self.session() as session, session.begin():
            line = session.scalar(select(CartLine).where(CartLine.owner == owner, CartLine.variant_id == variant_id))
            if line is None:
                return False
            if quantity <= 0:
                session.delete(line)
            else:
                line.quantity = quantity
            return True

    # -- orders ------------------------------------------------------------------------
    def place_order(self, owner: str, idempotency_key: str, lines: list[PricedLine], currency: str,
                    stock: dict[str, int | None] | None = None) -> tuple[Order, bool]:
        """Create the order, reserve its stock and empty those cart lines, in one transaction;
        returns (order, created). Never creates two per key. `stock` is the catalog's quantity
        per variant (None: not tracked); raises OutOfStock and changes nothing when short."""
        existing = self.order_by_key(idempotency_key)
        if existing is not None:
            return existing, False
        retries = 0
        while True:
            order = Order(
                reference=new_order_reference(), owner=owner, idempotency_key=idempotency_key,
                total=round(sum(line.line_total for line in lines), 2), currency=currency,
                lines=[OrderLine(variant_id=l.variant_id, title=l.title, size=l.size, color=l.color,
                                 quantity=l.quantity, unit_price=l.unit_price) for l in lines],
            )
            try:
                with self.session() as session, session.begin():
                    for line in lines:
                        self._reserve(session, line.variant_id, line.quantity, (stock or {}).get(line.variant_id))
                    session.add(order)
                    session.execute(delete(CartLine).where(
                        CartLine.owner == owner, CartLine.variant_id.in_([l.variant_id for l in lines])))
            except IntegrityError:
                existing = self.order_by_key(idempotency_key)
                if existing is not None:
                    return existing, False
                retries += 1
                if retries == 3:  # a reference or first-reservation race that kept recurring
                    raise
                continue
            return self.order_by_key(idempotency_key), True

    @staticmethod
    def _reserve(session: Session, variant_id: str, quantity: int, stock: int | None) -> None:
        """Hold `quantity` units with one conditional UPDATE (atomic on SQLite and PostgreSQL).

        When the UPDATE holds nothing, the committed row is read again: under PostgreSQL's
        READ COMMITTED a concurrent first reservation can commit between the two statements,
        and a shopper must not be refused units that are still there, so the UPDATE is retried."""
        if stock is None:
            return
        available = stock
        for _ in range(5):
            held = session.execute(
                update(StockReservation)
                .where(StockReservation.variant_id == variant_id, StockReservation.reserved + quantity <= stock)
                .values(reserved=StockReservation.reserved + quantity)
            ).rowcount
            if held:
                return
            reserved = session.scalar(
                select(StockReservation.reserved).where(StockReservation.variant_id == variant_id))
            available = max(0, stock - (reserved or 0))
            if quantity > available:
                break
            if reserved is None:
                session.add(StockReservation(variant_id=variant_id, reserved=quantity))
                session.flush()  # a concurrent first reservation raises IntegrityError: the caller retries
                return
        raise OutOfStock(variant_id, available)

    def reserved(self, variant_ids: list[str]) -> dict[str, int]:
        """Units held by placed orders, per variant (absent: none)."""
        with self.session() as session:
            rows = session.scalars(select(StockReservation).where(StockReservation.variant_id.in_(variant_ids)))
            return {row.variant_id: row.reserved for row in rows}

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
                for line in order.lines:  # the units go back on sale
                    session.execute(update(StockReservation).where(StockReservation.variant_id == line.variant_id)
                                    .values(reserved=StockReservation.reserved - line.quantity))
            _ = order.lines
            return order

    # -- what is remembered about a customer ---------------------------------------------
    def remember_size(self, owner: str, category: str, size: str) -> None:
        with self.session() as session, session.begin():
            if not self._uses_history(session, owner):
                return
            row = session.scalar(select(RememberedSize).where(RememberedSize.owner == owner,
                                                              RememberedSize.category == category))
            if row is None:
                session.add(RememberedSize(owner=owner, category=category, size=size))
            else:
                row.size = size

    def remembered_sizes(self, owner: str) -> dict[str, str]:
        """Category -> size, most recent first."""
        with self.session() as session:
            rows = session.scalars(select(RememberedSize).where(RememberedSize.owner == owner)
                                   .order_by(RememberedSize.updated_at.desc(), RememberedSize.id.desc()))
            return {row.category: row.size for row in rows}

    def uses_history(self, owner: str) -> bool:
        with self.session() as session:
            return self._uses_history(session, owner)

    @staticmethod
    def _uses_history(session: Session, owner: str) -> bool:
        row = session.get(Personalisation, owner)
        return row is None or row.use_history

    def forget(self, owner: str) -> int:
        """Clear remembered sizes and stop using past orders for suggestions; returns sizes cleared.
        Orders themselves stay: they are the customer's receipts."""
        with self.session() as session, session.begin():
            cleared = session.execute(delete(RememberedSize).where(RememberedSize.owner == owner)).rowcount
            row = session.get(Personalisation, owner)
            if row is None:
                session.add(Personalisation(owner=owner, use_history=False))
            else:
                row.use_history = False
            return cleared

    # -- people ------------------------------------------------------------------------
    def request_handoff(self, owner: str, conversation_id: str, message: str) -> int:
        """Queue the conversation for the team; returns the request number."""
        with self.session() as session, session.begin():
            request = HandoffRequest(owner=owner, conversation_id=conversation_id, message=message[:2000])
            session.add(request)
            session.flush()
            return request.id

    def open_handoffs(self) -> list[HandoffRequest]:
        with self.session() as session:
            return list(session.scalars(select(HandoffRequest).where(HandoffRequest.status == "open")
                                        .order_by(HandoffRequest.id)))
