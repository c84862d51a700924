"""The dialogue state, and the written rules for how each message changes it.

The state is what a shop assistant keeps in mind between two messages: the open search (hard
constraints, exclusions, soft wishes, sort order), the products on screen, and the question the
assistant just asked, if any. The cart and orders live in the shop's database, not here.

`advance(state, message)` is a pure function: it reads nothing but its arguments and returns the
new state and what the message does (a `Step`). Every message is exactly one of:

- **answer**: it answers the open question (a size, a quantity, yes/no to "still a 9?");
  an open question is answered before anything else is read into the message;
- **refine**: it changes the open search; every constraint carries over unless the shopper
  changes it ("in blue"), drops it ("any colour", "forget the budget") or switches topic;
- **new_search**: there was no open search, or the shopper switched topic (another kind of
  product, "actually I need..."); only who the shopping is for (the gender) carries over;
- **separate**: it does something beside the search (details, comparison, cart, orders,
  small talk); the search stays as it was for the next refinement.

The action server applies it to every shopping turn; the web widget and the Alexa skill both
reach the dialogue through it, so there is no second copy of these rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from nlu.constraints import HEDGE_AFTER, HEDGE_BEFORE
from nlu.entities import constraints_from_entities, empty_constraints
from nlu.normalize import LETTER_SIZES, normalize_size, words_to_number
from nlu.vocabulary import names_kind_within

SEARCH_INTENTS = frozenset({"search_product", "refine_search"})
# Intents that the classifier gives to messages which may still be a refinement when they carry
# what a search needs ("L", "under 80", "not black tho", "best rated of those").
LOOSE_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny", "show_more"})
# What each separate intent does with the products on screen.
PRODUCT_ACTS = {"product_details": "details", "compare_products": "compare", "add_to_cart": "add_to_cart"}
HARD_KEYS = ("category", "brand", "color", "gender", "size", "price", "rating_min")
DROPPABLE = {"color": ("color",), "price": ("price",), "size": ("size",), "brand": ("brand",),
             "gender": ("gender",), "rating": ("rating_min",), "material": ()}
EXCLUDE_KEYS = ("color", "brand", "category", "material")

ANY_SIZE = re.compile(r"\b(any|all|every|no particular)\s+sizes?\b|\b(one|either) size is (fine|ok|okay|good)\b|\b(doesn'?t|does not) matter\b|"
                      r"\bdon'?t (care|mind)\b|\bwhatever\b|\bnot sure\b", re.I)
SIZE_ANSWER_FILLER = re.compile(r"^(?:(?:i'?m|i am|i wear|i take|usually|normally|probably|maybe|uh|um|hmm|it'?s|"
                                r"make it|she'?s|he'?s|she wears|he wears|they wear|size|in|no|nope|yes|yeah|yep|ok|"
                                r"okay),?\s+)*(?:an?\s+)?"
                                r"|(?:,?\s*(?:please|pls|thanks|thank you|i think|i guess|i believe|i'?d say|usually|"
                                r"normally|probably|mostly|typically|most of the time))+$")
FIRST_CLAUSE = re.compile(r"\s*[,;]\s*|\s+(?:and|but|under|below|over|not|in|no)\s+", re.I)
# "make it 2", "change the first item to three", "set the quantity to 4", "just one"
NEW_QUANTITY = re.compile(r"\b(?:to|make (?:it|that|them)|quantity(?: of)?|just|only)\s+(?P<n>\d{1,2}|(?!to\b)[a-z]+)\b")
QUANTITY_ANSWER = re.compile(r"^(?:make it |just |only )?(?P<n>\d{1,2}|[a-z]+)(?: (?:of them|please|pls|pairs?))?$")
# "the grey one", "that black coat": a colour right after a pointing word names a product on screen.
POINTING = re.compile(r"(?:\b(?:the|that|those|this|these)\s+)$")
SWITCHING = re.compile(r"\b(?:actually|instead|scratch that|forget that|i meant|i mean|rather|no wait|not \w+ but)\b")
# A question about something ("what is the size and price of the black coat?").
QUESTION = re.compile(r"^(?!(?:what|how) about\b)(?:what|what'?s|whats|how|is|are|does|do|did|can|which|tell me)\b"
                      r"|\?\s*$")
# "add the cheapest", "put the top one in my bag": a verb of adding picks a product on screen for the cart.
ADDING = re.compile(r"^(?:(?:ok|okay|yes|yep|please|pls|then|and)[,\s]+)*(?:add|put|throw|stick|pop)\b")
# Pointing at a product with a yes or a verb of choosing picks it for the cart ("ok the first one").
CHOOSING = re.compile(r"^(?:ok|okay|yes|yep|yeah|sure|great|perfect|fine)\b|\b(?:go with|take|get|buy|want)\b"
                      r"|\b(?:please|pls|plz)\W*$")
CHILD_PRONOUN = {"girls": re.compile(r"(?:for )?her"), "boys": re.compile(r"(?:for )?him")}
SEVERAL_AFTER = re.compile(r"\s*ones\b")
# "what do you sell?", "what kind of stuff do u have": the shop's departments, not a search.
ASKS_WHAT_IS_SOLD = re.compile(r"\bwhat (?:else )?(?:do|does) (?:you|u|ya|the shop|this shop) (?:guys )?"
                               r"(?:sell|carry|have|stock|offer)\b|\bwhat (?:kind of |sort of )?(?:stuff|things|products)"
                               r" (?:do )?(?:you|u) (?:sell|have|carry)\b")
# "that one", "this one", "it": the product just talked about, when there is one.
THAT_ONE = re.compile(r"\b(?:that|this) (?:one|pair)\b|\bit\b|\b(?:that|this)\s*[.!?]*$")
IT = re.compile(r"\bit\b")
COMPARE_COUNT = re.compile(r"\b(?:first|top)\s+(?P<n>two|three|2|3)\b|\b(?P<all>both|all three)\b")


def size_answer(text: str) -> str | None:
    """A bare answer to "What size?": "10", "a ten and a half", "i wear a 9", "medium please", "L".
    Out of that context a lone number is as likely a price or a quantity, so only here."""
    core = SIZE_ANSWER_FILLER.sub("", text.strip().lower()).strip(" .!?")
    size = normalize_size(core)
    return None if size == "ONE SIZE" else size


def quantity_answer(text: str) -> int | None:
    match = QUANTITY_ANSWER.match(text.strip().lower().strip(" .!"))
    number = words_to_number(match.group("n")) if match else None
    return int(number) if number is not None and number == int(number) and number > 0 else None


@dataclass(frozen=True)
class Search:
    """The open search: hard constraints (public `query` shape, with `exclude` and `sort`), soft
    wishes for the ranking, and the shopper's words that opened it (what gets embedded)."""

    constraints: dict
    wishes: tuple[str, ...] = ()
    text: str = ""
    size_waived: bool = False
    size_assumed: bool = False  # a letter size kept from the last kind of clothing ("a hoodie, not a tshirt")

    def get(self, key: str) -> Any:
        return self.constraints.get(key)


