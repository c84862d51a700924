"""Validate and normalise one raw feed record into a Variant, or say exactly why not.

Values are normalised with the same rules the NLU applies to what shoppers say
(`nlu.normalize`), so "Midnight Navy" in a feed and "navy" in a chat meet as `blue`.
Text is stored as data: control characters are stripped and lengths capped, nothing is
interpreted as markup here or downstream.
"""
from __future__ import annotations

import re

from catalog_index.model import Variant
from nlu.normalize import normalize_gender, normalize_size, normalize_size_system, parse_price, shown_color

MAX_LENGTHS = {"id": 50, "title": 150, "description": 5000, "link": 2000, "image_link": 2000}
DEFAULT_MAX_LENGTH = 200
AVAILABILITY = {
    "in_stock": "in_stock", "in stock": "in_stock", "instock": "in_stock",
    "out_of_stock": "out_of_stock", "out of stock": "out_of_stock", "outofstock": "out_of_stock",
    "preorder": "preorder", "pre-order": "preorder", "backorder": "backorder",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029]")
_SPACES = re.compile(r"\s+")


class RowError(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def clean_text(value: str | None, field: str) -> str:
    """Strip control characters and collapse whitespace; reject absurd lengths."""
    text = _SPACES.sub(" ", _CONTROL.sub("", value or "")).strip()
    limit = MAX_LENGTHS.get(field, DEFAULT_MAX_LENGTH)
    if len(text) > limit:
        raise RowError(field, f"longer than {limit} characters ({len(text)})")
    return text


def _required(record: dict[str, str], field: str) -> str:
    text = clean_text(record.get(field), field)
    if not text:
        raise RowError(field, "missing")
    return text


def _price(record: dict[str, str], field: str, required: bool) -> tuple[float, str] | None:
    raw = clean_text(record.get(field), field)
    if not raw:
        if required:
            raise RowError(field, "missing")
        return None
    parsed = parse_price(raw)
    if parsed is None:
        raise RowError(field, f"unparseable price {raw[:40]!r}")
    return parsed


def _int(record: dict[str, str], field: str, minimum: int = 0) -> int | None:
    raw = clean_text(record.get(field), field)
    if not raw:
        return None
    try:
        value = int(float(raw))
    except ValueError:
        raise RowError(field, f"not a number: {raw[:20]!r}") from None
    if value < minimum:
        raise RowError(field, f"must be at least {minimum}, got {value}")
    return value


def _rating(record: dict[str, str]) -> float | None:
    raw = clean_text(record.get("product_rating"), "product_rating")
    if not raw:
        return None
    try:
        value = float(raw.split("/")[0])
    except ValueError:
        raise RowError("product_rating", f"not a number: {raw[:20]!r}") from None
    if not 0 <= value <= 5:
        raise RowError("product_rating", f"must be between 0 and 5, got {value}")
    return value


def parse_variant(record: dict[str, str]) -> Variant:
    """Turn a Merchant-Center-named record into a Variant; raise RowError on the first problem."""
    item_id = _required(record, "id")
    title = _required(record, "title")
    price, currency = _price(record, "price", required=True)
    sale = _price(record, "sale_price", required=False)
    sale_price = None
    if sale is not None:
        if sale[1] != currency:
            raise RowError("sale_price", f"currency {sale[1]} differs from price currency {currency}")
        if sale[0] < price:
            sale_price = sale[0]
    raw_availability = clean_text(record.get("availability"), "availability").lower() or "in_stock"
    availability = AVAILABILITY.get(raw_availability)
    if availability is None:
        raise RowError("availability", f"unknown value {raw_availability[:30]!r}")
    quantity = _int(record, "quantity")
    brand = clean_text(record.get("brand"), "brand")
    # The colour field and the title may disagree (a real feed had about 800 "Red" fields on
    # brown trousers): the title is what the shopper reads, so a title's colour that the field
    # does not name is the one shown and filtered on (`shown_color`, docs/architecture.md).
    color_name, color = shown_color(clean_text(record.get("color"), "color"), title, brand)
    raw_size = clean_text(record.get("size"), "size")
    size = normalize_size(raw_size) if raw_size else None
    if raw_size and size is None:
        size = raw_size.upper()
    return Variant(
        id=item_id,
        group_id=clean_text(record.get("item_group_id"), "item_group_id") or item_id,
        title=title,
        description=clean_text(record.get("description"), "description"),
        link=clean_text(record.get("link"), "link"),
        image_link=clean_text(record.get("image_link"), "image_link"),
        price=price,
        sale_price=sale_price,
        currency=currency,
        availability=availability,
        quantity=quantity,
        brand=brand,
        color_name=color_name,
        color=color,
        size=size,
        size_system=normalize_size_system(clean_text(record.get("size_system"), "size_system")) if size else None,
        gender=normalize_gender(
            clean_text(record.get("gender"), "gender") or None,
            clean_text(record.get("age_group"), "age_group") or None,
        ),
        age_group=clean_text(record.get("age_group"), "age_group").lower() or None,
        product_type=clean_text(record.get("product_type"), "product_type"),
        google_product_category=clean_text(record.get("google_product_category"), "google_product_category"),
        gtin=clean_text(record.get("gtin"), "gtin"),
        mpn=clean_text(record.get("mpn"), "mpn"),
        material=clean_text(record.get("material"), "material"),
        pattern=clean_text(record.get("pattern"), "pattern"),
        rating=_rating(record),
        review_count=_int(record, "product_review_count"),
    )
