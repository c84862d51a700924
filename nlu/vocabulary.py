"""The catalog's own words: brand names and category phrases, loaded at run time.

Built from the index's `vocabulary.json`, so a retailer's brands and categories are
recognised without retraining. Matchers are compiled once per vocabulary.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from nlu.normalize import COLOR_WORDS, GENDER_PHRASES, singular
from nlu.typos import TypoMatcher

# Shopper words for categories ("sneaker" -> "sneakers", then "running shoes"), resolved only to
# phrases the catalog actually has (first available target wins). Data, not code: a retailer
# edits nlu/data/category_synonyms.json.
CATEGORY_SYNONYMS_FILE = Path(__file__).with_name("data") / "category_synonyms.json"


def load_category_synonyms(path: Path | str = CATEGORY_SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """`{"synonyms": {word: [target, ...]}}` -> {word: (target, ...)}, in the file's order, lower-cased."""
    synonyms = json.loads(Path(path).read_text(encoding="utf-8"))["synonyms"]
    return {word.strip().lower(): tuple(t.strip().lower() for t in targets)
            for word, targets in synonyms.items() if word.strip() and targets}


CATEGORY_SYNONYMS: dict[str, tuple[str, ...]] = load_category_synonyms()
# Words that only say what kind of company a brand is: "Kestrel Outdoor" is "kestrel" to a
# shopper. A brand made of one distinctive word plus these is also matched by that word alone.
GENERIC_BRAND_WORDS = frozenset({
    "outdoor", "outdoors", "apparel", "athletics", "athletic", "clothing", "co", "company", "footwear",
    "gear", "inc", "ltd", "llc", "sports", "sport", "supply", "brand", "brands", "goods", "collection",
    "designs", "studio", "studios", "wear", "activewear", "outfitters", "&", "and", "co.",
})
_WORD = r"(?<![\w'])({})(?![\w'])"
# A category level that names several kinds: "Bookcases & shelving units", "Sofas and armchairs".
LEVEL_PARTS = re.compile(r"\s*(?:&|,|/|\band\b)\s*")
# A level that is a product's title rather than a kind ("Sathiyas Cotton Bath Towel (3 Bath Towel,
# Red, Y..."): marketplaces put titles in the category path. Its commas separate no kinds.
TITLE_LIKE_LEVEL = re.compile(r"[()\d]|\.\.\.|…")


def names_kind_within(kind: str, general: str) -> bool:
    """Whether the category name `kind` is `general` or a narrower name of it ("hiking boots"
    within "boots")."""
    return kind == general or kind.endswith(" " + general)


def level_parts(level: str) -> list[str]:
    """The kinds a level that lists several names, each a name a shopper may say: "bookcases &
    shelving units" -> bookcases, shelving units. A part of one word that is no plural modifies
    the last part's kind ("casual & party wear shirts" -> casual shirts, party wear shirts; an
    abbreviation such as "tv" also names itself); a colour is no kind; a title-like level has
    no parts."""
    parts = [part.strip() for part in LEVEL_PARTS.split(level) if part.strip()]
    if len(parts) < 2 or TITLE_LIKE_LEVEL.search(level):
        return []
    head = parts[-1].split()[-1] if len(parts[-1].split()) > 1 else None
    named = []
    for part in parts:
        if part.split()[0] in COLOR_WORDS:
            continue
        if " " in part or part.endswith("s"):
            named.append(part)
            continue
        named += [f"{part} {head}"] if head else []
        named += [part] if len(part) <= 3 else []
    return named
# Words a sentence is made of before any brand: a brand spelt like one ("AND", "ONLY", "W") is read
# only with strong evidence (written as the brand writes itself, or after "by"/"from"/"brand").
FUNCTION_WORDS = frozenset("""
a an the and or but nor so yet only just also too very really quite even still not no yes ok okay
for with without of in on at by to from into onto up down off out over under above below about
around through between after before since until than then as if because while when where why how
what who whom whose which that this these those it its my your our their his her he she we you they
i me us him them is are was were be been being am do does did have has had will would can could should
may might must shall any some all each every both either neither other another such same own more most
less least much many few new now here there please thanks thank hi hey mine yours ours theirs one
""".split())
# Everyday words a brand may share ("People", "Fox", "CAT", "Gap"): read as the brand with the
# strong evidence above, or when a kind of product follows ("gap jeans", "cat boots"). Words of
# three letters or fewer count too; an index build adds the words common in the catalog's own
# texts (`common_words`).
EVERYDAY_WORDS = frozenset("""
people person man men woman women kid kids baby love life style free fresh pure true real basic
classic simple best good great nice cool happy wild urban nature natural home world time day night
city street life play sport sports active fit slim comfort soft warm cozy luxury modern vintage
""".split())