@dataclass(frozen=True)
class Question:
    """What the assistant just asked: `size` for the search (with an optional `suggested` size,
    "still a 9?"), `category` for a search that named no product yet, `add_size` for the product
    `about` to go in the cart, or `quantity`."""

    kind: str
    about: dict | None = None
    suggested: str | None = None


@dataclass(frozen=True)
class DialogueState:
    search: Search | None = None
    shown: tuple[dict, ...] = ()  # the product cards on screen, in order
    question: Question | None = None
    focus: dict | None = None  # the one product just talked about ("tell me about the first one"): "that one"
    later: tuple[str, ...] = ()  # kinds named for later ("a rain jacket and hiking boots"): "now the boots"


@dataclass(frozen=True)
class Message:
    """One parsed message: Rasa's intent, the text, and the entities (parser, DIET, buttons, Alexa)."""

    intent: str
    text: str = ""
    entities: tuple[dict, ...] = ()

    @classmethod
    def from_parse(cls, parse: dict) -> "Message":
        text = parse.get("text") or ""
        entities = tuple({"entity": "drop", "value": "size"} if _waives_size(e) else e for e in parse.get("entities") or ())
        return cls((parse.get("intent") or {}).get("name") or "nlu_fallback", "" if text.startswith("/") else text,
                   entities)

    def values(self, name: str) -> list:
        return [e.get("value") for e in self.entities if e.get("entity") == name]

    def constraints(self) -> dict:
        """The public constraints of the message; a budget said as "around $50" keeps that amount
        in `price.around`, to be said back."""
        constraints = constraints_from_entities(list(self.entities))
        around = self.first("price_around")
        if constraints["price"] and around is not None:
            constraints["price"] = {**constraints["price"], "around": around}
        return constraints

    def first(self, name: str) -> Any:
        return next(iter(self.values(name)), None)


