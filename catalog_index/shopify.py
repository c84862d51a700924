"""Shopify exports mapped to Merchant Center field names.

Two shapes: the `products.json` export (products with `options`, `variants`, `images`) and
the admin's product CSV, where the first row of a `Handle` carries the product fields and
follow-up rows carry only further variants (or only further images).
"""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from typing import Iterator

GENDER_TAGS = {"men": "male", "mens": "male", "male": "male", "women": "female", "womens": "female",
               "female": "female", "ladies": "female", "unisex": "unisex"}
AGE_TAGS = {"kids": "kids", "children": "kids", "boys": "kids", "girls": "kids", "toddler": "toddler"}
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str:
    """Shopify descriptions are HTML; keep their words, drop the markup."""
    return html.unescape(_TAG.sub(" ", value or ""))


def _from_tags(tags: str) -> tuple[str, str]:
    """Gender and age group from tags like "Men, Running" or "Girls"."""
    words = {t.strip().lower().replace("'", "") for t in re.split(r"[,/]", tags or "") if t.strip()}
    gender = next((GENDER_TAGS[w] for w in sorted(words) if w in GENDER_TAGS), "")
    if not gender:
        gender = "male" if "boys" in words else "female" if "girls" in words else ""
    age = next((AGE_TAGS[w] for w in sorted(words) if w in AGE_TAGS), "")
    return gender, age or ("adult" if gender else "")


def _options(names: list[str], values: list[str]) -> dict[str, str]:
    """Colour and size out of Option1..3, whatever order the shop put them in."""
    found = {}
    for name, value in zip(names, values):
        key = (name or "").strip().lower()
        if key in ("color", "colour") and value:
            found["color"] = value
        elif key in ("size", "shoe size", "waist") and value:
            found["size"] = value
    return found


def _offer(price: str, compare_at: str, currency: str) -> dict[str, str]:
    """Shopify's `compare_at_price` is the regular price when the variant is on sale."""
    try:
        on_sale = compare_at and float(compare_at) > float(price)
    except ValueError:
        on_sale = False
    if on_sale:
        return {"price": f"{compare_at} {currency}", "sale_price": f"{price} {currency}"}
    return {"price": f"{price} {currency}" if price else "", "sale_price": ""}


def read_products_json(path: Path, currency: str = "USD") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield one record per variant; the number is the variant's position in the export."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    products = data.get("products", data) if isinstance(data, dict) else data
    item = 0
    for product in products:
        names = [o.get("name", "") for o in product.get("options", [])]
        images = {img.get("id"): img.get("src", "") for img in product.get("images", [])}
        first_image = (product.get("image") or {}).get("src") or next(iter(images.values()), "")
        gender, age = _from_tags(product.get("tags", "") if isinstance(product.get("tags"), str)
                                 else ",".join(product.get("tags", [])))
        for variant in product.get("variants", []):
            item += 1
            quantity = variant.get("inventory_quantity")
            available = variant.get("available")
            in_stock = available if available is not None else (quantity is None or quantity > 0)
            record = {
                "id": str(variant.get("sku") or variant.get("id") or ""),
                "item_group_id": str(product.get("id") or product.get("handle") or ""),
                "title": product.get("title", ""),
                "description": html_to_text(product.get("body_html")),
                "brand": product.get("vendor", ""),
                "product_type": product.get("product_type", ""),
                "link": f"/products/{product.get('handle', '')}?variant={variant.get('id', '')}",
                "image_link": images.get(variant.get("image_id")) or first_image,
                "availability": "in_stock" if in_stock else "out_of_stock",
                "quantity": "" if quantity is None else str(quantity),
                "gtin": str(variant.get("barcode") or ""),
                "gender": gender, "age_group": age,
                **_offer(str(variant.get("price") or ""), str(variant.get("compare_at_price") or ""), currency),
                **_options(names, [variant.get(f"option{i}") or "" for i in (1, 2, 3)]),
            }
            yield item, record


def read_products_csv(path: Path, currency: str = "USD") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield one record per variant row; product fields carry over from the handle's first row."""
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        product: dict[str, str] = {}
        for row in reader:
            line = reader.line_num
            if row.get("Handle") != product.get("Handle"):
                product = dict(row)
            has_variant = row.get("Variant SKU") or row.get("Variant Price") or row.get("Option1 Value")
            if not has_variant:
                continue  # an image-only follow-up row
            names = [product.get(f"Option{i} Name", "") for i in (1, 2, 3)]
            quantity = row.get("Variant Inventory Qty", "")
            gender = (product.get("Google Shopping / Gender") or "").lower()
            age = (product.get("Google Shopping / Age Group") or "").lower()
            tag_gender, tag_age = _from_tags(product.get("Tags", ""))
            record = {
                "id": row.get("Variant SKU") or f"{product.get('Handle')}-{line}",
                "item_group_id": product.get("Handle", ""),
                "title": product.get("Title", ""),
                "description": html_to_text(product.get("Body (HTML)")),
                "brand": product.get("Vendor", ""),
                "product_type": product.get("Type") or product.get("Product Category", ""),
                "google_product_category": product.get("Google Shopping / Google Product Category", ""),
                "mpn": product.get("Google Shopping / MPN", ""),
                "link": f"/products/{product.get('Handle', '')}",
                "image_link": row.get("Variant Image") or product.get("Image Src", ""),
                "availability": "out_of_stock" if quantity.strip() in ("0", "-0") or quantity.strip().startswith("-")
                else "in_stock",
                "quantity": str(max(0, int(quantity))) if quantity.strip().lstrip("-").isdigit() else "",
                "gtin": row.get("Variant Barcode", ""),
                "gender": gender or tag_gender, "age_group": age or tag_age,
                **_offer(row.get("Variant Price", ""), row.get("Variant Compare At Price", ""), currency),
                **_options(names, [row.get(f"Option{i} Value", "") for i in (1, 2, 3)]),
            }
            yield line, record
