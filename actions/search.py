"""Search, refine, browse and product questions."""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.base import ShopAction
from actions.product_questions import answer_question, comparison, details_text
from actions.references import entity_values, referenced_products
from contract import payloads
from nlu.entities import constraints_from_entities, empty_constraints
from nlu.normalize import normalize_size
from recommender.engine import SearchResult
from recommender.query import SearchQuery

log = logging.getLogger(__name__)
PAGE_SIZE = 5
CONTRACT_KEYS = tuple(empty_constraints())
ANY_SIZE = re.compile(r"\b(any|all|every|no particular)\s+sizes?\b|\b(doesn'?t|does not) matter\b|"
                      r"\bdon'?t (care|mind)\b|\bwhatever\b|\bnot sure\b", re.I)
SIZE_ANSWER_FILLER = re.compile(r"^(?:(?:i'?m|i am|i wear|i take|usually|normally|it'?s|make it)\s+)*(?:an?\s+)?"
                                r"|\s*(?:please|thanks|thank you)$")
RELAX_WORDS = {"size": "the size", "color": "the colour", "price": "the budget", "brand": "the brand",
               "rating_min": "the rating", "gender": "the gender", "category": "the category"}


def describe(query: SearchQuery) -> str:
    """A short phrase for what was searched: "men's black running shoes under $100 in size 10"."""
    gender = {"men": "men's", "women": "women's", "boys": "boys'", "girls": "girls'", "kids": "kids'"}.get(query.gender or "", "")
    words = [gender, " and ".join(query.colors), " or ".join(query.brands), query.category or "products"]
    text = " ".join(w for w in words if w)
    if query.price_min is not None and query.price_max is not None:
        text += f" between ${query.price_min:g} and ${query.price_max:g}"
    elif query.price_max is not None:
        text += f" under ${query.price_max:g}"
    elif query.price_min is not None:
        text += f" over ${query.price_min:g}"
    if query.size:
        text += f" in size {query.size}"
    if query.rating_min is not None:
        text += f" rated {query.rating_min:g}+ stars"
    return text


def search_state(tracker: Tracker) -> dict:
    """The `search_query` slot: the applied constraints plus the dialogue's own notes
    (`awaiting`: "size" while a size question is open, `suggested_size`, `size_waived`)."""
    return tracker.get_slot("search_query") or {}


def query_from_slot(tracker: Tracker) -> SearchQuery | None:
    stored = search_state(tracker)
    if not stored:
        return None
    constraints = {**empty_constraints(), **{k: v for k, v in stored.items() if k in CONTRACT_KEYS}}
    return SearchQuery.from_constraints(constraints, stored.get("text", ""))


def store_query(query: SearchQuery, **notes) -> dict:
    return {**query.to_contract(), "text": query.text, **{k: v for k, v in notes.items() if v}}


def size_answer(text: str) -> str | None:
    """A bare answer to "What size?": "10", "a ten and a half", "i wear a 9", "medium please".
    Out of that context a lone number is as likely a price or a quantity, so only here."""
    core = SIZE_ANSWER_FILLER.sub("", text.strip().lower()).strip(" .!")
    size = normalize_size(core)
    return None if size == "ONE SIZE" else size