def _waives_size(entity: dict) -> bool:
    """A size slot that Alexa resolved to "any size" (or a button's "any") drops the size."""
    return entity.get("entity") == "size" and bool(ANY_SIZE.search(f"{entity.get('value')} size"))


@dataclass(frozen=True)
class Step:
    """What a message does: the new state, the kind of move, and the act for the action server
    (`search`, `ask_size`, `show_more`, `details`, `compare`, `add_to_cart`, `update_quantity`,
    `confirm`, `decline`, `departments`, or the intent's own action for `separate` moves)."""

    state: DialogueState
    move: str
    act: str
    picked: tuple[dict, ...] = ()  # the products on screen the message points at
    size: str | None = None  # a size answered for the cart
    quantity: int | None = None
    wishes_only: tuple[str, ...] = ()  # the wishes of a message that asked for nothing else ("something waterproof")
    said_constraints: bool = False  # the message itself said a constraint (a budget, a size, who it is for...)
    # what to show when "cheaper" finds nothing below the products on screen: the search as it
    # was, cheapest first ("these are already the lowest-priced")
    cheapest_instead: Search | None = None


# -- the rules -------------------------------------------------------------------------------
def advance(state: DialogueState, message: Message) -> Step:
    """The one function that decides what a message does to the dialogue."""
    answered = _answer_open_question(state, message)
    if answered is not None:
        return answered
    state = replace(state, question=None)
    intent = message.intent
    pointing = _points_at_shown(message, state)
    if ASKS_WHAT_IS_SOLD.search(message.text.lower()) and not _says_search(message, replace(state, search=None)):
        return Step(state, "separate", "departments")  # "ok lol. what do you sell"
    if state.shown and ADDING.search(message.text.lower()) and (pointing or message.constraints().get("sort")):
        return _product_act(state, message, "add_to_cart")  # "add the cheapest"
    if intent in ("product_details", "compare_products") and not pointing and _narrows_the_list(state, message):
        return _search_step(state, message)  # "which one is cheapest", "from glacier line or northpeak"
    if intent in PRODUCT_ACTS:
        return _product_act(state, message, PRODUCT_ACTS[intent])
    if QUESTION.search(message.text.lower()) and (pointing or _referred_colors(state, message)):
        return _product_act(state, message, "details")  # "what is the price of the black one?"
    if _only_points_by_colour(state, message):  # "the grey one", "ok the black pair"
        return _product_act(state, message, "add_to_cart" if CHOOSING.search(message.text.lower()) else "details")
    if _only_a_quantity(message):  # "actually make that 2 pairs", "5 of them", "make it 2 of the first one"
        if message.values("ordinal") and state.shown:
            return _product_act(state, message, "add_to_cart")
        return Step(state, "separate", "update_quantity", quantity=_quantity(message))
    if intent in SEARCH_INTENTS or (intent in LOOSE_INTENTS and _says_search(message, state)):
        return _search_step(state, message)
    if intent in LOOSE_INTENTS and pointing:  # "the first one", "ok the second one"
        return _product_act(state, message, "add_to_cart" if CHOOSING.search(message.text.lower()) else "details")
    if intent == "update_quantity":
        return Step(state, "separate", "update_quantity", quantity=_quantity(message))
    if intent == "show_more":
        return Step(state, "separate", "show_more")
    if intent in ("affirm", "deny"):
        return Step(state, "separate", "confirm" if intent == "affirm" else "decline")
    if intent == "start_over":
        return Step(DialogueState(), "separate", intent)
    return Step(state, "separate", intent)


