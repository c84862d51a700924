"""Convert the IKEA Saudi Arabia furniture scrape (TidyTuesday 2020-11-03, `ikea.csv`) into a
Merchant Center TSV.

    python data/real_catalogs/ikea_sa/convert.py PATH/TO/ikea.csv [--out data/real_catalogs/ikea_sa/merchant_feed.tsv]

Standard library only, deterministic. Rows are read in file order; an `item_id` seen before (the
scrape lists an article once per furniture category it appears in) is skipped, so each article
keeps the category it is first listed under. Values are copied as they are; only the shape
changes:

* id / item_group_id: `item_id`;
* title: `name` and `short_description` as the IKEA page shows them ("FREKVENS Bar table,
  in/outdoor, 51x51 cm"), whitespace collapsed;
* brand: IKEA (every article);
* product_type: "Furniture > " + `category`;
* price: `price` in SAR; when `old_price` ("SR 2,375") is higher, it becomes the price and
  `price` the sale_price ("SR 50/4 pack" is read as 50);
* availability: in_stock when `sellable_online` is true, else out_of_stock (sold in store only);
* color: the words the article's link slug adds after its name and description
  (".../hemnes-bed-frame-white-stain-s89931560/" -> "white stain"): the colour and finish
  IKEA names the article by, cover names included ("lerhaga light grey"). Messy on purpose: it
  is what the retailer's URL says, not a cleaned colour;
* description: `short_description`, then the designer and the measurements (cm) when given,
  and whether other colours exist (`other_colors`).
No sizes: IKEA sells furniture by its measurements, which stay in the title.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ["id", "item_group_id", "title", "description", "link", "price", "sale_price", "availability",
           "brand", "color", "product_type"]
SPACES = re.compile(r"\s+")
TOKEN = re.compile(r"[a-z0-9]+")
FOLD = {"ä": "ae", "ö": "oe", "å": "a", "ø": "o", "æ": "ae", "é": "e", "ü": "u"}


def fold(text: str) -> str:
    """How IKEA writes a name in a URL: lower case, Swedish letters spelled out."""
    text = "".join(FOLD.get(ch, ch) for ch in text.lower())
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug_colour(link: str, name: str, description: str) -> str:
    slug = link.rstrip("/").rsplit("/", 1)[-1]
    slug = re.sub(r"-s?\d{8}$", "", slug)
    words = slug.split("-")
    i = 0
    for token in TOKEN.findall(fold(name)) + TOKEN.findall(fold(description)):
        if i < len(words) and words[i] == token:
            i += 1
    return " ".join(words[i:])


def amount(text: str) -> float | None:
    match = re.search(r"[\d,]+(?:\.\d+)?", text or "")
    return float(match.group(0).replace(",", "")) if match else None


def money(value: float) -> str:
    return f"{value:.2f} SAR"


def truthy(text: str) -> bool:
    return text.strip().lower() in ("true", "yes", "1")


def convert(rows):
    seen: set[str] = set()
    for row in rows:
        item = str(int(float(row["item_id"])))
        if item in seen:
            continue
        seen.add(item)
        short = SPACES.sub(" ", row["short_description"]).strip()
        name = row["name"].strip()
        price = float(row["price"])
        old = amount(row["old_price"]) if "old price" not in row["old_price"].lower() else None
        details = [short + ("" if short.endswith(".") else ".")]
        designer = SPACES.sub(" ", row["designer"]).strip()
        if designer:
            details.append(f"Designer: {designer}.")
        sizes = [f"{label} {row[key].strip()} cm" for label, key in (("width", "width"), ("depth", "depth"),
                                                                      ("height", "height")) if row[key].strip()]
        if sizes:
            details.append("Measurements: " + ", ".join(sizes) + ".")
        details.append("Other colours available." if truthy(row["other_colors"]) else "No other colours.")
        yield {
            "id": item,
            "item_group_id": item,
            "title": f"{name} {short}".strip(),
            "description": " ".join(details),
            "link": row["link"],
            "price": money(old if old and old > price else price),
            "sale_price": money(price) if old and old > price else "",
            "availability": "in_stock" if truthy(row["sellable_online"]) else "out_of_stock",
            "brand": "IKEA",
            "color": slug_colour(row["link"], name, short),
            "product_type": f"Furniture > {row['category'].strip()}",
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="ikea.csv (TidyTuesday 2020-11-03 columns)")
    parser.add_argument("--out", type=Path, default=HERE / "merchant_feed.tsv")
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8-sig", newline="") as handle, \
            args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        count = 0
        for record in convert(csv.DictReader(handle)):
            writer.writerow(record)
            count += 1
    print(f"wrote {count} products to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