def _surface_forms(phrase: str) -> set[str]:
    """"running shoes" -> {"running shoes", "running shoe"}; "t-shirts" also as "t shirts", "tshirts";
    a singular name ("bag") also in the plural."""
    words = phrase.split()
    last = words[-1]
    forms = {phrase, " ".join(words[:-1] + [singular(last)])}
    if last.endswith("s"):  # "hoodies" -> "hoodie" as well as "hoody"
        forms.add(" ".join(words[:-1] + [last[:-1]]))
    elif singular(last) == last and last[-1:].isalpha():  # "bag" -> "bags", "dress" -> "dresses"
        forms.add(" ".join(words[:-1] + [last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")]))
    for form in list(forms):
        if "-" in form:
            forms |= {form.replace("-", " "), form.replace("-", "")}
    return {f for f in forms if f}


def _brand_forms(brand: str) -> set[str]:
    """How a shopper may write a brand: "Rose & Finch" -> "rose & finch", "rose and finch", "rose finch"."""
    lower = brand.lower().replace("’", "'")
    forms = {lower, lower.replace("'", ""), lower.replace("&", "and"), re.sub(r"[^\w\s]", "", lower)}
    return {re.sub(r"\s+", " ", f).strip() for f in forms if f.strip()}


def _short_brand_form(brand: str) -> str | None:
    """"Kestrel Outdoor" -> "kestrel": the distinctive first word when the rest is generic."""
    first, *rest = brand.lower().replace("’", "'").split()
    if rest and all(word in GENERIC_BRAND_WORDS for word in rest) and len(first) >= 3:
        return first
    return None


def _alternation(forms) -> re.Pattern | None:
    ordered = sorted(forms, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(f).replace(r"\ ", r"[\s-]+") for f in ordered)
    return re.compile(_WORD.format(body))


@dataclass(frozen=True)
class CatalogVocabulary:
    brands: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # product_type paths, e.g. "Shoes > Running Shoes"
    colors: tuple[str, ...] = field(default=(), compare=False)
    sizes: tuple[str, ...] = field(default=(), compare=False)
    # the catalog's currency (ISO 4217), recorded at index build: a budget without one is in it;
    # None for a build made before it was recorded
    currency: str | None = field(default=None, compare=False)
    # brand words that the catalog's own texts use as ordinary words ("and" in descriptions),
    # derived at index build
    common_words: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def from_dict(cls, data: dict) -> "CatalogVocabulary":
        return cls(
            brands=tuple(sorted({b.strip() for b in data.get("brands", []) if b and b.strip()})),
            categories=tuple(sorted({c.strip() for c in data.get("categories", []) if c and c.strip()})),
            colors=tuple(data.get("colors", [])),
            sizes=tuple(data.get("sizes", [])),
            currency=data.get("currency") or None,
            common_words=frozenset(w.lower() for w in data.get("common_words", [])),
        )

    @classmethod
    def from_json(cls, path: Path | str) -> "CatalogVocabulary":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    # -- categories ------------------------------------------------------------------
    @cached_property
    def category_phrases(self) -> dict[str, str]:
        """Every path level, lower-cased ("shoes", "running shoes") -> its top-level path part."""
        phrases: dict[str, str] = {}
        for path in self.categories:
            levels = [level.strip().lower() for level in path.split(">") if level.strip()]
            for level in levels:
                phrases.setdefault(level, levels[0])
        return phrases

    @cached_property
    def _category_surface(self) -> dict[str, str]:
        surface: dict[str, str] = {}
        for phrase in self.category_phrases:
            for form in _surface_forms(phrase):
                surface.setdefault(form, phrase)
        for phrase in self.category_phrases:  # "bookcases & shelving units": each of its parts names it
            for part in level_parts(phrase):
                for form in _surface_forms(part):
                    surface.setdefault(form, phrase)
        for word, targets in CATEGORY_SYNONYMS.items():
            target = next((t for t in targets if t in self.category_phrases), None)
            if target:
                for form in _surface_forms(word) | {word + "s"}:
                    surface.setdefault(form, target)
        return surface

    @cached_property
    def category_pattern(self) -> re.Pattern | None:
        return _alternation(self._category_surface)

    @cached_property
    def category_typos(self) -> TypoMatcher:
        return TypoMatcher(self._category_surface)

    def category_for(self, surface: str) -> str | None:
        return self._category_surface.get(re.sub(r"[\s-]+", " ", surface.lower()).strip()) or \
            self._category_surface.get(surface.lower())

    def top_level(self, category: str) -> str | None:
        return self.category_phrases.get(category)

    # -- brands ----------------------------------------------------------------------
    @cached_property
    def _reserved(self) -> frozenset[str]:
        """Words the parser reads as something else (a category, a colour, a gender)."""
        return frozenset(set(self._category_surface) | set(COLOR_WORDS) | set(GENDER_PHRASES))

    @cached_property
    def _families(self) -> dict[str, tuple[str, ...]]:
        """A brand and its lines ("calvin klein" -> Calvin Klein, Calvin Klein Jeans, Calvin Klein
        Underwear): the first words of a brand name that are a brand themselves or that two
        brands share, unless they are an everyday word or read as something else."""
        forms = {brand: " ".join(sorted(_brand_forms(brand), key=len)[0].split()) for brand in self.brands}
        members: dict[str, set[str]] = {}
        for brand, form in forms.items():
            words = form.split()
            for n in range(1, len(words)):
                members.setdefault(" ".join(words[:n]), set()).add(brand)
        families = {}
        for prefix, lines in members.items():
            heads = {brand for brand, form in forms.items() if form == prefix}
            if (heads or len(lines) >= 2) and len(prefix) >= 4 and self.word_kind(prefix) is None \
                    and prefix not in self._reserved:
                families[prefix] = tuple(sorted(heads | lines))
        return families

    @cached_property
    def _brand_surface(self) -> dict[str, tuple[str, ...]]:
        """Surface form -> the brands it names (a family names several). A short form ("kestrel")
        is kept only when it is unambiguous: no other brand shares it, and it is not a word the
        parser reads as something else (a category, a colour, a gender), so "Black Outdoor" never
        makes "black" a brand."""
        surface: dict[str, tuple[str, ...]] = {}
        for brand in self.brands:
            for form in _brand_forms(brand):
                surface.setdefault(form, (brand,))
        short_forms: dict[str, set[str]] = {}
        for brand in self.brands:
            short = _short_brand_form(brand)
            if short:
                short_forms.setdefault(short, set()).add(brand)
        for short, owners in short_forms.items():
            if len(owners) == 1 and short not in self._reserved:
                surface.setdefault(short, (owners.pop(),))
        surface.update(self._families)
        return surface

    @cached_property
    def brand_pattern(self) -> re.Pattern | None:
        return _alternation(self._brand_surface)

    @cached_property
    def brand_typos(self) -> TypoMatcher:
        return TypoMatcher(self._brand_surface)

    def brands_for(self, surface: str) -> tuple[str, ...] | None:
        key = re.sub(r"[\s-]+", " ", surface.lower().replace("’", "'")).strip()
        return self._brand_surface.get(key)

    def word_kind(self, surface: str) -> str | None:
        """"function" for a brand form that is a word sentences are made of ("and", "only", "w"),
        "everyday" for an everyday word ("people", "gap", or one common in the catalog's texts),
        None for a name that is only a name (and for any name of several words)."""
        key = surface.lower().strip()
        if " " in key:
            return None
        if key in FUNCTION_WORDS or len(key) == 1:
            return "function"
        if key in EVERYDAY_WORDS or key in self.common_words or len(key) <= 3:
            return "everyday"
        return None