def _only_a_pronoun_for(message: Message, child: str | None) -> bool:
    """Whether the message says who it is for only by a pronoun ("for her") that fits the child
    the search was already for: then it is that child, not a grown-up."""
    pronoun = CHILD_PRONOUN.get(child or "")
    said = [e for e in message.entities if e.get("entity") == "gender"]
    if pronoun is None or len(said) != 1 or not isinstance(said[0].get("start"), int):
        return False
    return pronoun.fullmatch(message.text[said[0]["start"]:said[0]["end"]].lower()) is not None


def _only_points_by_colour(state: DialogueState, message: Message) -> bool:
    """A message that names products on screen by their colour and asks for nothing else."""
    referred = _referred_colors(state, message)
    if not referred or message.values("wish") or _changes_relatively(message):
        return False
    constraints = message.constraints()
    others = [key for key in (*HARD_KEYS, "exclude", "sort") if constraints.get(key) and key != "color"]
    return not others and set(constraints.get("color") or ()) <= set(referred)


def _only_a_quantity(message: Message) -> bool:
    """A count and nothing for the search: a new quantity for the cart, not a refinement."""
    if _quantity(message) is None:
        return False
    constraints = message.constraints()
    return not any(constraints.get(key) for key in (*HARD_KEYS, "exclude", "sort")) and not message.values("wish") \
        and not _changes_relatively(message)


def _narrows_the_list(state: DialogueState, message: Message) -> bool:
    """A question or comparison that points at no product on screen but orders or narrows the
    list: a sort, a brand, a kind or a colour ("which one is cheapest", "from glacier line or
    northpeak"). Numbers are left out: "compare 1 and 2" points at cards."""
    constraints = message.constraints()
    if _referred_colors(state, message):
        return False
    return any(constraints.get(key) for key in ("sort", "brand", "category", "color"))


def _answer_open_question(state: DialogueState, message: Message) -> Step | None:
    question = state.question
    if question is None:
        return None
    constraints = message.constraints()
    if question.kind == "category":  # "what are you looking for?": any product named completes the search
        return None
    if question.kind == "quantity":
        quantity = _quantity(message) or quantity_answer(message.text)
        return Step(replace(state, question=None), "answer", "update_quantity", quantity=quantity) if quantity else None
    size = _size_in(message, constraints)
    if question.kind == "add_size":
        if size is None and not constraints["category"] and ANY_SIZE.search(message.text):
            # "doesn't matter": the size on the card the shopper picked
            return Step(replace(state, question=None), "answer", "add_to_cart",
                        picked=({**question.about, "size_confirmed": True},), quantity=_quantity(message))
        if size is None or constraints["category"]:
            return None
        return Step(replace(state, question=None), "answer", "add_to_cart", picked=(question.about,), size=size,
                    quantity=_quantity(message))
    # the search's size question (with or without a remembered size to confirm)
    if question.suggested and message.intent in ("affirm", "deny") and not constraints["size"]:
        if message.intent == "deny":
            return Step(state, "answer", "ask_size")
        size = question.suggested
    waived = bool(ANY_SIZE.search(message.text)) or "size" in message.values("drop")
    if state.search is None or (size is None and not waived) or _switches_topic(state.search, constraints):
        return None
    refined = _refined(state.search, message, state.shown)
    size_constraint = None if waived and size is None else {"value": size, "system": constraints["size"] and
                                                            constraints["size"].get("system")}
    refined = replace(refined, constraints={**refined.constraints, "size": size_constraint},
                      size_waived=waived and size is None)
    return Step(DialogueState(refined, state.shown, later=state.later), "answer", "search")


def _size_in(message: Message, constraints: dict) -> str | None:
    """The size a message answers with: one the parser read, the whole message ("a ten"), or its
    first clause ("10, under 120")."""
    if constraints["size"]:
        return constraints["size"]["value"]
    if not message.text:
        return None
    return size_answer(message.text) or size_answer(FIRST_CLAUSE.split(message.text, maxsplit=1)[0])


def _quantity(message: Message) -> int | None:
    """The quantity the shopper asks for: the parser's quantity entity, else "to N" / "make it N"."""
    for value in message.values("quantity"):
        try:
            return int(value)
        except (TypeError, ValueError):
            continue
    for match in NEW_QUANTITY.finditer(message.text.lower()):
        number = words_to_number(match.group("n"))
        if number is not None and number == int(number):
            return int(number)
    return None


