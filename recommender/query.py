"""What the shopper asked for: hard constraints, exclusions, a page order and free text with
soft wishes.

`SearchQuery.from_constraints` takes the public constraint shape of the parse API
(`../shared/interfaces.md` §3) and `to_contract` echoes back exactly what was applied.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from recommender.wishes import is_purpose

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

# The page orders a shopper can ask for besides relevance ("cheapest first", "best rated").
SORTS = ("price_asc", "price_desc", "rating_desc", "popularity_desc", "newest")

# The contract's `exclude` keys and the fields that hold them ("not red", "no Nike", "no leather").
EXCLUSIONS = {"color": "exclude_colors", "brand": "exclude_brands", "category": "exclude_categories",
              "material": "exclude_materials"}


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
    more_sizes: tuple[str, ...] = ()  # sizes accepted besides `size` ("size 9 or 9.5")
    # hard: nothing shown has an excluded colour (the variant shown), brand, category (any level
    # of its path) or material (a case-insensitive part of the product's material)
    exclude_colors: tuple[str, ...] = ()
    exclude_brands: tuple[str, ...] = ()
    exclude_categories: tuple[str, ...] = ()
    exclude_materials: tuple[str, ...] = ()
    sort: str | None = None  # one of SORTS; None orders by relevance
    # soft: the search narrows to the products that mention these when any does (never to none);
    # a purpose ("for gym") only joins the words embedded
    wishes: tuple[str, ...] = ()

    def __post_init__(self):
        if self.sort is not None and self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}; expected one of {', '.join(SORTS)}")

    @classmethod
    def from_constraints(cls, constraints: dict, text: str = "", wishes=(), **extra) -> "SearchQuery":
        size = constraints.get("size") or {}
        sizes = tuple(size.get("values") or (size.get("value"),))
        price = constraints.get("price") or {}
        exclude = constraints.get("exclude") or {}
        return cls(
            text=text,
            category=constraints.get("category"),
            brands=tuple(constraints.get("brand") or ()),
            colors=tuple(constraints.get("color") or ()),
            gender=constraints.get("gender"),
            size=sizes[0],
            more_sizes=sizes[1:],
            size_system=size.get("system"),
            price_min=price.get("min"),
            price_max=price.get("max"),
            currency=price.get("currency") or "USD",
            rating_min=constraints.get("rating_min"),
            **{field: tuple(exclude.get(key) or ()) for key, field in EXCLUSIONS.items()},
            sort=constraints.get("sort"),
            wishes=tuple(wishes),
            **extra,
        )

    @property
    def sizes(self) -> tuple[str, ...]:
        """Every size the shopper accepts (none when no size was asked for)."""
        return (self.size, *self.more_sizes) if self.size else ()

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
            if self.more_sizes:
                echo["size"]["values"] = list(self.sizes)
        if self.price_min is not None or self.price_max is not None:
            echo["price"] = {"min": self.price_min, "max": self.price_max, "currency": self.currency}
        if self.rating_min is not None:
            echo["rating_min"] = self.rating_min
        exclude = {key: list(getattr(self, field)) for key, field in EXCLUSIONS.items() if getattr(self, field)}
        if exclude:
            echo["exclude"] = exclude
        if self.sort:
            echo["sort"] = self.sort
        return echo

    def without(self, constraint: str) -> "SearchQuery":
        """The same query with one constraint (a key of `to_contract`) dropped, for 'relax this'
        suggestions; "exclude" drops every exclusion, "sort" goes back to relevance."""
        cleared = {
            "category": {"category": None},
            "brand": {"brands": ()},
            "color": {"colors": ()},
            "gender": {"gender": None},
            "size": {"size": None, "size_system": None, "more_sizes": ()},
            "price": {"price_min": None, "price_max": None},
            "rating_min": {"rating_min": None},
            "exclude": dict.fromkeys(EXCLUSIONS.values(), ()),
            "sort": {"sort": None},
        }[constraint]
        return replace(self, **cleared)

    @property
    def narrowing_wishes(self) -> tuple[str, ...]:
        """The wishes a product can be seen to meet by what its text says (not purposes)."""
        return tuple(wish for wish in self.wishes if not is_purpose(wish))

    def embedding_text(self) -> str:
        """What to embed: the shopper's words (or the constraints when there are none) and each
        wish they do not already say."""
        if self.text.strip():
            said = self.text
        else:
            words = [self.gender or "", " ".join(self.colors), " ".join(self.brands), self.category or "products"]
            said = " ".join(w for w in words if w)
        unsaid = [wish for wish in self.wishes if wish.lower().removeprefix("for ") not in said.lower()]
        return " ".join([said, *unsaid])
