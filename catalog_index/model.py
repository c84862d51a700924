"""The one product model every feed format is read into.

A *variant* is one purchasable item (one row of a Merchant Center feed: one SKU with one
size and one colour). A *product* is the group of variants sharing an `item_group_id`;
it is what the shopper sees as one card, and what gets one embedding.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Variant:
    id: str
    group_id: str
    title: str
    description: str
    link: str
    image_link: str
    price: float
    sale_price: float | None
    currency: str
    availability: str  # in_stock | out_of_stock | preorder | backorder
    quantity: int | None
    brand: str
    color_name: str  # the retailer's own colour name, shown to shoppers
    color: str | None  # canonical colour family, used for filtering
    size: str | None  # normalised like the parse API ("10.5", "M", "32x30", "ONE SIZE")
    size_system: str | None
    gender: str | None  # men | women | unisex | boys | girls | kids
    age_group: str | None
    product_type: str
    google_product_category: str
    gtin: str
    mpn: str
    material: str
    pattern: str
    rating: float | None
    review_count: int | None


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded, with enough detail for the retailer to fix it."""

    line: int
    field: str
    reason: str
    item_id: str | None = None

    def __str__(self) -> str:
        item = f" (id {self.item_id})" if self.item_id else ""
        return f"line {self.line}{item}: {self.field}: {self.reason}"


@dataclass
class LoadReport:
    rows_read: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    products: int = 0
    variants: int = 0

    def summary(self) -> str:
        return (
            f"rows read: {self.rows_read}; products loaded: {self.products}; "
            f"variants loaded: {self.variants}; rows rejected: {len(self.rejections)}"
        )