def _says_search(message: Message, state: DialogueState) -> bool:
    """Whether a loosely classified message still carries something for the search: a constraint,
    an exclusion, an order, a dropped or relative constraint, or a soft wish for an open search."""
    constraints = message.constraints()
    if any(constraints.get(key) for key in (*HARD_KEYS, "exclude", "sort")):
        return True
    if _changes_relatively(message):
        return True
    return state.search is not None and bool(message.values("wish")) and message.intent in ("nlu_fallback",)


def _points_at_shown(message: Message, state: DialogueState) -> bool:
    if state.focus is not None and _means_the_focus(message):
        return True
    return bool(message.values("ordinal") or message.values("product_id")) and bool(state.shown)


def _product_act(state: DialogueState, message: Message, act: str) -> Step:
    picked = _picked(state, message)
    if act == "compare":
        match = COMPARE_COUNT.search(message.text.lower())
        wanted = 2 if match is None else 3 if (match.group("n") in ("three", "3") or match.group("all")) else 2
        if len(picked) < 2:
            picked = tuple(state.shown[:wanted])
    size = message.constraints()["size"]
    last_clause = re.split(r"[,;]", message.text)[-1] if "," in message.text or ";" in message.text else ""
    quantity = _quantity(message) or (quantity_answer(last_clause) if act == "add_to_cart" else None)
    focus = picked[0] if act == "details" and len(picked) == 1 else None if act == "add_to_cart" else state.focus
    return Step(replace(state, focus=focus), "separate", act, picked=picked, size=size and size["value"],
                quantity=quantity)


def _picked(state: DialogueState, message: Message) -> tuple[dict, ...]:
    """The products on screen the message points at: a button's id, "the second one", "the
    black ones", "the cheapest", or the only one shown."""
    shown = list(state.shown)
    ids = message.values("product_id") + message.values("similar_to")
    picked = [card for wanted in ids for card in shown if wanted in (card.get("id"), card.get("group_id"))]
    if ids and not picked:  # a button from an older page: keep the id so the catalog can answer
        picked = [{"id": wanted, "group_id": wanted} for wanted in ids]
    for ordinal in message.values("ordinal"):
        index = ordinal_position(ordinal, len(shown))
        if index is not None:
            picked.append(shown[index])
    sort = message.constraints().get("sort")
    if not picked and sort and shown:
        picked = [sorted_cards(shown, sort)[0]]
    colours = message.values("color")
    if not picked and colours:
        picked = [card for card in shown if card.get("color") in colours]
    if not picked and state.focus is not None and _means_the_focus(message):
        picked = [state.focus]
    if not picked and len(shown) == 1:
        picked = shown[:]
    unique = {card["group_id"]: card for card in reversed(picked)}
    return tuple(card for card in picked if unique.get(card["group_id"]) is card)


def _means_the_focus(message: Message) -> bool:
    """"That one", "this pair", "it": the product just talked about. A yes or no says "it" of
    what was just asked ("sure, place it" is the order), so there only "that one" counts."""
    lower = message.text.lower()
    if message.intent in ("affirm", "deny"):
        return THAT_ONE.search(IT.sub("", lower)) is not None
    return THAT_ONE.search(lower) is not None


def ordinal_position(ordinal, length: int) -> int | None:
    """The list index "the second" (2) or "the last" (-1) points at in a list of `length`
    items; None when the ordinal is not a number or points outside the list."""
    try:
        position = int(ordinal)
    except (TypeError, ValueError):
        return None
    index = position - 1 if position > 0 else length + position
    return index if position and 0 <= index < length else None


def sorted_cards(cards: list[dict], sort: str) -> list[dict]:
    key = {"price_asc": lambda c: c.get("price", 0), "price_desc": lambda c: -c.get("price", 0),
           "rating_desc": lambda c: -(c.get("rating") or 0)}.get(sort)
    return sorted(cards, key=key) if key else cards


