"""A simulated shopper's goal and persona, drawn from the live catalog with a seeded random.

A goal is one target: a product and one of its in-stock variants (category, gender, colour,
size, price, brand), the constraints the shopper will reveal about it (each one true of the
target, so the target always satisfies what was said), and the extra dialogue acts the
persona brings (a topic switch, a correction, a sort, a comparison...). `simulate(seed, n,
catalog)` draws the same goals, in the same order, for the same seed and catalog.
"""
from __future__ import annotations

import dataclasses
import math
import random
import re
from collections import defaultdict

from benchmarks.simulator.catalog import ONE_SIZE, ShopCatalog, category_name, effective_price, same_category
from benchmarks.simulator.phrasing import WISH_WORDS

MIN_STOCK = 3  # a target variant has at least this many units, so a shopper may ask for two
GENDER_WORDS = {  # catalog gender -> what a shopper looking for it may say (each one it satisfies)
    "men": ("men",), "women": ("women",), "unisex": ("men", "women", "unisex"),
    "boys": ("boys", "kids"), "girls": ("girls", "kids"), "kids": ("kids",),
}
SORT_KEYS = ("price_asc", "rating_desc")
DRAW_ATTEMPTS = 10_000


@dataclasses.dataclass(frozen=True)
class Persona:
    chatty: bool  # whole sentences with greetings, or bare keyword queries
    typo_rate: float  # chance that a function word is mistyped
    budget_first: bool  # says the budget before the item
    reveals_all: bool  # everything in the first message, or one constraint per turn
    compares: bool  # asks to compare the first two
    browses_more: bool  # asks for more results
    corrects_itself: bool  # names another colour, then goes back
    switches_topic: bool  # starts with another category, then "actually i need ..."
    views_cart: bool  # looks at the cart before checking out


@dataclasses.dataclass(frozen=True)
class Target:
    group_id: str
    variant_id: str
    title: str
    brand: str
    category: str  # the catalog leaf, lower case ("running shoes")
    gender: str | None
    colour: str | None  # colour family ("blue")
    colour_name: str  # as the feed names it ("Midnight Navy")
    size: str | None  # None for one-size products
    price: float


@dataclasses.dataclass(frozen=True)
class Budget:
    kind: str  # "max" ("under 80"), "around" ("around 80": up to 20 % over), "between" ("40 to 80")
    top: float
    low: float | None = None

    def constraints(self) -> dict:
        """What the shopper holds the assistant to: "around 80" is met up to 96."""
        if self.kind == "around":
            return {"price_max": round(self.top * 1.2, 2)}
        if self.kind == "between":
            return {"price_min": self.low, "price_max": self.top}
        return {"price_max": self.top}


@dataclasses.dataclass(frozen=True)
class Goal:
    conversation_id: str
    seed: str  # seeds the phrasing, so the same replies draw the same words
    target: Target
    persona: Persona
    steps: tuple[tuple[tuple[str, object], ...], ...]  # the constraints, grouped by the turn that says them
    decoy_category: str | None  # said first, then switched away from
    wrong_colour: str | None  # said in a correction, then taken back
    sort: str | None  # "price_asc" or "rating_desc"
    quantity: int  # units in the final order


def stated_constraints(informs) -> dict:
    """The card_checks constraints that a list of (key, value) informs states."""
    constraints: dict = {}
    for key, value in informs:
        if key in ("category", "gender", "size", "sort"):
            constraints[key] = value
        elif key in ("color", "not_color"):
            constraints[key] = [value.lower()]
        elif key in ("brand", "not_brand"):
            constraints[key] = [value]
        elif key == "budget":
            constraints.update(value.constraints())
    return constraints


def draw_budget(price: float, rng: random.Random) -> Budget:
    """A round budget above the price, as people set one: 72.99 -> "under 80" (or 90)."""
    step = 5 if price < 50 else 10 if price < 200 else 50
    top = math.ceil((price + 1) / step) * step + step * rng.choice((0, 0, 1))
    roll = rng.random()
    if roll < 0.15 and top * 0.8 <= price:
        return Budget("around", top)
    low = math.floor(price * 0.6 / step) * step
    if roll > 0.85 and 10 <= low < price:
        return Budget("between", top, low)
    return Budget("max", top)


def draw_persona(rng: random.Random) -> Persona:
    return Persona(chatty=rng.random() < 0.5, typo_rate=rng.choice((0.0, 0.0, 0.05, 0.15)),
                   budget_first=rng.random() < 0.25, reveals_all=rng.random() < 0.45, compares=rng.random() < 0.25,
                   browses_more=rng.random() < 0.2, corrects_itself=rng.random() < 0.15,
                   switches_topic=rng.random() < 0.12, views_cart=rng.random() < 0.35)


def target_of(row: dict) -> Target:
    size = row["size"] if row["size"] and row["size"].upper() != ONE_SIZE else None
    return Target(row["group_id"], row["variant_id"], row["title"], row["brand"], category_name(row["product_type"]),
                  row["gender"], row["color"], row["color_name"], size, effective_price(row))