def new_query(tracker: Tracker) -> tuple[SearchQuery, bool]:
    """The query the latest message asks for, refining the previous one when it is a refinement
    (or the answer to an open size question), and whether the shopper waived the size."""
    message = tracker.latest_message
    constraints = constraints_from_entities(message.get("entities", []))
    text = message.get("text") or ""
    previous, state = query_from_slot(tracker), search_state(tracker)
    intent = (message.get("intent") or {}).get("name")
    answering_size = state.get("awaiting") == "size" and not constraints["category"]
    said_any = bool(ANY_SIZE.search(text))
    if constraints["size"] and ANY_SIZE.search(f"{constraints['size']['value']} size"):
        constraints["size"], said_any = None, True  # a voice slot resolved to "any size"
    if answering_size and constraints["size"] is None and not said_any and (answer := size_answer(text)):
        constraints["size"] = {"value": answer, "system": None}
    size_waived = said_any and constraints["size"] is None
    if previous is None or not (intent == "refine_search" or answering_size):
        return SearchQuery.from_constraints(constraints, "" if text.startswith("/") else text), size_waived
    merged = {**empty_constraints(), **previous.to_contract()}
    merged.update({k: v for k, v in constraints.items() if v is not None})
    if size_waived:
        merged["size"] = None
    extra: dict[str, Any] = {"text": previous.text}
    similar = referenced_products(tracker) if (entity_values(tracker, "similar_to") or re.search(r"\b(like|similar)\b", text)) else []
    if similar:
        extra["similar_to"] = similar[0]["group_id"]
    shown = tracker.get_slot("last_results") or []
    if "lower" in entity_values(tracker, "price_direction") and constraints["price"] is None and shown:
        cheapest = min(card["price"] for card in shown)
        merged["price"] = {"min": None, "max": round(cheapest - 0.01, 2), "currency": shown[0]["currency"]}
    return SearchQuery.from_constraints(merged, **extra), size_waived or bool(state.get("size_waived"))


def size_range(sizes: list[str]) -> str:
    return f"sizes {sizes[0]} to {sizes[-1]}" if len(sizes) > 2 else "sizes " + " and ".join(sizes)


def ask_for_size(dispatcher: CollectingDispatcher, tracker: Tracker, query: SearchQuery) -> list | None:
    """Ask for the size when the category comes in sizes and none was given or waived; reprompt
    when the size given is one the category is never sold in. None: nothing to ask."""
    if not query.category or query.similar_to:
        return None
    recommender = services.recommender()
    if query.size:
        carried = recommender.sizes_in_stock(SearchQuery(category=query.category, gender=query.gender))
        if not carried or query.size in carried:
            return None
        dispatcher.utter_message(text=f"We carry {describe(query.without('size'))} in {size_range(carried)}, "
                                      f"not in {query.size}. Which size would you like?",
                                 buttons=size_buttons(carried))
        return [SlotSet("search_query", store_query(query.without("size"), awaiting="size"))]
    sizes = recommender.sizes_in_stock(query)
    if len(sizes) < 2:
        return None
    remembered = services.shop().remembered_sizes(services.owner(tracker)).get(query.category)
    if remembered in sizes:
        dispatcher.utter_message(
            text=f"Still a {remembered} in {query.category}?",
            buttons=[payloads.intent_button(f"Yes, {remembered}", "refine_search", size=remembered),
                     payloads.text_button("Any size", "any size")])
        return [SlotSet("search_query", store_query(query, awaiting="size", suggested_size=remembered))]
    budget = "" if query.price_max is not None or query.price_min is not None else \
        " Add a budget too if you like, for example \"10 under $100\"."
    dispatcher.utter_message(text=f"What size? We have {describe(query)} in {size_range(sizes)}.{budget}",
                             buttons=size_buttons(sizes))
    return [SlotSet("search_query", store_query(query, awaiting="size"))]


def size_buttons(sizes: list[str]) -> list[dict]:
    return [payloads.intent_button(size, "refine_search", size=size) for size in sizes[:12]] + \
        [payloads.text_button("Any size", "any size")]


def personalised(tracker: Tracker, query: SearchQuery) -> SearchQuery:
    """Bias the ranking toward brands this customer bought before (unless they said forget)."""
    owner = services.owner(tracker)
    shop = services.shop()
    if not shop.uses_history(owner):
        return query
    bought = [line.variant_id for order in shop.orders(owner, limit=20) for line in order.lines]
    brands = {facts["brand"] for facts in services.catalog().offers(bought).values() if facts}
    return replace(query, preferred_brands=tuple(sorted(brands)))