def _search_step(state: DialogueState, message: Message) -> Step:
    if state.search is not None and _hedges_the_kind(message) and _switches_topic(state.search, message.constraints()):
        message = _kind_as_wish(message)  # "hoodies" then "fleece if possible": a fleece hoodie first
    constraints = message.constraints()
    constraints["category"] = _later_kind(state, constraints.get("category")) or constraints.get("category")
    if state.search is not None and _only_a_pronoun_for(message, state.search.get("gender")):
        constraints["gender"] = state.search.get("gender")  # the daughter, then "a rain jacket for her too"
    referred = _referred_colors(state, message)
    if referred:
        constraints["color"] = [c for c in constraints["color"] or [] if c not in referred] or None
    similar = _picked(state, Message(message.intent, message.text,
                                     tuple(e for e in message.entities if e.get("entity") != "color") +
                                     tuple({"entity": "color", "value": c} for c in referred)))
    likes = similar and (referred or re.search(r"\b(like|similar)\b", message.text.lower()))
    if state.search is None or _switches_topic(state.search, constraints):
        carried = {"gender": state.search.get("gender")} if state.search is not None else {}
        search = _new_search(message, constraints, carried)
        worn = (state.search.get("size") or {}) if state.search is not None else {}
        if worn.get("value") in LETTER_SIZES and not constraints.get("size") and not search.size_waived:
            search = replace(search, constraints={**search.constraints, "size": worn}, size_assumed=True)
        move = "new_search"
    else:
        search = _refined(state.search, message, state.shown, constraints)
        move = "refine"
    if likes:
        search = replace(search, constraints={**search.constraints, "similar_to": similar[0]["group_id"]})
    said = any(value for value in constraints.values())
    asked_only_wishes = not said and not _changes_relatively(message)
    cheaper = move == "refine" and message.first("price_direction") == "lower" and bool(state.shown)
    cheapest_instead = replace(state.search, constraints={**state.search.constraints, "sort": "price_asc"}) \
        if cheaper else None
    return Step(DialogueState(search, state.shown, later=_kinds_for_later(state, message, search.get("category"))),
                move, "search", wishes_only=tuple(message.values("wish")) if asked_only_wishes else (), said_constraints=said,
                cheapest_instead=cheapest_instead)


def _later_kind(state: DialogueState, category: str | None) -> str | None:
    """The kind named for later that a plainer name now asks for ("now the boots": the hiking boots)."""
    return next((kind for kind in state.later if category and names_kind_within(kind, category)), None)


def _kinds_for_later(state: DialogueState, message: Message, searched: str | None) -> tuple[str, ...]:
    """The kinds still wanted later: those named before and now, less the one searched."""
    return tuple(kind for kind in dict.fromkeys((*state.later, *message.values("later_category"))) if kind != searched)


def _changes_relatively(message: Message) -> bool:
    return any(message.values(name) for name in ("drop", "price_direction", "size_direction"))


def _hedges_the_kind(message: Message) -> bool:
    """Whether the kind of product named is itself hedged ("fleece if possible", "ideally
    sandals"), in a message that switches nothing else and says no "actually" or "instead"."""
    if SWITCHING.search(message.text.lower()):
        return False
    lower = message.text.lower()
    for entity in message.entities:
        if entity.get("entity") == "category" and isinstance(entity.get("start"), int):
            before, after = lower[:entity["start"]], lower[entity["end"]:]
            if HEDGE_BEFORE.search(before) or HEDGE_AFTER.match(after):
                return True
    return False


def _kind_as_wish(message: Message) -> Message:
    """The message with the kind of product it names read as a soft wish (its words as typed)."""
    entities = tuple({"entity": "wish", "value": (e.get("text") or str(e.get("value"))).lower()}
                     if e.get("entity") == "category" else e for e in message.entities)
    return replace(message, entities=entities)


def _referred_colors(state: DialogueState, message: Message) -> list[str]:
    """Colours that point at products on screen ("like the grey jacket but in blue"): right after
    "the"/"that" and worn by a product shown. They pick products; they are not filters. "The
    brown ones" asks for brown products, unless it asks about them ("tell me about the brown ones")."""
    shown_colours = {card.get("color") for card in state.shown}
    referred = []
    for entity in message.entities:
        start = entity.get("start")
        if entity.get("entity") == "color" and isinstance(start, int) and entity.get("value") in shown_colours \
                and POINTING.search(message.text[:start].lower()) \
                and (message.intent in ("product_details", "compare_products")
                     or not SEVERAL_AFTER.match(message.text[entity.get("end", start):].lower())):
            referred.append(entity["value"])
    return referred


