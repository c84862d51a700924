"""What the shopper asked for, as hard constraints plus free text.

`SearchQuery.from_constraints` takes the public constraint shape of the parse API
(`../shared/interfaces.md` §3) and `to_contract` echoes back exactly what was applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

# Which catalog genders satisfy a requested gender. Unisex items fit adults of any gender,
# and kids' unisex items fit boys and girls; nothing adult is shown for kids or vice versa.
GENDER_MATCHES: dict[str, tuple[str, ...]] = {
    "men": ("men", "unisex"),
    "women": ("women", "unisex"),
    "unisex": ("unisex",),
    "boys": ("boys", "kids"),
    "girls": ("girls", "kids"),
    "kids": ("kids", "boys", "girls"),
}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    category: str | None = None
    brands: tuple[str, ...] = ()
    colors: tuple[str, ...] = ()
    gender: str | None = None
    size: str | None = None
    size_system: str | None = None
    price_min: float | None = None
    price_max: float | None = None
    currency: str = "USD"
    rating_min: float | None = None
    exclude_ids: frozenset[str] = field(default_factory=frozenset)  # group ids already shown
    similar_to: str | None = None  # a group id or variant id: "more like this one"
    preferred_brands: tuple[str, ...] = ()  # soft: ranks these a little higher, filters nothing

    @classmethod
    def from_constraints(cls, constraints: dict, text: str = "", **extra) -> "SearchQuery":
        size = constraints.get("size") or {}
        price = constraints.get("price") or {}
        return cls(
            text=text,
            category=constraints.get("category"),
            brands=tuple(constraints.get("brand") or ()),
            colors=tuple(constraints.get("color") or ()),
            gender=constraints.get("gender"),
            size=size.get("value"),
            size_system=size.get("system"),
            price_min=price.get("min"),
            price_max=price.get("max"),
            currency=price.get("currency") or "USD",
            rating_min=constraints.get("rating_min"),
            **extra,
        )

    def to_contract(self) -> dict:
        """The constraints actually applied, in the public `query` shape (only those set)."""
        echo: dict = {}
        if self.category:
            echo["category"] = self.category
        if self.brands:
            echo["brand"] = list(self.brands)
        if self.colors:
            echo["color"] = list(self.colors)
        if self.gender:
            echo["gender"] = self.gender
        if self.size:
            echo["size"] = {"value": self.size, "system": self.size_system}
        if self.price_min is not None or self.price_max is not None:
            echo["price"] = {"min": self.price_min, "max": self.price_max, "currency": self.currency}
        if self.rating_min is not None:
            echo["rating_min"] = self.rating_min
        return echo

    def without(self, constraint: str) -> "SearchQuery":
        """The same query with one hard constraint dropped (for 'relax this' suggestions)."""
        cleared = {
            "category": {"category": None},
            "brand": {"brands": ()},
            "color": {"colors": ()},
            "gender": {"gender": None},
            "size": {"size": None, "size_system": None},
            "price": {"price_min": None, "price_max": None},
            "rating_min": {"rating_min": None},
        }[constraint]
        return replace(self, **cleared)

    def embedding_text(self) -> str:
        """What to embed: the shopper's words, or the constraints when there are none."""
        if self.text.strip():
            return self.text
        words = [self.gender or "", " ".join(self.colors), " ".join(self.brands), self.category or "products"]
        return " ".join(w for w in words if w)
