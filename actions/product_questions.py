"""Answer a shopper's question about a product from its catalog record only.

Pure functions over the facts `product_facts` returns, so every answer can be checked in a
table test. When the catalog does not say, the answer says so instead of guessing.
"""
from __future__ import annotations

import re

from actions import services
from contract.money import ShopMoney
from recommender.engine import size_sort_key

# Features with the words that prove them, and weaker words that must not be passed off as them.
FEATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "waterproof": (("waterproof", "gore-tex", "gore tex", "goretex"), ("water-resistant", "water resistant", "dwr")),
    "breathable": (("breathable", "mesh", "ventilat"), ()),
    "insulated": (("insulated", "insulation", "down fill", "primaloft", "fleece-lined"), ()),
    "vegan": (("vegan",), ()),
    "machine washable": (("machine washable", "machine-washable"), ()),
    "reflective": (("reflective",), ()),
    "recycled": (("recycled",), ()),
}
FEATURE_ALIASES = {"water proof": "waterproof", "water-proof": "waterproof", "keep my feet dry": "waterproof",
                   "rain proof": "waterproof", "washable": "machine washable", "warm": "insulated"}
ASKS = {
    "price": re.compile(r"\b(price|cost|how much|expensive)\b"),
    "sizes": re.compile(r"\b(sizes?|fit|in my size)\b"),
    "colours": re.compile(r"\b(colou?rs?|come in)\b"),
    "material": re.compile(r"\b(material|made of|made from|fabric|leather|cotton)\b"),
    "rating": re.compile(r"\b(rating|rated|reviews?|stars?|good)\b"),
}


def sentence_with(text: str, word: str) -> str | None:
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if word in sentence.lower():
            return sentence.strip()
    return None


def prices(facts: dict) -> list[float]:
    """Today's prices of the variants in stock (of all variants when none is)."""
    return sorted({v["price"] for v in facts["in_stock"]}) or sorted({v["price"] for v in facts["variants"]})


def price_text(facts: dict) -> str:
    """"₹1,499.00", or "₹1,299.00 to ₹1,499.00", in the variants' currency and the shop's locale."""
    prices_ = prices(facts)
    variants = facts["in_stock"] or facts["variants"]
    money = ShopMoney.of(variants[0].get("currency") if variants else None, services.settings().shop.locale)
    return money.price(prices_[0]) if len(prices_) == 1 else f"{money.price(prices_[0])} to {money.price(prices_[-1])}"


def sizes_in_stock(facts: dict) -> list[str]:
    return sorted({v["size"] for v in facts["in_stock"] if v["size"] and v["size"] != "ONE SIZE"}, key=size_sort_key)


def colours_in_stock(facts: dict) -> list[str]:
    return sorted({v["color"] for v in facts["in_stock"] if v["color"]})


def feature_answer(facts: dict, feature: str) -> str:
    strong, weak = FEATURES[feature]
    record = " ".join(text if text.endswith((".", "!", "?")) else text + "."
                      for k in ("title", "description", "material", "pattern") if (text := str(facts.get(k) or "").strip()))
    lowered = record.lower()
    for word in strong:
        if word in lowered:
            return f"Yes. The {facts['title']} says: \"{sentence_with(record, word) or word}\""
    for word in weak:
        if word in lowered:
            return (f"The {facts['title']} is described as {weak[0]}, not {feature}: "
                    f"\"{sentence_with(record, word) or word}\"")
    return f"The catalog doesn't say whether the {facts['title']} is {feature}, so I can't promise it."


def answer_question(facts: dict, question: str) -> str | None:
    """A direct answer when the question asks for one fact; None means "show the details"."""
    text = question.lower()
    for alias, feature in FEATURE_ALIASES.items():
        if alias in text:
            return feature_answer(facts, feature)
    for feature in FEATURES:
        if feature in text:
            return feature_answer(facts, feature)
    if ASKS["material"].search(text):
        return f"The {facts['title']} is made of {facts['material'].lower()}." if facts.get("material") \
            else f"The catalog doesn't list the material of the {facts['title']}."
    if ASKS["sizes"].search(text):
        sizes = sizes_in_stock(facts)
        return f"The {facts['title']} is in stock in sizes {', '.join(sizes)}." if sizes \
            else f"The {facts['title']} is one size." if facts["in_stock"] else f"The {facts['title']} is out of stock right now."
    if ASKS["colours"].search(text):
        colours = colours_in_stock(facts)
        return f"The {facts['title']} is in stock in {', '.join(colours)}." if colours \
            else f"The {facts['title']} is out of stock right now."
    if ASKS["price"].search(text):
        return f"The {facts['title']} costs {price_text(facts)}."
    if ASKS["rating"].search(text):
        return (f"Shoppers rate the {facts['title']} {facts['rating']:.1f} out of 5 from {facts['review_count'] or 0} "
                "reviews."
                if facts.get("rating") is not None else f"The {facts['title']} has no ratings yet.")
    return None


def details_text(facts: dict) -> str:
    sizes, colours = sizes_in_stock(facts), colours_in_stock(facts)
    lines = [f"**{facts['title']}** by {facts['brand']}: {price_text(facts)}."]
    if facts["rating"] is not None:
        lines.append(f"Rated {facts['rating']:.1f} out of 5 from {facts['review_count'] or 0} reviews.")
    if facts["material"]:
        lines.append(f"Material: {facts['material']}.")
    lines.append(f"In stock in sizes {', '.join(sizes)}." if sizes else "Currently out of stock." if not facts["in_stock"] else "")
    if colours:
        lines.append(f"Colours: {', '.join(colours)}.")
    lines.append(facts["description"])
    return "\n".join(line for line in lines if line)


def comparison(facts_list: list[dict]) -> tuple[str, dict]:
    """Side by side: one line per product with the same facts in the same order, and a payload."""
    rows = []
    for facts in facts_list:
        rows.append({
            "id": facts["group_id"], "title": facts["title"], "brand": facts["brand"],
            "price": price_text(facts), "price_from": prices(facts)[0], "rating": facts["rating"], "review_count": facts["review_count"] or 0,
            "material": facts["material"] or None, "sizes_in_stock": sizes_in_stock(facts),
            "colors": colours_in_stock(facts),
        })
    lines = ["Side by side:"]
    for row in rows:
        rating = f"{row['rating']:.1f}★ ({row['review_count']})" if row["rating"] is not None else "no ratings"
        lines.append(f"• {row['title']} ({row['brand']}): {row['price']}, {rating}, "
                     f"{row['material'] or 'material not listed'}, sizes {', '.join(row['sizes_in_stock']) or 'one size'}")
    cheapest = min(rows, key=lambda r: r["price_from"])["title"]
    rated = [r for r in rows if r["rating"] is not None]
    summary = f"The {cheapest} is the cheapest"
    if rated:
        summary += f"; the {max(rated, key=lambda r: (r['rating'], r['review_count']))['title']} is the best rated"
    lines.append(summary + ".")
    return "\n".join(lines), {"type": "comparison", "products": rows}