def search_and_answer(dispatcher: CollectingDispatcher, tracker: Tracker, query: SearchQuery, size_waived: bool) -> list:
    """Ask for a missing size, or search, answer, and remember the size used."""
    if not size_waived:
        asked = ask_for_size(dispatcher, tracker, query)
        if asked is not None:
            return asked
    result = services.recommender().search(personalised(tracker, query), PAGE_SIZE)
    result.query = query
    if result.products and query.size and query.category:
        services.shop().remember_size(services.owner(tracker), query.category, query.size)
    return answer_with_results(dispatcher, query, result, [], size_waived=size_waived)


def answer_with_results(dispatcher: CollectingDispatcher, query: SearchQuery, result: SearchResult,
                        shown_before: list[str], browsing: bool = False, size_waived: bool = False) -> list:
    """Reply with a product list; for an empty new search, say what to relax and offer near misses."""
    stored = store_query(query, size_waived=size_waived)
    if result.products:
        more = " Say \"show more\" for more." if result.total_matching > len(shown_before) + len(result.products) else ""
        dispatcher.utter_message(
            text=f"Here are {len(result.products)} of {result.total_matching} {describe(query)}.{more}",
            json_message=payloads.product_list(query.to_contract(), result.products),
        )
        return [SlotSet("search_query", stored),
                SlotSet("shown_products", shown_before + [p["group_id"] for p in result.products]),
                SlotSet("last_results", result.products)]
    if browsing:
        dispatcher.utter_message(text=f"That's everything I have for {describe(query)}.")
        return []
    relaxations = services.recommender().relaxations(query)
    if relaxations:
        name, alternative = relaxations[0]
        dispatcher.utter_message(
            text=f"I couldn't find any {describe(query)}. If you can change {RELAX_WORDS[name]}, these come close.",
            json_message=payloads.alternatives([name], query.to_contract(), alternative.products),
        )
        return [SlotSet("search_query", stored), SlotSet("shown_products", []),
                SlotSet("last_results", alternative.products)]
    dispatcher.utter_message(text=f"I couldn't find any {describe(query)}. Try a broader search, for example without the size or budget.")
    return [SlotSet("search_query", stored), SlotSet("shown_products", []), SlotSet("last_results", [])]


class ActionSearchProducts(ShopAction):
    def name(self) -> str:
        return "action_search_products"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        query, size_waived = new_query(tracker)
        return search_and_answer(dispatcher, tracker, query, size_waived)


class ActionShowMore(ShopAction):
    def name(self) -> str:
        return "action_show_more"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        query = query_from_slot(tracker)
        if query is None:
            dispatcher.utter_message(text="Tell me what you're looking for first, for example \"rain jackets under $150\".")
            return []
        shown = tracker.get_slot("shown_products") or []
        page = replace(personalised(tracker, query), exclude_ids=frozenset(shown))  # ranked as page one was
        result = services.recommender().search(page, PAGE_SIZE)
        result.query = query
        return answer_with_results(dispatcher, query, result, shown, browsing=True,
                                   size_waived=bool(search_state(tracker).get("size_waived")))


class ActionProductDetails(ShopAction):
    """Answer from catalog attributes only; compare when several products are named."""

    def name(self) -> str:
        return "action_product_details"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        picked = referenced_products(tracker)
        comparing = (tracker.latest_message.get("intent") or {}).get("name") == "compare_products"
        if comparing and len(picked) < 2:
            picked = (tracker.get_slot("last_results") or [])[:2] if len(picked) == 0 else picked
        if not picked:
            dispatcher.utter_message(text="Which product do you mean? You can say \"the first one\" or tap Details on a card.")
            return []
        catalog = services.catalog()
        found = [facts for card in picked[:3] if (facts := catalog.product(card["group_id"])) is not None]
        if len(found) < len(picked[:3]):
            dispatcher.utter_message(text="Sorry, one of those products is no longer in our catalog.")
        if comparing and len(found) >= 2:
            text, payload = comparison(found)
            dispatcher.utter_message(text=text, json_message=payload)
            return []
        for facts in found:
            answer = answer_question(facts, tracker.latest_message.get("text") or "")
            dispatcher.utter_message(text=answer or details_text(facts))
        return []