def _switches_topic(search: Search, constraints: dict) -> bool:
    """A different kind of product is a new topic; a narrower or broader name of the same kind
    ("jackets" -> "rain jackets") refines it. A search that named no product yet ("I have 70
    dollars to spend") is completed by the first product named."""
    new, old = constraints.get("category"), search.get("category")
    if not new or not old or new == old or _corrects_the_kind(search, constraints):
        return False
    return not (_last_word(new) == _last_word(old) or new.endswith(old) or old.endswith(new))


def _corrects_the_kind(search: Search, constraints: dict) -> bool:
    """"A hoodie, not a tshirt" while t-shirts are open: the same request with the kind put
    right, so everything else carries over."""
    ruled_out = (constraints.get("exclude") or {}).get("category") or []
    return bool(constraints.get("category")) and search.get("category") in ruled_out


def _last_word(category: str) -> str:
    word = category.lower().split()[-1]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _new_search(message: Message, constraints: dict, carried: dict) -> Search:
    fresh = {**empty_constraints(), **{k: v for k, v in carried.items() if v}}
    fresh.update({k: v for k, v in constraints.items() if v is not None})
    fresh["exclude"] = _exclusions({}, constraints.get("exclude") or {}, fresh.get("color"), fresh.get("brand"))
    return Search(fresh, tuple(message.values("wish")), message.text,
                  size_waived=bool(ANY_SIZE.search(message.text)) or "size" in message.values("drop"))


def _refined(search: Search, message: Message, shown: tuple[dict, ...], constraints: dict | None = None) -> Search:
    constraints = message.constraints() if constraints is None else constraints
    merged = dict(search.constraints)
    for key in ("category", "brand", "color", "gender", "size", "rating_min", "sort"):
        if constraints.get(key) is not None:
            merged[key] = constraints[key]
    merged["price"] = _merged_price(search.get("price"), constraints.get("price"))
    for dropped in message.values("drop"):
        for key in DROPPABLE.get(dropped, ()):
            merged[key] = None
        if dropped in EXCLUDE_KEYS and merged.get("exclude"):
            merged["exclude"] = {k: v for k, v in merged["exclude"].items() if k != dropped} or None
    merged["price"] = _relative_price(merged["price"], message, shown)
    merged["size"] = _relative_size(merged.get("size"), message)
    merged["exclude"] = _exclusions(merged.get("exclude") or {}, constraints.get("exclude") or {},
                                    constraints.get("color"), constraints.get("brand"))
    if _corrects_the_kind(search, constraints):  # the old kind is gone already: no need to rule it out
        kinds = [k for k in merged["exclude"]["category"] if k != search.get("category")]
        merged["exclude"] = {**{k: v for k, v in merged["exclude"].items() if k != "category"},
                             **({"category": kinds} if kinds else {})} or None
    for key in ("color", "brand"):  # a value excluded now is no longer wanted
        excluded = (merged["exclude"] or {}).get(key) or []
        if merged.get(key):
            merged[key] = [v for v in merged[key] if v not in excluded] or None
    text = message.text if not search.get("category") and constraints.get("category") else search.text
    wishes = tuple(dict.fromkeys((*search.wishes, *message.values("wish"))))
    waived = (search.size_waived or bool(ANY_SIZE.search(message.text)) or "size" in message.values("drop")) \
        and not merged.get("size")
    return Search(merged, wishes, text, waived, search.size_assumed and merged.get("size") == search.get("size"))


def _merged_price(old: dict | None, new: dict | None) -> dict | None:
    """A new bound replaces the same bound; a lone new bound keeps the other one when they still
    make a range ("under 100" then "at least 50" is 50 to 100)."""
    if not new:
        return old
    if not old or (new.get("min") is not None and new.get("max") is not None):
        return new
    low = new["min"] if new.get("min") is not None else old.get("min")
    high = new["max"] if new.get("max") is not None else old.get("max")
    if low is not None and high is not None and low > high:
        return new
    return {"min": low, "max": high, "currency": new.get("currency") or old.get("currency")}


