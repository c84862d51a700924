"""Generate the demo catalog: a realistic Google Merchant Center TSV feed, reproducibly.

    python -m catalog_index.demo_feed --out data/demo_catalog/merchant_feed.tsv [--seed 7] [--products 2200]

Same seed and arguments give a byte-identical file. All brands are fictional; the data is
generated (CC0). Products are item groups; each row is one variant (size x colour).
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

COLUMNS = ("id", "item_group_id", "title", "description", "link", "image_link", "price", "sale_price",
           "availability", "quantity", "brand", "color", "size", "size_system", "gender", "age_group",
           "product_type", "google_product_category", "gtin", "mpn", "material", "pattern", "product_rating",
           "product_review_count")

# Retailer colour names; the plain colour word in each one is its family for image names.
COLOURS = {
    "black": ["Triple Black", "Jet Black", "Black", "Onyx Black"], "white": ["Cloud White", "Optic White", "White"],
    "grey": ["Charcoal Heather", "Slate Grey", "Heather Gray", "Silver Mist"],
    "blue": ["Midnight Navy", "Cobalt Blue", "Ocean Teal", "Denim Blue", "Sky Blue"],
    "red": ["Crimson Red", "Burgundy", "Maroon", "Cherry Red"], "green": ["Olive Drab", "Volt Green", "Forest Green", "Khaki Green"],
    "yellow": ["Mustard Yellow", "Lemon Yellow"], "orange": ["Coral Orange", "Blaze Orange"],
    "pink": ["Blush Pink", "Rose Pink"], "purple": ["Lavender Purple", "Plum Purple"],
    "brown": ["Sand Brown", "Cognac Brown", "Tan"], "beige": ["Sand Beige", "Cream", "Ivory"],
    "gold": ["Gold"], "multicolor": ["Multicolor Print"],
}
COLOUR_CODES = {"black": "BLK", "white": "WHT", "grey": "GRY", "blue": "BLU", "red": "RED", "green": "GRN",
                "yellow": "YLW", "orange": "ORG", "pink": "PNK", "purple": "PRP", "brown": "BRN", "beige": "BGE",
                "gold": "GLD", "multicolor": "MLT"}
BRANDS = {
    "shoes": ["Stridewell", "Aerolite", "Kestrel Outdoor", "Redwood Trail", "Pacefield", "Summit & Sole", "Tidewater",
              "Ironbark", "Velo Run", "Fernhill"],
    "clothing": ["Urban Thread", "Northpeak", "Rose & Finch", "Harbor Lane", "Loomcraft", "Kestrel Outdoor",
                 "Glacier Line", "Maple & Moss", "Brightwell", "Copper Canyon", "Driftwood Co", "Stridewell"],
    "accessories": ["Wayfarer Goods", "Timberly", "Northpeak", "Hourglass & Co", "Sunward", "Kestrel Outdoor",
                    "Atlas Pack", "Urban Thread", "Brass Buckle", "Clearview"],
}
MODEL_WORDS = ["Tempo", "Cloudline", "Summit", "Ridge", "Drift", "Horizon", "Aspen", "Cascade", "Vista", "Pulse",
               "Boulder", "Meridian", "Harbor", "Solstice", "Glide", "Trek", "Nimbus", "Apex", "Canyon", "Breeze",
               "Everyday", "Alpine", "Coastal", "Urban", "Ember", "Juniper", "Pioneer", "Voyager", "Frost", "Zephyr"]
MODEL_SUFFIXES = ["", " 2", " 3", " 4", " Pro", " Lite", " GTX", " Max", " Flex", " Elite"]


@dataclass(frozen=True)
class Category:
    path: str
    noun: str
    department: str  # which brand list
    google_category: str
    prices: tuple[int, int]
    sizes: str  # a key of SIZE_SETS
    genders: tuple[tuple[str, str], ...]  # (gender, age_group)
    weight: int  # how many products, relatively
    materials: tuple[str, ...]
    features: tuple[str, ...]


ADULT = (("male", "adult"), ("female", "adult"))
ALL_AGES = ADULT + (("unisex", "adult"), ("male", "kids"), ("female", "kids"), ("unisex", "kids"))
CATEGORIES = [
    Category("Shoes > Running Shoes", "Running Shoe", "shoes", "187", (60, 180), "shoes", ALL_AGES + (("unisex", "toddler"),), 16,
             ("Engineered mesh", "Recycled knit", "Breathable mesh"),
             ("responsive foam midsole", "{drop} mm heel-to-toe drop", "weighs {grams} g", "breathable engineered mesh upper",
              "reflective details for early runs", "durable rubber outsole", "built for daily training miles")),
    Category("Shoes > Trail Running Shoes", "Trail Running Shoe", "shoes", "187", (90, 190), "shoes", ADULT, 7,
             ("Ripstop mesh", "Synthetic overlay mesh"),
             ("sticky lugged outsole for loose terrain", "rock plate under the forefoot", "{drop} mm drop",
              "waterproof Gore-Tex membrane", "gusseted tongue keeps debris out")),
    Category("Shoes > Sneakers", "Sneaker", "shoes", "187", (45, 140), "shoes", ALL_AGES, 12,
             ("Canvas", "Full-grain leather", "Suede"),
             ("cushioned footbed for all-day comfort", "vulcanised rubber sole", "classic low-top silhouette",
              "padded collar", "easy to clean upper")),
    Category("Shoes > Hiking Boots", "Hiking Boot", "shoes", "187", (110, 260), "shoes", ADULT + (("male", "kids"), ("female", "kids")), 7,
             ("Full-grain leather", "Nubuck leather", "Synthetic mesh"),
             ("waterproof Gore-Tex membrane", "Vibram outsole with deep lugs", "supportive mid-cut ankle",
              "water-resistant DWR-treated upper", "not waterproof: built for dry summer trails")),
    Category("Shoes > Boots", "Boot", "shoes", "187", (80, 240), "shoes", ADULT, 6,
             ("Full-grain leather", "Suede", "Waxed leather"),
             ("Goodyear welt construction", "side zip for easy on and off", "cushioned insole", "water-resistant finish")),
    Category("Shoes > Sandals", "Sandal", "shoes", "187", (25, 110), "shoes", ALL_AGES, 6,
             ("Recycled webbing", "Leather", "EVA foam"),
             ("adjustable straps", "contoured footbed", "quick-drying materials", "grippy outsole for wet rocks")),
    Category("Shoes > Dress Shoes", "Oxford", "shoes", "187", (90, 260), "shoes", ADULT, 4,
             ("Full-grain leather", "Patent leather"),
             ("leather lining", "Blake-stitched sole", "cushioned heel", "polished toe cap")),
    Category("Clothing > Jackets > Rain Jackets", "Rain Jacket", "clothing", "5598", (70, 320), "letters", ALL_AGES, 8,
             ("Recycled polyester", "Nylon ripstop", "3-layer shell"),
             ("fully waterproof 2.5-layer shell with taped seams", "packs into its own pocket",
              "adjustable hood with brim", "pit zips for ventilation", "water-resistant DWR finish, not fully waterproof")),
    Category("Clothing > Jackets > Down Jackets", "Down Jacket", "clothing", "5598", (120, 400), "letters", ALL_AGES, 6,
             ("700-fill down", "800-fill down", "Recycled synthetic insulation"),
             ("700-fill responsibly sourced down", "baffled construction keeps warmth even",
              "water-resistant shell", "zippered hand pockets", "packable into a stuff sack")),
    Category("Clothing > Jackets > Fleece Jackets", "Fleece Jacket", "clothing", "5598", (45, 150), "letters", ALL_AGES, 5,
             ("Recycled polyester fleece", "Grid fleece"),
             ("soft brushed interior", "full-length zip", "stretch binding at the cuffs", "breathable for active days")),
    Category("Clothing > T-Shirts", "T-Shirt", "clothing", "1604", (12, 45), "letters", ALL_AGES, 12,
             ("100% cotton", "Organic cotton", "Cotton-modal blend", "Merino wool blend"),
             ("soft jersey knit", "relaxed fit", "tagless neck label", "pre-shrunk", "moisture-wicking fabric")),
    Category("Clothing > Hoodies", "Hoodie", "clothing", "1604", (35, 110), "letters", ALL_AGES, 8,
             ("Cotton fleece", "French terry", "Recycled polyester blend"),
             ("brushed inside for warmth", "kangaroo pocket", "ribbed cuffs and hem", "lined hood with drawcord")),
    Category("Clothing > Jeans", "Jeans", "clothing", "1604", (40, 160), "waist", ADULT, 7,
             ("Stretch denim", "Rigid selvedge denim", "Organic cotton denim"),
             ("five-pocket styling", "slim taper fit", "2% elastane for stretch", "button fly", "mid rise")),
    Category("Clothing > Dresses", "Dress", "clothing", "1604", (35, 180), "letters", (("female", "adult"), ("female", "kids")), 7,
             ("Viscose", "Linen blend", "Cotton poplin"),
             ("midi length", "adjustable waist tie", "side pockets", "fully lined", "wrinkle-resistant fabric")),
    Category("Clothing > Leggings", "Leggings", "clothing", "5322", (25, 110), "letters", (("female", "adult"), ("female", "kids")), 6,
             ("Nylon-spandex blend", "Recycled polyester"),
             ("high-rise waistband", "squat-proof fabric", "hidden waistband pocket", "four-way stretch")),
    Category("Clothing > Shorts", "Shorts", "clothing", "5322", (20, 80), "letters", ALL_AGES, 6,
             ("Quick-dry nylon", "Cotton twill"),
             ("7-inch inseam", "built-in liner", "zip pocket", "elastic waistband with drawcord")),
    Category("Clothing > Socks", "Socks", "clothing", "209", (8, 25), "socks", ALL_AGES, 6,
             ("Merino wool blend", "Cotton blend", "Recycled nylon"),
             ("cushioned footbed", "arch support band", "seamless toe", "3-pack")),
    Category("Accessories > Backpacks", "Backpack", "accessories", "100", (35, 220), "one", (("unisex", "adult"), ("unisex", "kids")), 7,
             ("Recycled nylon", "Waxed canvas", "Ripstop polyester"),
             ("padded 15-inch laptop sleeve", "water-resistant base", "24 litre capacity", "ventilated back panel",
              "lifetime warranty")),
    Category("Accessories > Hats", "Hat", "accessories", "173", (15, 60), "hats", (("unisex", "adult"), ("unisex", "kids")), 5,
             ("Wool blend", "Cotton twill", "Recycled polyester"),
             ("adjustable strap", "UPF 50 sun protection", "moisture-wicking sweatband", "packable brim")),
    Category("Accessories > Watches", "Watch", "accessories", "201", (40, 400), "one", ADULT + (("unisex", "adult"),), 5,
             ("Stainless steel", "Titanium", "Silicone"),
             ("water resistant to 100 m", "sapphire crystal", "solar-powered movement", "interchangeable strap")),
    Category("Accessories > Sunglasses", "Sunglasses", "accessories", "178", (30, 220), "one", (("unisex", "adult"),), 4,
             ("Acetate", "Metal", "Recycled plastic"),
             ("polarised lenses", "100% UV protection", "lightweight frame", "comes with a hard case")),
    Category("Accessories > Belts", "Belt", "accessories", "169", (25, 90), "belts", (("male", "adult"), ("female", "adult")), 4,
             ("Full-grain leather", "Woven elastic"),
             ("solid brass buckle", "vegetable-tanned leather", "stretch webbing")),
]
SIZE_SETS = {
    ("shoes", "male", "adult"): [str(s) for s in (7, 7.5, 8, 8.5, 9, 9.5, 10, 10.5, 11, 11.5, 12, 13, 14, 15)],
    ("shoes", "female", "adult"): [str(s) for s in (5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10, 11)],
    ("shoes", "unisex", "adult"): [str(s) for s in (6, 7, 8, 9, 10, 11, 12)],
    ("shoes", "kids"): ["1", "1.5", "2", "2.5", "3", "3.5", "4", "5", "6"],
    ("shoes", "toddler"): ["5", "6", "7", "8", "9", "10"],
    ("letters",): ["XS", "S", "M", "L", "XL", "XXL"],
    ("waist",): [f"{w}x{i}" for w in range(28, 39, 2) for i in (30, 32, 34)],
    ("socks",): ["S", "M", "L"],
    ("hats",): ["S/M", "L/XL"],
    ("belts",): [str(w) for w in range(30, 43, 2)],
    ("one",): ["One Size"],
}
EXTENDED_SIZES = {"14", "15", "XXL", "38x30", "38x32", "38x34"}
GENDER_WORDS = {("male", "adult"): "Men's", ("female", "adult"): "Women's", ("unisex", "adult"): "Unisex",
                ("male", "kids"): "Boys'", ("female", "kids"): "Girls'", ("unisex", "kids"): "Kids'",
                ("unisex", "toddler"): "Toddler"}


def sizes_for(category: Category, gender: str, age: str) -> list[str]:
    if category.sizes == "shoes":
        key = ("shoes", gender, age) if age == "adult" else ("shoes", age)
        return SIZE_SETS[key]
    return SIZE_SETS[(category.sizes,)]


def gtin13(number: int) -> str:
    digits = f"{number:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def price_text(amount: float) -> str:
    return f"{amount:.2f} USD"


def realistic_price(rng: random.Random, low: int, high: int) -> float:
    base = rng.randint(low, high)
    return float(base) - rng.choice((0.01, 0.05, 0.0, 0.01))


def product_rows(rng: random.Random, number: int, category: Category, used_titles: set[str], gtin_start: int):
    gender, age = rng.choice(category.genders)
    brand = rng.choice(BRANDS[category.department])
    for _ in range(20):
        model = rng.choice(MODEL_WORDS) + rng.choice(MODEL_SUFFIXES)
        title = f"{brand} {GENDER_WORDS[(gender, age)]} {model} {category.noun}"
        if title not in used_titles:
            break
    used_titles.add(title)
    group = f"G-{number:05d}"
    code = "".join(w[0] for w in brand.replace("&", "").split())[:2].upper() + f"{number:05d}"
    features = rng.sample(category.features, k=min(len(category.features), rng.randint(2, 4)))
    grams, drop = rng.randint(180, 420), rng.choice((4, 6, 8, 10, 12))
    material = rng.choice(category.materials)
    description = f"The {model.strip()} {category.noun.lower()} from {brand}. " + " ".join(
        f.format(grams=grams, drop=drop)[0].upper() + f.format(grams=grams, drop=drop)[1:] + "." for f in features
    ) + f" Made with {material.lower()}."
    price = realistic_price(rng, *category.prices)
    sale = round(price * rng.choice((0.7, 0.75, 0.8, 0.85)), 2) - 0.01 if rng.random() < 0.2 else None
    rating = round(min(5.0, max(2.8, rng.gauss(4.35, 0.35))), 1)
    reviews = int(rng.paretovariate(1.2) * 8) % 2500
    pattern = rng.choices(("Solid", "Striped", "Camo", "Heathered", "Graphic"), (70, 8, 4, 10, 8))[0]
    families = rng.sample(sorted(COLOURS), k=rng.choice((1, 1, 2, 2, 3)))
    sizes = sizes_for(category, gender, age)
    slug = category.path.split(" > ")[-1].lower().replace(" ", "-")
    handle = title.lower().replace("'", "").replace("&", "and").replace(" ", "-")
    rows, gtin = [], gtin_start
    for family in families:
        colour = rng.choice(COLOURS[family])
        # Real shops rarely carry every size in every colour: long size runs are thinned.
        keep = 1.0 if len(sizes) <= 3 else 0.8 if len(sizes) <= 8 else 0.45
        kept = [s for s in sizes if rng.random() < keep]
        for size in kept or sizes[:1]:
            gtin += 1
            size_code = size.replace(".", "").replace("/", "").replace(" ", "").upper()
            item_id = f"{code}-{COLOUR_CODES[family]}-{size_code}"
            quantity = 0 if rng.random() < 0.15 else rng.randint(1, 40)
            extra = 5.0 if size in EXTENDED_SIZES else 0.0
            rows.append({
                "id": item_id, "item_group_id": group, "title": title, "description": description,
                "link": f"https://shop.omnishop.example/products/{handle}?variant={item_id}",
                "image_link": f"/demo-images/{slug}-{family}.svg", "price": price_text(price + extra),
                "sale_price": price_text(sale + extra) if sale else "",
                "availability": "in_stock" if quantity else "out_of_stock", "quantity": str(quantity),
                "brand": brand, "color": colour, "size": size, "size_system": "US", "gender": gender,
                "age_group": age, "product_type": category.path, "google_product_category": category.google_category,
                "gtin": gtin13(gtin), "mpn": f"{code}-{size_code}-{COLOUR_CODES[family]}", "material": material,
                "pattern": pattern, "product_rating": f"{rating:.1f}", "product_review_count": str(reviews),
            })
    return rows, gtin


def generate(out: Path, seed: int = 7, products: int = 2200) -> tuple[int, int]:
    rng = random.Random(seed)
    weights = [c.weight for c in CATEGORIES]
    used_titles: set[str] = set()
    gtin = 400_000_000_000 + seed * 1_000_000
    count = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for number in range(1, products + 1):
            # Every category appears at least once, then by weight.
            category = CATEGORIES[number - 1] if number <= len(CATEGORIES) else rng.choices(CATEGORIES, weights)[0]
            rows, gtin = product_rows(rng, number, category, used_titles, gtin)
            for row in rows:
                handle.write("\t".join(row[c] for c in COLUMNS) + "\n")
            count += len(rows)
    return products, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog_index.demo_feed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, required=True, help="where to write the TSV feed")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--products", type=int, default=2200, help="number of products (item groups)")
    args = parser.parse_args(argv)
    products, rows = generate(args.out, args.seed, args.products)
    print(f"wrote {args.out}: {products} products, {rows} variants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
