"""Search, refine, browse and product questions."""
from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.references import entity_values, referenced_products
from nlu.entities import constraints_from_entities, empty_constraints
from recommender.engine import SearchResult, size_sort_key
from recommender.live_catalog import offer
from recommender.query import SearchQuery

log = logging.getLogger(__name__)
PAGE_SIZE = 5
CHEAPER = re.compile(r"\b(cheaper|less expensive|lower price|more affordable|budget)\b", re.I)
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


def query_from_slot(tracker: Tracker) -> SearchQuery | None:
    stored = tracker.get_slot("search_query")
    if not stored:
        return None
    constraints = {**empty_constraints(), **{k: v for k, v in stored.items() if k != "text"}}
    return SearchQuery.from_constraints(constraints, stored.get("text", ""))


def store_query(query: SearchQuery) -> dict:
    return {**query.to_contract(), "text": query.text}


def new_query(tracker: Tracker) -> SearchQuery:
    """The query the latest message asks for, refining the previous one when it is a refinement."""
    message = tracker.latest_message
    constraints = constraints_from_entities(message.get("entities", []))
    text = message.get("text") or ""
    previous = query_from_slot(tracker)
    intent = (message.get("intent") or {}).get("name")
    if intent != "refine_search" or previous is None:
        return SearchQuery.from_constraints(constraints, "" if text.startswith("/") else text)
    merged = {**empty_constraints(), **previous.to_contract()}
    merged.update({k: v for k, v in constraints.items() if v is not None})
    extra: dict[str, Any] = {"text": previous.text}
    similar = referenced_products(tracker) if (entity_values(tracker, "similar_to") or re.search(r"\b(like|similar)\b", text)) else []
    if similar:
        extra["similar_to"] = similar[0]["group_id"]
    shown = tracker.get_slot("last_results") or []
    if CHEAPER.search(text) and constraints["price"] is None and shown:
        cheapest = min(card["price"] for card in shown)
        merged["price"] = {"min": None, "max": round(cheapest - 0.01, 2), "currency": shown[0]["currency"]}
    return SearchQuery.from_constraints(merged, **extra)


def answer_with_results(dispatcher: CollectingDispatcher, query: SearchQuery, result: SearchResult,
                        shown_before: list[str], browsing: bool = False) -> list:
    """Reply with a product list; for an empty new search, say what to relax and offer near misses."""
    if result.products:
        more = " Say \"show more\" for more." if result.total_matching > len(shown_before) + len(result.products) else ""
        dispatcher.utter_message(
            text=f"Here are {len(result.products)} of {result.total_matching} {describe(query)}.{more}",
            json_message={"type": "product_list", "query": query.to_contract(), "products": result.products},
        )
        return [SlotSet("search_query", store_query(query)),
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
            json_message={"type": "alternatives", "relaxed": [name], "query": query.to_contract(),
                          "products": alternative.products},
        )
        return [SlotSet("search_query", store_query(query)), SlotSet("shown_products", []),
                SlotSet("last_results", alternative.products)]
    dispatcher.utter_message(text=f"I couldn't find any {describe(query)}. Try a broader search, for example without the size or budget.")
    return [SlotSet("search_query", store_query(query)), SlotSet("shown_products", []), SlotSet("last_results", [])]


class ActionSearchProducts(Action):
    def name(self) -> str:
        return "action_search_products"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        query = new_query(tracker)
        result = services.recommender().search(query, PAGE_SIZE)
        return answer_with_results(dispatcher, query, result, [])


class ActionShowMore(Action):
    def name(self) -> str:
        return "action_show_more"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        query = query_from_slot(tracker)
        if query is None:
            dispatcher.utter_message(text="Tell me what you're looking for first, for example \"rain jackets under $150\".")
            return []
        shown = tracker.get_slot("shown_products") or []
        page = SearchQuery(**{**query.__dict__, "exclude_ids": frozenset(shown)})
        result = services.recommender().search(page, PAGE_SIZE)
        result.query = query
        return answer_with_results(dispatcher, query, result, shown, browsing=True)


def product_facts(group_or_variant_id: str) -> dict | None:
    recommender = services.recommender()
    arrays = recommender.catalog.arrays()
    row = recommender.product_row(arrays, group_or_variant_id)
    if row is None:
        return None
    product = arrays.product_rows[row]
    start, end = int(arrays.variant_start[row]), int(arrays.variant_start[row + 1])
    variants = [offer(arrays, arrays.variant_rows[i]["id"]) for i in range(start, end)]
    in_stock = [v for v in variants if v and v["in_stock"]]
    return {**product, "variants": variants, "in_stock": in_stock}


def details_text(facts: dict) -> str:
    prices = sorted({v["price"] for v in facts["in_stock"]}) or sorted({v["price"] for v in facts["variants"]})
    price = f"${prices[0]:.2f}" if len(prices) == 1 else f"${prices[0]:.2f} to ${prices[-1]:.2f}"
    sizes = sorted({v["size"] for v in facts["in_stock"] if v["size"]}, key=size_sort_key)
    colours = sorted({v["color"] for v in facts["in_stock"] if v["color"]})
    lines = [f"**{facts['title']}** by {facts['brand']}: {price}."]
    if facts["rating"] is not None:
        lines.append(f"Rated {facts['rating']:.1f} out of 5 from {facts['review_count'] or 0} reviews.")
    if facts["material"]:
        lines.append(f"Material: {facts['material']}.")
    lines.append(f"In stock in sizes {', '.join(sizes)}." if sizes else "Currently out of stock." if not facts["in_stock"] else "")
    if colours:
        lines.append(f"Colours: {', '.join(colours)}.")
    lines.append(facts["description"])
    return "\n".join(line for line in lines if line)


class ActionProductDetails(Action):
    """Answer from catalog attributes only; compare when several products are named."""

    def name(self) -> str:
        return "action_product_details"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list:
        picked = referenced_products(tracker)
        comparing = (tracker.latest_message.get("intent") or {}).get("name") == "compare_products"
        if comparing and len(picked) < 2:
            picked = (tracker.get_slot("last_results") or [])[:2] if len(picked) == 0 else picked
        if not picked:
            dispatcher.utter_message(text="Which product do you mean? You can say \"the first one\" or tap Details on a card.")
            return []
        for card in picked[:3]:
            facts = product_facts(card["group_id"])
            if facts is None:
                dispatcher.utter_message(text="Sorry, that product is no longer in our catalog.")
                continue
            dispatcher.utter_message(text=details_text(facts))
        return []
