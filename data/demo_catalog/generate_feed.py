"""Generate the demo catalog: a realistic Google Merchant Center TSV feed, reproducibly.

    python -m data.demo_catalog.generate_feed --out data/demo_catalog/merchant_feed.tsv [--seed 7] [--products 2200]

Why generated: the demo and the tests need a catalog large and messy enough to exercise search,
filters and dialogue (thousands of products, partial size runs, sold-out variants, sales,
retailer colour names such as "Midnight Navy"), yet free of any licence or trademark. Same seed
and arguments give a byte-identical file. All brands are fictional; the output is CC0.

One row is one variant (a GMC "item"); the variants of a product share `item_group_id`.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

COLUMNS = ("id", "item_group_id", "title", "description", "link", "image_link", "price", "sale_price",
           "availability", "quantity", "brand", "color", "size", "size_system", "gender", "age_group",
           "product_type", "google_product_category", "gtin", "mpn", "material", "pattern", "product_rating",
           "product_review_count")
SHOP_URL = "https://shop.omnishop.example/products/"

# -- colours -------------------------------------------------------------------------------
# Retailer colour name -> (family used in image names, 3-letter code used in SKUs). Every name
# contains a plain colour word, so a normaliser can map it back to its family.
COLOURS = {
    "Black": ("black", "BLK"), "Triple Black": ("black", "TBK"), "Jet Black": ("black", "JBK"),
    "Matte Black": ("black", "MBK"), "Washed Black": ("black", "WBK"),
    "White": ("white", "WHT"), "Cloud White": ("white", "CWH"), "Optic White": ("white", "OWH"),
    "Charcoal": ("grey", "CHR"), "Charcoal Heather": ("grey", "CHH"), "Heather Gray": ("grey", "HGY"),
    "Slate Grey": ("grey", "SGY"), "Stone Grey": ("grey", "STG"), "Silver": ("grey", "SLV"),
    "Gunmetal Grey": ("grey", "GMG"),
    "Navy": ("blue", "NVY"), "Midnight Navy": ("blue", "MNV"), "Cobalt Blue": ("blue", "CBL"),
    "Royal Blue": ("blue", "RBL"), "Sky Blue": ("blue", "SKB"), "Ocean Teal": ("blue", "OTL"),
    "Turquoise": ("blue", "TRQ"), "Dark Wash Blue": ("blue", "DWB"), "Medium Wash Blue": ("blue", "MWB"),
    "Light Wash Blue": ("blue", "LWB"),
    "Crimson Red": ("red", "CRR"), "Cherry Red": ("red", "CHY"), "Burgundy": ("red", "BRG"),
    "Maroon": ("red", "MRN"),
    "Olive": ("green", "OLV"), "Olive Drab": ("green", "OLD"), "Khaki": ("green", "KHK"),
    "Forest Green": ("green", "FGN"), "Sage Green": ("green", "SGN"), "Volt Green": ("green", "VGN"),
    "Mustard": ("yellow", "MUS"), "Lemon Yellow": ("yellow", "LYW"),
    "Coral": ("orange", "CRL"), "Blaze Orange": ("orange", "BOR"), "Burnt Orange": ("orange", "BNO"),
    "Blush Pink": ("pink", "BPK"), "Hot Pink": ("pink", "HPK"),
    "Lavender": ("purple", "LAV"), "Plum Purple": ("purple", "PPL"),
    "Tan": ("brown", "TAN"), "Sand": ("brown", "SND"), "Cognac Brown": ("brown", "COG"),
    "Chocolate Brown": ("brown", "CHB"), "Tortoise Brown": ("brown", "TRT"),
    "Sand Beige": ("beige", "SBG"), "Cream": ("beige", "CRM"), "Ivory": ("beige", "IVR"),
    "Gold": ("gold", "GLD"), "Rose Gold": ("gold", "RGD"),
    "Multicolor Stripe": ("multicolor", "MST"), "Multicolor Print": ("multicolor", "MPR"),
}
# Palettes, most common colours first (earlier colours are picked more often).
PALETTES = {
    "performance": ("Triple Black", "Cloud White", "Midnight Navy", "Slate Grey", "Cobalt Blue", "Volt Green",
                    "Crimson Red", "Blaze Orange", "Hot Pink", "Ocean Teal", "Lavender", "Coral"),
    "outdoor": ("Black", "Olive Drab", "Slate Grey", "Midnight Navy", "Forest Green", "Tan", "Blaze Orange",
                "Khaki", "Burgundy", "Mustard", "Sand Beige", "Turquoise"),
    "leather": ("Black", "Cognac Brown", "Chocolate Brown", "Tan", "Burgundy", "Sand"),
    "casual": ("Black", "White", "Heather Gray", "Navy", "Charcoal Heather", "Olive", "Burgundy", "Sand Beige",
               "Sky Blue", "Cream", "Forest Green", "Mustard", "Coral", "Royal Blue", "Multicolor Stripe"),
    "denim": ("Dark Wash Blue", "Medium Wash Blue", "Light Wash Blue", "Washed Black", "Stone Grey"),
    "dress": ("Black", "Navy", "Burgundy", "Sage Green", "Blush Pink", "Multicolor Print", "Ivory", "Cherry Red",
              "Lavender", "Royal Blue", "Coral", "Mustard"),
    "active": ("Black", "Charcoal Heather", "Midnight Navy", "Plum Purple", "Olive", "Blush Pink", "Ocean Teal",
               "Multicolor Print", "Maroon"),
    "socks": ("White", "Black", "Heather Gray", "Navy", "Multicolor Stripe", "Charcoal"),
    "bags": ("Black", "Charcoal", "Navy", "Olive Drab", "Sand Beige", "Burgundy", "Forest Green", "Mustard",
             "Multicolor Print"),
    "hats": ("Black", "Navy", "Khaki", "Heather Gray", "Olive", "Cream", "Burgundy", "Blaze Orange", "Cloud White"),
    "watches": ("Black", "Silver", "Gold", "Rose Gold", "Gunmetal Grey", "Navy", "Cognac Brown", "Olive"),
    "eyewear": ("Matte Black", "Tortoise Brown", "Gold", "Gunmetal Grey", "Silver", "Navy", "Crimson Red"),
    "belts": ("Black", "Cognac Brown", "Chocolate Brown", "Tan", "Navy", "Olive"),
}

# -- audiences and sizes -------------------------------------------------------------------
MEN, WOMEN, UNISEX = ("male", "adult"), ("female", "adult"), ("unisex", "adult")
BOYS, GIRLS, KIDS, TODDLER = ("male", "kids"), ("female", "kids"), ("unisex", "kids"), ("unisex", "toddler")
AUDIENCE_WORDS = {MEN: "Men's", WOMEN: "Women's", UNISEX: "Unisex", BOYS: "Boys'", GIRLS: "Girls'",
                  KIDS: "Kids'", TODDLER: "Toddler"}


def half_sizes(low: float, high: float) -> tuple[str, ...]:
    """US shoe sizes from low to high in half steps, written "10.5" / "11"."""
    return tuple(f"{n / 2:g}" for n in range(int(low * 2), int(high * 2) + 1))


SHOE_SIZES = {"men": half_sizes(7, 12) + ("13",), "women": half_sizes(5, 10.5) + ("11",),
              "youth": half_sizes(1, 6), "toddler": half_sizes(5, 10)}
LETTER_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
KIDS_LETTER_SIZES = ("XS", "S", "M", "L", "XL")
JEANS_SIZES = tuple(f"{waist}x{inseam}" for waist in range(28, 41, 2) for inseam in (30, 32, 34))
SOCK_SIZES = ("S", "M", "L")
BELT_SIZES = tuple(str(waist) for waist in range(30, 43, 2))
FITTED_HAT_SIZES = ("S/M", "L/XL")
FITTED_HATS = {"Baseball Cap", "Bucket Hat", "Sun Hat"}  # the others are one size
ONE_SIZE = ("One Size",)
# Extended sizes: in some products they cost a few dollars more.
SURCHARGED_SIZES = {"14", "15", "XXL", "XXXL", "40x30", "40x32", "40x34"}
KIDS_PRICE_FACTOR = 0.6  # kids' and toddler products cost less than the adult range
# Share of sizes kept for a product's first colour and for its other colours: real shops
# rarely carry every size in every colour.
SIZE_KEEP = {"shoes": (0.5, 0.3), "letters": (0.75, 0.45), "jeans": (0.3, 0.15), "socks": (1.0, 0.8),
             "belts": (0.6, 0.35), "hats": (1.0, 1.0), "one": (1.0, 1.0)}

# -- brands ----------------------------------------------------------------------------------
# name -> (SKU code, categories it sells, by product_type slug). All fictional.
BRANDS = {
    "Stridewell": ("SW", ("running-shoes", "trail-running-shoes", "shorts", "socks")),
    "Loftstride": ("LF", ("running-shoes", "sneakers", "t-shirts")),
    "Pacefield": ("PF", ("running-shoes", "leggings", "shorts")),
    "Velo Run": ("VR", ("running-shoes", "trail-running-shoes", "hats")),
    "Kestrel Outdoor": ("KO", ("trail-running-shoes", "hiking-boots", "rain-jackets", "fleece-jackets", "backpacks")),
    "Redwood Trail": ("RT", ("hiking-boots", "boots", "socks")),
    "Summit & Sole": ("SS", ("hiking-boots", "trail-running-shoes", "sandals")),
    "Ironbark": ("IB", ("boots", "belts", "jeans")),
    "Tidewater": ("TW", ("sandals", "shorts", "hats", "sunglasses")),
    "Fernhill": ("FH", ("sneakers", "sandals", "running-shoes")),
    "Hollis & Grey": ("HG", ("dress-shoes", "belts", "watches")),
    "Ashford Row": ("AR", ("dress-shoes", "boots")),
    "Canvas Lane": ("CL", ("sneakers", "backpacks", "hats")),
    "Miller's Mercantile": ("MM", ("boots", "belts", "hats", "jeans")),
    "Urban Thread": ("UT", ("t-shirts", "hoodies", "jeans", "hats")),
    "Northpeak": ("NP", ("down-jackets", "rain-jackets", "fleece-jackets", "hats", "backpacks")),
    "Glacier Line": ("GL", ("down-jackets", "fleece-jackets")),
    "Stormcrest": ("SC", ("rain-jackets", "down-jackets", "boots")),
    "Rose & Finch": ("RF", ("dresses", "t-shirts", "sunglasses")),
    "Harbor Lane": ("HL", ("dresses", "t-shirts", "shorts")),
    "Loomcraft": ("LC", ("t-shirts", "hoodies", "socks")),
    "Maple & Moss": ("MA", ("dresses", "fleece-jackets", "hoodies")),
    "Brightwell": ("BW", ("t-shirts", "leggings", "hoodies")),
    "Copper Canyon": ("CC", ("jeans", "belts", "hats")),
    "Driftwood Co.": ("DC", ("t-shirts", "shorts", "sandals")),
    "Indigo Mill": ("IM", ("jeans", "t-shirts")),
    "Lumen Active": ("LA", ("leggings", "shorts", "t-shirts")),
    "Corestretch": ("CS", ("leggings", "shorts")),
    "Highline Apparel": ("HA", ("hoodies", "t-shirts", "sneakers")),
    "Woolhaven": ("WH", ("socks", "hats", "fleece-jackets")),
    "Cinder & Ash": ("CA", ("hoodies", "t-shirts", "jeans")),
    "Otterbay": ("OB", ("rain-jackets", "sneakers", "sandals")),
    "Ridgeback Supply": ("RS", ("backpacks", "belts", "hats")),
    "Atlas Pack": ("AP", ("backpacks",)),
    "Roamwell Goods": ("RG", ("backpacks", "belts")),
    "Larkspur & Co.": ("LK", ("watches",)),
    "Tickwood": ("TK", ("watches", "sunglasses")),
    "Marlow Time": ("MT", ("watches",)),
    "Sunward": ("SU", ("sunglasses", "hats")),
    "Clearview Optics": ("CV", ("sunglasses",)),
    "Brass Buckle": ("BB", ("belts",)),
}

# -- model names -----------------------------------------------------------------------------
MODEL_WORDS = ("Tempo", "Cloudline", "Summit", "Ridge", "Drift", "Horizon", "Aspen", "Cascade", "Vista", "Pulse",
               "Boulder", "Meridian", "Harbor", "Solstice", "Canyon", "Breeze", "Everyday", "Alpine", "Coastal",
               "Ember", "Juniper", "Pioneer", "Voyager", "Frost", "Zephyr", "Ashbury", "Beacon", "Cedar", "Dune",
               "Falcon", "Granite", "Halcyon", "Ironwood", "Kinetic", "Lumen", "Mesa", "Nova", "Orbit", "Prism",
               "Quarry", "Rally", "Sable", "Tundra", "Vector", "Willow", "Yarrow", "Zenith", "Bristol", "Cove",
               "Delta", "Echo", "Flint", "Grove", "Haven", "Jetty", "Keystone", "Lark", "Monarch", "Northwind",
               "Outpost", "Pinnacle", "Quill", "Redstone", "Sierra", "Timber", "Upland", "Valor")
COLOUR_COUNTS = ((1, 45), (2, 33), (3, 15), (4, 7))  # (colours per product, weight)
MODEL_SUFFIXES = {"shoes": ("", "", "", " 2", " 3", " 4", " 5", " Pro", " Lite", " Max"),
                  "clothing": ("", "", "", "", "", " Pro", " Lite", " 2", " Elite"),
                  "accessories": ("", "", "", " II", " Pro", " Lite")}


@dataclass(frozen=True)
class Category:
    path: str                   # product_type
    department: str             # shoes / clothing / accessories (model suffixes)
    google_category: str
    weight: int                 # relative number of products
    audiences: tuple[tuple[tuple[str, str], int], ...]  # ((gender, age_group), weight)
    sizes: str                  # a key of SIZE_KEEP
    prices: tuple[int, int]     # whole dollars, low and high
    palette: str
    nouns: tuple[str, ...]      # the product noun ending the title
    styles: tuple[str, ...]     # optional second word of a model name
    materials: tuple[str, ...]
    patterns: tuple[tuple[str, int], ...]
    intros: tuple[str, ...]     # first sentence; {model} and {noun} are filled in
    features: tuple[str, ...]   # may use the placeholders in `numbers`
    numbers: tuple[tuple[str, tuple[int, ...]], ...] = ()
    water: tuple[str, ...] = ()  # waterproofness statements; those naming Gore-Tex go with "GTX" models

    @property
    def slug(self) -> str:
        return self.path.split(" > ")[-1].lower().replace(" ", "-")


SOLID = (("Solid", 1),)
SHOE_PATTERNS = (("Solid", 90), ("Camo", 4), ("Graphic", 6))
EVERY_AGE = ((MEN, 34), (WOMEN, 34), (UNISEX, 4), (BOYS, 10), (GIRLS, 10), (KIDS, 4), (TODDLER, 4))
SHOE_WATER = ("Waterproof Gore-Tex membrane keeps your feet dry through puddles and stream crossings.",
              "Water-resistant DWR-treated upper sheds light rain and dew.",
              "Not waterproof: the open mesh is built to breathe on dry summer trails.")

CATEGORIES = (
    Category("Shoes > Running Shoes", "shoes", "187", 170, EVERY_AGE, "shoes", (60, 180), "performance",
             ("Running Shoe",), ("Runner", "Trainer", "Racer", "Road", "Cushion"),
             ("Engineered mesh", "Recycled knit", "Breathable mesh"), SHOE_PATTERNS,
             ("The {model} is a cushioned daily trainer for easy and long runs.",
              "The {model} is a light, responsive {noun} for tempo days and race day.",
              "Built for everyday miles, the {model} balances softness and stability."),
             ("Nitrogen-infused foam midsole with a {drop} mm heel-to-toe drop.",
              "Weighs {grams} g per shoe.", "Breathable engineered mesh upper with a padded tongue.",
              "Reflective details for early-morning and evening runs.",
              "Durable carbon rubber outsole where you strike most.",
              "Not waterproof: the mesh upper is made to breathe."),
             (("drop", (4, 6, 8, 10, 12)), ("grams", tuple(range(200, 321, 5))))),
    Category("Shoes > Trail Running Shoes", "shoes", "187", 80, ((MEN, 50), (WOMEN, 45), (UNISEX, 5)), "shoes",
             (90, 190), "outdoor", ("Trail Running Shoe",), ("Trail", "Terrain", "Scramble", "Traverse"),
             ("Ripstop mesh", "Synthetic overlay mesh", "Recycled polyester mesh"), SHOE_PATTERNS,
             ("The {model} is made for technical singletrack and muddy descents.",
              "Grip and protection for long days off-road: meet the {model}."),
             ("Sticky rubber outsole with {lugs} mm lugs for loose terrain.", "Rock plate under the forefoot.",
              "{drop} mm drop and a stable, wide platform.", "Gusseted tongue keeps grit and debris out.",
              "Weighs {grams} g per shoe."),
             (("drop", (4, 6, 8)), ("lugs", (4, 5, 6)), ("grams", tuple(range(260, 361, 5)))), SHOE_WATER),
    Category("Shoes > Sneakers", "shoes", "187", 150,
             ((MEN, 28), (WOMEN, 28), (UNISEX, 14), (BOYS, 10), (GIRLS, 10), (KIDS, 6), (TODDLER, 4)),
             "shoes", (45, 140), "casual", ("Sneaker",), ("Court", "Low", "High", "Classic", "Slip-On", "Skate"),
             ("Canvas", "Full-grain leather", "Suede", "Recycled knit"), SHOE_PATTERNS,
             ("The {model} is a clean, everyday {noun} that goes with everything.",
              "A modern take on a classic court silhouette, the {model} is built for all-day wear."),
             ("Cushioned footbed for all-day comfort.", "Vulcanised rubber cupsole with a grippy tread.",
              "Padded collar and tongue.", "Easy-to-clean upper.", "Removable insole.")),
    Category("Shoes > Hiking Boots", "shoes", "187", 80, ((MEN, 45), (WOMEN, 40), (BOYS, 8), (GIRLS, 7)),
             "shoes", (110, 260), "outdoor", ("Hiking Boot",), ("Mid", "Hiker", "Trek", "Backpacker"),
             ("Full-grain leather", "Nubuck leather", "Synthetic mesh and suede"), SOLID,
             ("The {model} is a supportive {noun} for multi-day trips with a loaded pack.",
              "From day hikes to rocky passes, the {model} keeps you sure-footed."),
             ("Vibram outsole with deep {lugs} mm lugs.", "Supportive mid-cut ankle collar.",
              "Protective rubber toe cap.", "Weighs {grams} g per boot.", "Dual-density EVA midsole."),
             (("lugs", (4, 5, 6)), ("grams", tuple(range(450, 721, 10)))), SHOE_WATER),
    Category("Shoes > Boots", "shoes", "187", 70, ((MEN, 50), (WOMEN, 50)), "shoes", (80, 240), "leather",
             ("Chelsea Boot", "Chukka Boot", "Work Boot", "Winter Boot", "Lace-Up Boot"), (),
             ("Full-grain leather", "Suede", "Waxed leather"), SOLID,
             ("The {model} {noun} is made to be worn in and kept for years.",
              "A rugged, good-looking {noun} that works from the job site to dinner."),
             ("Goodyear welt construction that can be resoled.", "Cushioned leather-lined insole.",
              "Slip-resistant rubber lug sole.", "Side pull tab for easy on and off."),
             (), ("Waterproof leather with a Gore-Tex bootie.",
                  "Water-resistant finish; not fully waterproof.")),
    Category("Shoes > Sandals", "shoes", "187", 70,
             ((MEN, 25), (WOMEN, 35), (UNISEX, 10), (BOYS, 10), (GIRLS, 10), (KIDS, 5), (TODDLER, 5)), "shoes",
             (25, 110), "outdoor", ("Sandal",), ("Slide", "Strap", "Sport", "Flip"),
             ("Recycled webbing", "Leather", "EVA foam"), (("Solid", 85), ("Striped", 10), ("Graphic", 5)),
             ("The {model} is a comfortable {noun} for beach days and summer errands.",
              "Built for rivers, trails and town, the {model} dries fast and grips well."),
             ("Adjustable hook-and-loop straps.", "Contoured footbed with arch support.",
              "Quick-drying materials.", "Grippy rubber outsole for wet rocks.")),
    Category("Shoes > Dress Shoes", "shoes", "187", 50, ((MEN, 65), (WOMEN, 35)), "shoes", (90, 260), "leather",
             ("Oxford", "Derby", "Loafer", "Cap-Toe Oxford", "Penny Loafer"), (),
             ("Full-grain leather", "Patent leather", "Suede"), SOLID,
             ("The {model} {noun} is a polished classic for the office and weddings.",
              "Sharp enough for a suit, comfortable enough for a long day: the {model} {noun}."),
             ("Full leather lining.", "Blake-stitched leather sole with a rubber heel.", "Cushioned heel cup.",
              "Hand-burnished toe.")),
    Category("Clothing > Jackets > Rain Jackets", "clothing", "5598", 80,
             ((MEN, 35), (WOMEN, 35), (UNISEX, 5), (BOYS, 10), (GIRLS, 10), (KIDS, 5)), "letters", (70, 320),
             "outdoor", ("Rain Jacket",), ("Shell", "Storm", "Packable", "Stretch"),
             ("Recycled polyester", "Nylon ripstop", "3-layer recycled nylon"), SOLID,
             ("The {model} {noun} keeps you dry on wet commutes and stormy hikes.",
              "Light and packable, the {model} is the {noun} to leave in your bag."),
             ("Packs into its own chest pocket.", "Adjustable hood with a laminated brim.",
              "Pit zips for ventilation.", "Reflective details on the back and cuffs."),
             (), ("Fully waterproof Gore-Tex 3-layer shell with taped seams.",
                  "Fully waterproof 2.5-layer shell with taped seams.",
                  "Water-resistant DWR finish; not fully waterproof, best for showers.")),
    Category("Clothing > Jackets > Down Jackets", "clothing", "5598", 70,
             ((MEN, 38), (WOMEN, 38), (BOYS, 12), (GIRLS, 12)), "letters", (120, 400), "outdoor",
             ("Down Jacket",), ("Puffer", "Hooded", "Expedition", "Lite"),
             ("700-fill down, nylon shell", "800-fill down, recycled nylon shell", "650-fill down, polyester shell"),
             SOLID,
             ("The {model} {noun} packs serious warmth into a light layer.",
              "Made for cold mornings and winter city days, the {model} is warm without bulk."),
             ("Responsibly sourced down, certified to the Responsible Down Standard.",
              "Baffled construction keeps the insulation evenly spread.", "Zippered hand pockets.",
              "Packs into its own stuff sack.", "Weighs {grams} g in a size M."),
             (("grams", tuple(range(300, 621, 10))),),
             ("Water-resistant DWR finish sheds light snow; not waterproof.",)),
    Category("Clothing > Jackets > Fleece Jackets", "clothing", "5598", 60,
             ((MEN, 35), (WOMEN, 35), (UNISEX, 6), (BOYS, 10), (GIRLS, 10), (KIDS, 4)), "letters", (45, 150),
             "outdoor", ("Fleece Jacket",), ("Grid", "Full-Zip", "Sherpa", "Micro"),
             ("Recycled polyester fleece", "Grid fleece", "Sherpa fleece"), (("Solid", 85), ("Heathered", 15)),
             ("The {model} {noun} is a warm, breathable midlayer for cool days.",
              "Soft and easy to layer, the {model} is the {noun} you will reach for daily."),
             ("Soft brushed interior.", "Full-length zip with a chin guard.", "Stretch binding at the cuffs and hem.",
              "Breathable enough for active days.", "Not waterproof; pair it with a shell in the rain.")),
    Category("Clothing > T-Shirts", "clothing", "1604", 200,
             ((MEN, 35), (WOMEN, 30), (UNISEX, 10), (BOYS, 10), (GIRLS, 10), (KIDS, 5)), "letters", (12, 45),
             "casual", ("T-Shirt",), ("Crew", "V-Neck", "Pocket", "Performance", "Essential"),
             ("100% cotton", "Organic cotton", "Cotton-modal blend", "Merino wool blend", "Recycled polyester"),
             (("Solid", 60), ("Striped", 12), ("Heathered", 12), ("Graphic", 16)),
             ("The {model} {noun} is an everyday essential with a soft hand feel.",
              "A wardrobe staple, the {model} {noun} holds its shape wash after wash."),
             ("Soft single-jersey knit.", "Relaxed fit through the body.", "Tagless neck label.", "Pre-shrunk.",
              "Moisture-wicking and quick-drying.")),
    Category("Clothing > Hoodies", "clothing", "1604", 120,
             ((MEN, 30), (WOMEN, 28), (UNISEX, 18), (BOYS, 10), (GIRLS, 10), (KIDS, 4)), "letters", (35, 110),
             "casual", ("Hoodie",), ("Pullover", "Zip", "Heavyweight", "Lounge", "Tech"),
             ("Cotton fleece", "French terry", "Recycled polyester blend"),
             (("Solid", 65), ("Heathered", 20), ("Graphic", 15)),
             ("The {model} {noun} is cosy, warm and made for weekends.",
              "Heavyweight and soft, the {model} {noun} is built to last."),
             ("Brushed inside for warmth.", "Kangaroo pocket.", "Ribbed cuffs and hem.",
              "Lined hood with a flat drawcord.")),
    Category("Clothing > Jeans", "clothing", "1604", 90, ((MEN, 55), (WOMEN, 45)), "jeans", (40, 160), "denim",
             ("Jeans",), ("Slim Fit", "Straight Fit", "Relaxed Fit", "Skinny", "Bootcut", "Athletic Taper"),
             ("Stretch denim", "Rigid selvedge denim", "Organic cotton denim"), SOLID,
             ("The {model} {noun} are cut from durable denim that softens with wear.",
              "Classic five-pocket {noun} with a modern cut: the {model}."),
             ("Five-pocket styling.", "2% elastane for easy stretch.", "Button fly.", "Mid rise.",
              "Reinforced belt loops.")),
    Category("Clothing > Dresses", "clothing", "1604", 100, ((WOMEN, 80), (GIRLS, 20)), "letters", (35, 180),
             "dress", ("Dress",), ("Wrap", "Midi", "Maxi", "Shirt", "Slip", "Tiered"),
             ("Viscose", "Linen blend", "Cotton poplin", "Recycled polyester crepe"),
             (("Solid", 55), ("Striped", 15), ("Graphic", 30)),
             ("The {model} {noun} is easy to wear from brunch to evening.",
              "Light and flattering, the {model} {noun} is made for warm days."),
             ("Adjustable waist tie.", "Side seam pockets.", "Fully lined.", "Wrinkle-resistant fabric.",
              "Machine washable.")),
    Category("Clothing > Leggings", "clothing", "5322", 80, ((WOMEN, 80), (GIRLS, 20)), "letters", (25, 110),
             "active", ("Leggings",), ("High-Rise", "Cropped", "Pocket", "Studio", "Thermal"),
             ("Nylon-spandex blend", "Recycled polyester", "Brushed polyester"),
             (("Solid", 75), ("Camo", 10), ("Graphic", 15)),
             ("The {model} {noun} move with you from yoga to long runs.",
              "Supportive and soft, the {model} {noun} stay put through every squat."),
             ("High-rise waistband that does not roll.", "Squat-proof fabric.", "Hidden waistband pocket.",
              "Four-way stretch.", "Flatlock seams to prevent chafing.")),
    Category("Clothing > Shorts", "clothing", "5322", 90,
             ((MEN, 40), (WOMEN, 30), (BOYS, 12), (GIRLS, 10), (KIDS, 8)), "letters", (20, 80), "casual",
             ("Shorts",), ("Run", "Trail", "Chino", "Training", "Board"), ("Quick-dry nylon", "Cotton twill",
                                                                          "Recycled polyester"),
             (("Solid", 80), ("Camo", 8), ("Striped", 12)),
             ("The {model} {noun} are light and quick-drying for hot days.",
              "Made for training and summer weekends, the {model} {noun} do it all."),
             ("{inseam}-inch inseam.", "Built-in brief liner.", "Zip back pocket for keys.",
              "Elastic waistband with a drawcord."),
             (("inseam", (5, 7, 9)),)),
    Category("Clothing > Socks", "clothing", "209", 70,
             ((MEN, 20), (WOMEN, 20), (UNISEX, 40), (KIDS, 12), (TODDLER, 8)), "socks", (8, 25), "socks",
             ("Socks",), ("Crew", "Quarter", "No-Show", "Hiker", "Ankle"),
             ("Merino wool blend", "Cotton blend", "Recycled nylon blend"),
             (("Solid", 70), ("Striped", 25), ("Graphic", 5)),
             ("The {model} {noun} are cushioned where it counts and breathable everywhere else.",
              "Everyday comfort in a {pack}-pack: the {model} {noun}."),
             ("Cushioned footbed.", "Arch support band.", "Seamless toe.", "Guaranteed for life against holes."),
             (("pack", (1, 3, 6)),)),
    Category("Accessories > Backpacks", "accessories", "100", 70, ((UNISEX, 75), (KIDS, 25)), "one", (35, 220),
             "bags", ("Backpack",), ("Daypack", "Commuter", "Travel", "Roll-Top"),
             ("Recycled nylon", "Waxed canvas", "Ripstop polyester"), (("Solid", 85), ("Camo", 10), ("Graphic", 5)),
             ("The {model} {noun} carries a laptop and a day's kit without fuss.",
              "Organised, light and tough, the {model} is built for commutes and weekends away."),
             ("Padded 15-inch laptop sleeve.", "{litres} litre capacity.", "Ventilated back panel.",
              "Water-resistant base.", "Backed by a lifetime warranty."),
             (("litres", (18, 20, 24, 28, 30, 35)),)),
    Category("Accessories > Hats", "accessories", "173", 70,
             ((UNISEX, 60), (MEN, 10), (WOMEN, 10), (KIDS, 15), (TODDLER, 5)), "hats", (15, 60), "hats",
             ("Baseball Cap", "Trucker Hat", "Bucket Hat", "Beanie", "Sun Hat"), (),
             ("Wool blend", "Cotton twill", "Recycled polyester"), (("Solid", 80), ("Camo", 8), ("Striped", 12)),
             ("The {model} {noun} finishes any outfit.", "Sun, wind or a bad hair day: the {model} {noun} has you."),
             ("UPF 50 sun protection.", "Moisture-wicking sweatband.", "Packable without losing its shape.",
              "Embroidered logo.")),
    Category("Accessories > Watches", "accessories", "201", 60, ((MEN, 45), (WOMEN, 35), (UNISEX, 20)), "one",
             (40, 400), "watches", ("Field Watch", "Dive Watch", "Chronograph Watch", "Dress Watch"), (),
             ("Stainless steel", "Titanium", "Silicone strap, stainless steel case", "Leather strap, steel case"),
             SOLID,
             ("The {model} {noun} is an everyday watch with a clean, legible dial.",
              "Built to take a knock, the {model} {noun} keeps time on every adventure."),
             ("Water resistant to {depth} m.", "Sapphire crystal.", "Japanese quartz movement.",
              "Quick-release interchangeable strap.", "Backed by a {years}-year warranty."),
             (("depth", (30, 50, 100, 200)), ("years", (2, 3, 5)))),
    Category("Accessories > Sunglasses", "accessories", "178", 50, ((UNISEX, 60), (MEN, 20), (WOMEN, 20)), "one",
             (30, 220), "eyewear", ("Aviator Sunglasses", "Round Sunglasses", "Sport Sunglasses",
                                    "Square Sunglasses"), (),
             ("Acetate", "Metal", "Recycled plastic"), SOLID,
             ("The {model} {noun} pair classic lines with modern lenses.",
              "Light and sharp, the {model} {noun} are made for bright days."),
             ("Polarised lenses.", "100% UV protection.", "Lightweight frame.", "Comes with a hard case."),),
    Category("Accessories > Belts", "accessories", "169", 50, ((MEN, 60), (WOMEN, 40)), "belts", (25, 90), "belts",
             ("Dress Belt", "Casual Belt", "Stretch Belt", "Reversible Belt"), (),
             ("Full-grain leather", "Woven elastic", "Vegetable-tanned leather"), SOLID,
             ("The {model} {noun} is cut from one piece and made to age well.",
              "A hard-wearing {noun} that works with jeans and chinos alike: the {model}."),
             ("Solid brass buckle.", "1.25-inch width.", "Stitched edges.")),
)


# -- small pure helpers ----------------------------------------------------------------------
def gtin13(body: int) -> str:
    """The 12-digit `body` plus its EAN-13 check digit."""
    digits = f"{body:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d} USD"


def shelf_price(rng: random.Random, low: int, high: int) -> int:
    """A price in cents between low and high dollars with a shop-like ending (.99, .95 or .00)."""
    dollars = 5 * rng.randrange(low // 5 + 1, high // 5 + 1)
    return dollars * 100 - rng.choices((1, 5, 0), (65, 15, 20))[0]


def sale_price(rng: random.Random, cents: int) -> int:
    """20-40% off, rounded down to a .99 ending."""
    return (cents * rng.choice((60, 65, 70, 75, 80)) // 10_000) * 100 - 1


def slugify(text: str) -> str:
    text = text.lower().replace("&", "and").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def weighted_pick(rng: random.Random, weighted: Sequence[tuple[object, int]]):
    return rng.choices([item for item, _ in weighted], [weight for _, weight in weighted])[0]


def pick_colours(rng: random.Random, palette: Sequence[str], count: int) -> list[str]:
    """`count` distinct colours, earlier palette entries more likely."""
    remaining = list(palette)
    chosen = []
    for _ in range(min(count, len(remaining))):
        colour = rng.choices(remaining, [1 / (i + 2) for i in range(len(remaining))])[0]
        remaining.remove(colour)
        chosen.append(colour)
    return chosen


def size_run(rng: random.Random, category: Category, audience: tuple[str, str], noun: str) -> tuple[str, ...]:
    """All sizes a product is made in (before dropping size/colour combinations)."""
    gender, age = audience
    if category.sizes == "shoes":
        key = {"toddler": "toddler", "kids": "youth"}.get(age, "women" if gender == "female" else "men")
        sizes = SHOE_SIZES[key]
        if category.slug == "sandals" or (category.slug == "boots" and rng.random() < 0.5):
            sizes = tuple(s for s in sizes if "." not in s)  # whole sizes only
        if key == "men" and rng.random() < 0.35:
            sizes += ("14", "15")
        return sizes
    if category.sizes == "letters":
        if age != "adult":
            return KIDS_LETTER_SIZES
        return LETTER_SIZES + ("XXXL",) if rng.random() < 0.25 else LETTER_SIZES
    if category.sizes == "hats":
        fitted = noun in FITTED_HATS and age == "adult" and rng.random() < 0.5
        return FITTED_HAT_SIZES if fitted else ONE_SIZE
    return {"jeans": JEANS_SIZES, "socks": SOCK_SIZES, "belts": BELT_SIZES, "one": ONE_SIZE}[category.sizes]


def sizes_in_colour(rng: random.Random, sizes: Sequence[str], keep: float) -> list[str]:
    """The sizes carried in one colour; at least the middle one."""
    kept = [size for size in sizes if rng.random() < keep]
    return kept or [sizes[len(sizes) // 2]]


def size_code(size: str) -> str:
    return "OS" if size == "One Size" else re.sub(r"[^0-9A-Z]", "", size.upper())


def model_code(model: str, taken: set[str]) -> str:
    """Initials of the model name ("Tempo Runner 3" -> "TR3"), made unique within a brand."""
    words = model.replace("-", " ").split()
    base = "".join(word[0] for word in words).upper()
    if len(base) < 2:
        base = words[0][:3].upper()
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}{chr(64 + n)}" if n <= 26 else f"{base}{n}"
    taken.add(code)
    return code


def model_name(rng: random.Random, category: Category, taken: set[str]) -> str:
    """A model name not yet used by the brand ("Tempo Runner 3", "Summit Shell", "Ashbury")."""
    suffixes = MODEL_SUFFIXES[category.department]
    if any("Gore-Tex" in statement for statement in category.water):
        suffixes += (" GTX",)
    name = ""
    for _ in range(30):
        style = f" {rng.choice(category.styles)}" if category.styles and rng.random() < 0.75 else ""
        name = rng.choice(MODEL_WORDS) + style + rng.choice(suffixes)
        if name not in taken:
            break
    version = 1
    unique = name
    while unique in taken:  # only in very large feeds: number further generations
        version += 1
        unique = f"{name} {version}"
    taken.add(unique)
    return unique


def describe(rng: random.Random, category: Category, model: str, noun: str, material: str) -> str:
    """2-4 sentences from the category's phrases; "GTX" models get the Gore-Tex statement."""
    values = {name: rng.choice(choices) for name, choices in category.numbers}
    sentences = [rng.choice(category.intros).format(model=model, noun=noun.lower(), **values)]
    if category.water:
        gore_tex = [s for s in category.water if "Gore-Tex" in s]
        others = [s for s in category.water if "Gore-Tex" not in s]
        sentences.append(rng.choice(gore_tex if "GTX" in model.split() or not others else others))
    room = 4 - len(sentences)
    features = rng.sample(category.features, k=min(len(category.features), rng.randint(1, room)))
    sentences += [feature.format(**values) for feature in features]
    if len(sentences) < 4 and rng.random() < 0.4:
        sentences.append(f"Made from {material[0].lower()}{material[1:]}.")
    return " ".join(sentences)