class GoalDrawer:
    """Draws goals one after another from the catalog's stocked variants, keeping count of
    the units earlier goals will order so no two goals need more units than are in stock."""

    def __init__(self, catalog: ShopCatalog):
        self.catalog = catalog
        self.by_product: dict[str, list[dict]] = defaultdict(list)
        for row in catalog.stocked_variants(MIN_STOCK):
            self.by_product[row["group_id"]].append(row)
        self.products = sorted(self.by_product)
        self.categories = catalog.categories()
        self.colours = catalog.colours_by_category()
        self.brands = catalog.brands_by_category()
        self.ordered: dict[str, int] = defaultdict(int)  # variant id -> units earlier goals order

    def draw(self, rng: random.Random, conversation_id: str) -> Goal:
        persona = draw_persona(rng)
        quantity = 2 if rng.random() < 0.2 else 1
        row = self._stocked_row(rng, quantity)
        self.ordered[row["variant_id"]] += quantity
        target = target_of(row)
        informs = self._informs(rng, target, row)
        colour_said = any(key == "color" for key, _ in informs)
        excluded = {value for key, value in informs if key == "not_color"}
        wrong = [c for c in self.colours.get(target.category, ()) if c != target.colour and c not in excluded]
        decoys = [c for c in self.categories
                  if not same_category(c, target.category) and not same_category(target.category, c)]
        decoy = rng.choice(decoys) if persona.switches_topic and decoys else None
        return Goal(
            conversation_id=conversation_id, seed=f"{conversation_id}:{rng.random()}", target=target, persona=persona,
            steps=self._steps(rng, persona, informs, switching=decoy is not None), decoy_category=decoy,
            wrong_colour=rng.choice(wrong) if persona.corrects_itself and colour_said and wrong else None,
            sort=rng.choice(SORT_KEYS) if rng.random() < 0.2 else None, quantity=quantity)

    def _stocked_row(self, rng: random.Random, quantity: int) -> dict:
        """A variant of a product drawn at random that still has `quantity` units for this goal."""
        for _ in range(DRAW_ATTEMPTS):
            row = rng.choice(self.by_product[rng.choice(self.products)])
            if row["quantity"] is None or row["quantity"] - self.ordered[row["variant_id"]] >= quantity:
                return row
        raise ValueError(f"no stock left for another goal after {DRAW_ATTEMPTS} draws: too many goals for this catalog")

    def _informs(self, rng: random.Random, target: Target, row: dict) -> list[tuple[str, object]]:
        """The constraints this shopper will state, each true of the target."""
        informs: list[tuple[str, object]] = [("category", target.category)]
        words = GENDER_WORDS.get(target.gender or "", ())
        if words and rng.random() < (0.95 if target.gender in ("boys", "girls", "kids") else 0.7):
            informs.append(("gender", rng.choice(words)))
        if target.size:
            informs.append(("size", target.size))
        if target.colour and rng.random() < 0.5:
            informs.append(("color", target.colour))
        if rng.random() < 0.6:
            informs.append(("budget", draw_budget(target.price, rng)))
        brands = [b for b in self.brands.get(target.category, ()) if b != target.brand]
        roll = rng.random()
        if roll < 0.12:
            informs.append(("brand", target.brand))
        elif roll < 0.24 and brands:
            informs.append(("not_brand", rng.choice(brands)))
        product = self.catalog.product(target.group_id)
        its_colours = {v["color"] for v in product["variants"]}
        others = [c for c in self.colours.get(target.category, ()) if c not in its_colours]
        if not any(key == "color" for key, _ in informs) and others and rng.random() < 0.15:
            informs.append(("not_color", rng.choice(others)))
        text = f"{row['title']} {row['description']} {row['material']}".lower()
        wishes = [w for w in WISH_WORDS if re.search(rf"\b{re.escape(w)}\b", text)]
        if wishes and rng.random() < 0.3:
            informs.append(("wish", rng.choice(wishes)))
        return informs

    @staticmethod
    def _steps(rng: random.Random, persona: Persona, informs: list, switching: bool) -> tuple:
        """Group the informs by turn: all at once (the size sometimes left for the assistant to
        ask), or the item (or the budget) first and then one constraint a turn. Switching from
        another topic ("actually i need ...") always names the item."""
        by_key = dict(informs)
        first_keys = ["budget"] if persona.budget_first and "budget" in by_key and not switching else ["category"]
        if persona.reveals_all:
            held = ["size"] if "size" in by_key and rng.random() < 0.4 else []
            first_keys = [k for k in by_key if k not in held]
        elif first_keys == ["category"] and "gender" in by_key and rng.random() < 0.5:
            first_keys.append("gender")
        rest = [k for k in by_key if k not in first_keys]
        rng.shuffle(rest)
        return tuple((tuple((k, by_key[k]) for k in first_keys),) + tuple(((k, by_key[k]),) for k in rest))


def simulate(seed: int, n: int, catalog: ShopCatalog) -> list[Goal]:
    """`n` goals for the seed: the same ones, in the same order, for the same seed and catalog."""
    rng = random.Random(seed)
    drawer = GoalDrawer(catalog)
    return [drawer.draw(rng, f"s{seed}-{i:05d}") for i in range(1, n + 1)]
