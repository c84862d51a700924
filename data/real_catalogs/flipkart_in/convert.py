"""Convert the Flipkart products sample (PromptCloud, CC BY-SA 4.0) into a Merchant Center TSV.

    python data/real_catalogs/flipkart_in/convert.py PATH/TO/flipkart_com-ecommerce_sample.csv \
        [--out data/real_catalogs/flipkart_in/merchant_feed.tsv] [--limit 1000]

Standard library only, deterministic. Rows are read in file order; a product (`uniq_id`) seen
before is skipped (the copy this was made from repeats its first 1,000 rows five times, and has
one blank row among them), and the first `--limit` distinct products are kept. Field values are copied as they are (titles,
descriptions, brands, colours, the retailer's category tree); only the shape changes:

* id / item_group_id: Flipkart's product id (`pid`);
* price: `retail_price` (the MRP) in INR; sale_price: `discounted_price` when it is lower;
* product_type: `product_category_tree` with " >> " written " > ", its last level dropped when
  that level is the product's own name (Flipkart ends most paths with the title, often cut short
  with "...");
* brand: the `brand` column, else the "Brand" entry of `product_specifications`;
* color, gender ("Ideal For"), material ("Fabric", else "Material"), pattern: the entries of
  `product_specifications` with those keys, unchanged (the loader normalises them);
* product_rating: `product_rating` when it is a number ("No rating available" -> empty);
* link: `product_url`; image_link: the first URL of `image`.
Nothing is invented: a field the source lacks stays empty, and a row the source leaves without a
price keeps an empty price (the loader rejects it, as it should).
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "item_group_id", "title", "description", "link", "image_link", "price", "sale_price",
           "availability", "brand", "color", "gender", "product_type", "material", "pattern", "product_rating"]
SPEC = re.compile(r'\{"key"=>"((?:[^"\\]|\\.)*)", "value"=>"((?:[^"\\]|\\.)*)"\}')


def specifications(text: str) -> dict[str, str]:
    """The key/value pairs of Flipkart's Ruby-hash-like `product_specifications` (first wins)."""
    found: dict[str, str] = {}
    for key, value in SPEC.findall(text or ""):
        found.setdefault(key.strip(), value.strip())
    return found


def category_path(tree: str, title: str) -> str:
    try:
        levels = [level.strip() for level in json.loads(tree)[0].split(">>")]
    except (ValueError, IndexError, TypeError):
        return ""
    last = levels[-1].removesuffix("...").strip()
    if len(levels) > 1 and last and title.startswith(last):
        levels = levels[:-1]
    return " > ".join(level for level in levels if level)


def first_image(images: str) -> str:
    try:
        urls = json.loads(images)
    except ValueError:
        return ""
    return urls[0] if urls else ""


def rating(value: str) -> str:
    try:
        return str(float(value))
    except ValueError:
        return ""


def convert(rows, limit: int):
    seen: set[str] = set()
    for row in rows:
        if not row["uniq_id"] or row["uniq_id"] in seen:
            continue  # a blank line in the copy, or a repeat
        seen.add(row["uniq_id"])
        if len(seen) > limit:
            break
        spec = specifications(row["product_specifications"])
        title = row["product_name"]
        price, discounted = row["retail_price"].strip(), row["discounted_price"].strip()
        on_sale = price and discounted and float(discounted) < float(price)
        yield {
            "id": row["pid"],
            "item_group_id": row["pid"],
            "title": title,
            "description": row["description"],
            "link": row["product_url"],
            "image_link": first_image(row["image"]),
            "price": f"{price} INR" if price else "",
            "sale_price": f"{discounted} INR" if on_sale else "",
            "availability": "in_stock",
            "brand": row["brand"] or spec.get("Brand", ""),
            "color": spec.get("Color", ""),
            "gender": spec.get("Ideal For", ""),
            "product_type": category_path(row["product_category_tree"], title),
            "material": spec.get("Fabric") or spec.get("Material", ""),
            "pattern": spec.get("Pattern", ""),
            "product_rating": rating(row["product_rating"]),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="flipkart_com-ecommerce_sample.csv (PromptCloud's columns)")
    parser.add_argument("--out", type=Path, default=HERE / "merchant_feed.tsv")
    parser.add_argument("--limit", type=int, default=1000, help="distinct products to keep (default 1000)")
    args = parser.parse_args(argv)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with args.source.open(encoding="utf-8", newline="") as handle, \
            args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        count = 0
        for record in convert(csv.DictReader(handle), args.limit):
            writer.writerow(record)
            count += 1
    print(f"wrote {count} products to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