def category_plan(rng: random.Random, products: int) -> list[Category]:
    """Categories for `products` products in proportion to their weights, shuffled."""
    total = sum(category.weight for category in CATEGORIES)
    shares = [products * category.weight / total for category in CATEGORIES]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(CATEGORIES)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:products - sum(counts)]:
        counts[i] += 1
    plan = [category for category, count in zip(CATEGORIES, counts) for _ in range(count)]
    rng.shuffle(plan)
    return plan


# -- products ----------------------------------------------------------------------------------
@dataclass
class BrandState:
    """What a brand has used so far: model names, SKU codes and GTIN item references."""
    index: int
    models: set[str]
    codes: set[str]
    next_item: int = 0


def product_rows(rng: random.Random, number: int, category: Category, brand: str,
                 state: BrandState) -> Iterator[dict[str, str]]:
    """The variant rows of one product."""
    brand_code = BRANDS[brand][0]
    audience = weighted_pick(rng, category.audiences)
    noun = rng.choice(category.nouns)
    model = model_name(rng, category, state.models)
    code = model_code(model, state.codes)
    title = f"{brand} {AUDIENCE_WORDS[audience]} {model} {noun}"
    material = rng.choice(category.materials)
    description = describe(rng, category, model, noun, material)
    pattern = weighted_pick(rng, category.patterns)
    low, high = category.prices
    price = shelf_price(rng, low, high) if audience[1] == "adult" else shelf_price(
        rng, round(low * KIDS_PRICE_FACTOR), round(high * KIDS_PRICE_FACTOR))
    sale = sale_price(rng, price) if rng.random() < 0.2 else None
    surcharge = rng.choice((300, 500, 500, 1000)) if rng.random() < 0.4 else 0
    rating = 2.8 + 2.2 * rng.betavariate(7, 3.5)  # mostly 4.0-4.8
    reviews = min(2500, int(rng.lognormvariate(3.2, 1.5)))
    sizes = size_run(rng, category, audience, noun)
    colours = pick_colours(rng, PALETTES[category.palette], weighted_pick(rng, COLOUR_COUNTS))
    first_keep, other_keep = SIZE_KEEP[category.sizes]
    handle = slugify(title)
    for position, colour in enumerate(colours):
        family, colour_code = COLOURS[colour]
        for size in sizes_in_colour(rng, sizes, first_keep if position == 0 else other_keep):
            item_id = f"{brand_code}-{code}-{colour_code}-{size_code(size)}"
            extra = surcharge if size in SURCHARGED_SIZES else 0
            quantity = 0 if rng.random() < 0.15 else min(40, int(rng.triangular(1, 41, 6)))
            state.next_item += 1
            yield {
                "id": item_id, "item_group_id": f"G-{number:05d}", "title": title, "description": description,
                "link": f"{SHOP_URL}{handle}?variant={item_id}",
                "image_link": f"/demo-images/{category.slug}-{family}.svg",
                "price": money(price + extra), "sale_price": money(sale + extra) if sale else "",
                "availability": "in_stock" if quantity else "out_of_stock", "quantity": str(quantity),
                "brand": brand, "color": colour, "size": size, "size_system": "US", "gender": audience[0],
                "age_group": audience[1], "product_type": category.path,
                "google_product_category": category.google_category,
                # GS1-style: a company prefix per brand ("08" + brand number) and an item reference.
                "gtin": gtin13(8 * 10**10 + state.index * 10**8 + state.next_item),
                "mpn": f"{code}-{size_code(size)}-{colour_code}", "material": material, "pattern": pattern,
                "product_rating": f"{rating:.1f}", "product_review_count": str(reviews),
            }


def generate_rows(seed: int = 7, products: int = 2200) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    states = {brand: BrandState(index, set(), set()) for index, brand in enumerate(BRANDS, start=1)}
    for number, category in enumerate(category_plan(rng, products), start=1):
        brand = rng.choice([name for name, (_, slugs) in BRANDS.items() if category.slug in slugs])
        yield from product_rows(rng, number, category, brand, states[brand])


def generate(out: Path, seed: int = 7, products: int = 2200) -> tuple[int, int]:
    """Write the feed to `out`; returns (products, rows)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for row in generate_rows(seed, products):
            handle.write("\t".join(row[column] for column in COLUMNS) + "\n")
            rows += 1
    return products, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.demo_catalog.generate_feed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("data/demo_catalog/merchant_feed.tsv"),
                        help="where to write the TSV feed (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: %(default)s)")
    parser.add_argument("--products", type=int, default=2200,
                        help="number of products, i.e. item groups (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.products < 1:
        parser.error("--products must be at least 1")
    products, rows = generate(args.out, args.seed, args.products)
    print(f"wrote {args.out}: {products} products, {rows} variants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
