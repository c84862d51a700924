"""Tables of the shop database."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class CartLine(Base):
    """One variant in a shopper's cart. The owner is a customer id, or `sender:<id>` for guests."""

    __tablename__ = "cart_lines"
    __table_args__ = (UniqueConstraint("owner", "variant_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    variant_id: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    # A retried or duplicated checkout carries the same key and finds this order again.
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="placed")
    total: Mapped[float] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="OrderLine.id")


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    variant_id: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(20), nullable=True)
    color: Mapped[str | None] = mapped_column(String(60), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[float] = mapped_column(Numeric(12, 2))
    order: Mapped[Order] = relationship(back_populates="lines")


class StockReservation(Base):
    """Units of a variant held by placed orders that the catalog's stock figure does not yet
    reflect. Checkout raises `reserved` with one conditional UPDATE, so two shoppers can never
    both buy the last unit; cancelling an order gives its units back."""

    __tablename__ = "stock_reservations"

    variant_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    reserved: Mapped[int] = mapped_column(Integer, default=0)


class RememberedSize(Base):
    """A customer's size per category ("still a 10.5?"), which they can list and clear."""

    __tablename__ = "remembered_sizes"
    __table_args__ = (UniqueConstraint("owner", "category"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(100))
    size: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class Personalisation(Base):
    """Whether a customer lets past purchases shape suggestions (on until they say forget)."""

    __tablename__ = "personalisation"

    owner: Mapped[str] = mapped_column(String(200), primary_key=True)
    use_history: Mapped[bool] = mapped_column(Boolean, default=True)


class HandoffRequest(Base):
    """A shopper asked for a person: the team's queue, with the conversation to open."""

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    conversation_id: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(String(2000))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    status: Mapped[str] = mapped_column(String(20), default="open")