def _relative_price(price: dict | None, message: Message, shown: tuple[dict, ...]) -> dict | None:
    """"Cheaper" is below everything on screen ("$20 less": that much below the cheapest);
    "more expensive" is above it."""
    direction = message.first("price_direction")
    if direction not in ("lower", "higher") or not shown:
        return price
    delta = float(message.first("price_delta") or 0)
    prices = [card["price"] for card in shown if isinstance(card.get("price"), (int, float))]
    if not prices:
        return price
    currency = (price or {}).get("currency") or shown[0].get("currency") or "USD"
    if direction == "lower":
        ceiling = round(min(prices) - (delta or 0.01), 2)
        return {"min": None, "max": max(ceiling, 0.0), "currency": currency}
    floor = round(max(prices) + (delta or 0.01), 2) if delta or not price or price.get("max") is None \
        else price["max"]
    return {"min": floor, "max": None, "currency": currency}


def _relative_size(size: dict | None, message: Message) -> dict | None:
    """"A size up", "half a size smaller": the next size in the same system."""
    direction = message.first("size_direction")
    if direction not in ("up", "down") or not size:
        return size
    step = float(message.first("size_delta") or 1) * (1 if direction == "up" else -1)
    value = size["value"]
    if value in LETTER_SIZES:
        index = LETTER_SIZES.index(value) + int(step if abs(step) >= 1 else (1 if step > 0 else -1))
        return {**size, "value": LETTER_SIZES[min(max(index, 0), len(LETTER_SIZES) - 1)]}
    try:
        number = float(value) + step
    except ValueError:
        return size
    return {**size, "value": f"{number:g}"}


def _exclusions(old: dict, new: dict, wanted_colors, wanted_brands) -> dict | None:
    merged = {key: list(dict.fromkeys([*(old.get(key) or []), *(new.get(key) or [])])) for key in EXCLUDE_KEYS}
    for key, wanted in (("color", wanted_colors), ("brand", wanted_brands)):
        if wanted and key not in new:  # asking for a colour again lifts its exclusion
            merged[key] = [v for v in merged[key] if v not in wanted]
    merged = {key: values for key, values in merged.items() if values}
    return merged or None


# -- storage in Rasa slots -----------------------------------------------------------------------
def from_slots(search_slot: dict | None, shown: list[dict] | None) -> DialogueState:
    """The state from the `search_query` slot (the applied query plus the dialogue's notes) and
    the `last_results` slot."""
    stored = search_slot or {}
    search = None
    if any(key in stored for key in (*HARD_KEYS, "exclude", "sort", "text", "wishes", "similar_to")):
        constraints = {**empty_constraints(), **{k: v for k, v in stored.items()
                                                   if k in (*HARD_KEYS, "exclude", "sort", "similar_to")}}
        search = Search(constraints, tuple(stored.get("wishes") or ()), stored.get("text") or "",
                        bool(stored.get("size_waived")), bool(stored.get("size_assumed")))
    asked = stored.get("question")
    question = Question(asked["kind"], asked.get("about"), asked.get("suggested")) if asked else None
    return DialogueState(search, tuple(shown or ()), question, stored.get("focus"), tuple(stored.get("later") or ()))


def to_slot(state: DialogueState) -> dict | None:
    """The `search_query` slot for a state (None when nothing is open)."""
    stored: dict = {}
    if state.search is not None:
        stored.update({k: v for k, v in state.search.constraints.items() if v is not None})
        stored["text"] = state.search.text
        if state.search.wishes:
            stored["wishes"] = list(state.search.wishes)
        if state.search.size_waived:
            stored["size_waived"] = True
        if state.search.size_assumed:
            stored["size_assumed"] = True
    if state.question is not None:
        stored["question"] = {k: v for k, v in (("kind", state.question.kind), ("about", state.question.about),
                                                 ("suggested", state.question.suggested)) if v is not None}
    if state.focus is not None:
        stored["focus"] = state.focus
    if state.later:
        stored["later"] = list(state.later)
    return stored or None
