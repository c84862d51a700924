"""Search, refine, browse and product questions, on the dialogue state `dialogue.state` keeps."""
from __future__ import annotations

import logging
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.product_questions import answer_question, comparison, details_text
from contract import payloads
from contract.money import ShopMoney
from dialogue.state import DialogueState, Question, Search, Step, to_slot
from nlu.normalize import sizes_meant
from recommender.engine import SearchResult
from recommender.query import SearchQuery

log = logging.getLogger(__name__)
PAGE_SIZE = 5
RELAX_WORDS = {"size": "the size", "color": "the colour", "price": "the budget", "brand": "the brand",
               "rating_min": "the rating", "gender": "the gender", "category": "the category",
               "exclude": "what you ruled out"}
# Said back for each sort order; "newest" is not: no feed format carries a date, so the
# recommender falls back to relevance for it.
SORT_WORDS = {"price_asc": "cheapest first", "price_desc": "most expensive first", "rating_desc": "best rated first",
              "popularity_desc": "most popular first"}
GENDER_WORDS = {"men": "men's", "women": "women's", "boys": "boys'", "girls": "girls'", "kids": "kids'"}
# Below this cosine similarity between the shopper's words and the closest kind of product (a
# category level below the departments: "clothing" is near anything worn, "suit" 0.61), the
# catalog does not carry what was asked for. On the demo catalog every exact category name scores
# 0.87 or more and every out-of-catalog word 0.58 or less ("laptops" 0.57, "purse" 0.58, "tv"
# 0.44, "suit" 0.51); synonyms that score lower ("parka" 0.30) are read by the parser's synonym
# list first.
CARRIED_MIN_SIMILARITY = 0.6
NEAREST_DEPARTMENTS = 3
# A kind sold in fewer sizes than this (one size, or "S/M" and "L/XL" hats) is shown at once; the
# size is asked when a product goes in the cart.
SIZES_WORTH_ASKING = 3
SUGGESTED_KINDS = 3


def describe(query: SearchQuery, wishes_met: tuple[str, ...] = (), around: float | None = None) -> str:
    """What is being applied, said back: "women's hiking boots under $150 in size 8 that mention
    waterproof, not black" (only the wishes the products shown do mention: the search narrowed to
    them); a budget said as "around $50" is said back so, with the range applied."""
    words = [GENDER_WORDS.get(query.gender or "", ""), " or ".join(query.colors), " or ".join(query.brands),
             query.category or "products"]
    text = " ".join(w for w in words if w)
    if query.price_min is not None or query.price_max is not None:
        money = services.money()
        low, high = (None if v is None else money.amount(v, query.currency) for v in (query.price_min, query.price_max))
    if around is not None and query.price_min is not None and query.price_max is not None:
        text += f" around {money.amount(around, query.currency)} ({low} to {high})"
    elif query.price_min is not None and query.price_max is not None:
        text += f" between {low} and {high}"
    elif query.price_max is not None:
        text += f" under {high}"
    elif query.price_min is not None:
        text += f" over {low}"
    if query.size:
        text += f" in size {' or '.join((query.size, *query.more_sizes))}"
    if query.rating_min is not None:
        text += f" rated {query.rating_min:g}+ stars"
    if wishes_met:
        text += f" that mention {' and '.join(wishes_met)}"
    ruled_out = [*query.exclude_colors, *query.exclude_brands, *query.exclude_categories, *query.exclude_materials]
    extras = [f"not {' or '.join(ruled_out)}"] if ruled_out else []
    extras += [SORT_WORDS[query.sort]] if query.sort in SORT_WORDS else []
    return ", ".join([text, *extras])


def query_of(search: Search) -> SearchQuery:
    constraints = dict(search.constraints)
    similar_to = constraints.pop("similar_to", None)
    return SearchQuery.from_constraints(constraints, search.text, wishes=search.wishes, similar_to=similar_to)


def size_range(sizes: list[str]) -> str:
    return f"sizes {sizes[0]} to {sizes[-1]}" if len(sizes) > 2 else "sizes " + " and ".join(sizes)


def size_buttons(sizes: list[str]) -> list[dict]:
    return [payloads.intent_button(size, "refine_search", size=size) for size in sizes[:12]] + \
        [payloads.text_button("Any size", "any size")]


def asking(state: DialogueState, search: Search, question: Question) -> list:
    return [SlotSet("search_query", to_slot(replace(state, search=search, question=question)))]


def with_sizes_meant(state: DialogueState) -> DialogueState:
    """A waist alone ("32") for a kind sold by waist and length searches every length of it. A
    size for a kind the catalog sells in no size (furniture, a marketplace's goods) is dropped: it
    would empty the results, and no size question follows (issue 15)."""
    search = state.search
    size = search.get("size") or {}
    if not size.get("value"):
        return state
    carried = services.recommender().sizes_in_stock(SearchQuery(category=search.get("category"),
                                                                gender=search.get("gender")))
    if not carried:
        return replace(state, search=replace(search, constraints={**search.constraints, "size": None}))
    if not search.get("category"):
        return state
    meant = sizes_meant(size["value"], carried) if size["value"] not in carried else []
    if not meant:
        return state
    size = {**size, "value": meant[0], "values": meant}
    return replace(state, search=replace(search, constraints={**search.constraints, "size": size}))


def ask_for_size(dispatcher: CollectingDispatcher, tracker: Tracker, state: DialogueState) -> list | None:
    """Ask for the size when the category comes in sizes and none was given or waived; reprompt
    when the size given is one the category is never sold in. None: nothing to ask."""
    search = state.search
    query = query_of(search)
    if not query.category or query.similar_to or search.size_waived:
        return None
    recommender = services.recommender()
    if query.size:
        carried = recommender.sizes_in_stock(SearchQuery(category=query.category, gender=query.gender))
        if not carried or query.size in carried or any(size in carried for size in query.more_sizes):
            return None
        if search.size_assumed:  # the last kind's letter size does not fit this kind: just ask
            search = replace(search, constraints={**search.constraints, "size": None}, size_assumed=False)
            return ask_for_size(dispatcher, tracker, replace(state, search=search))
        dispatcher.utter_message(text=f"We carry {describe(query.without('size'))} in {size_range(carried)}, "
                                      f"not in {query.size}. Which size would you like?",
                                 buttons=size_buttons(carried))
        return asking(state, replace(search, constraints={**search.constraints, "size": None}), Question("size"))
    sizes = recommender.sizes_in_stock(query)
    if len(sizes) < SIZES_WORTH_ASKING:
        return None
    remembered = services.shop().remembered_sizes(services.owner(tracker)).get(query.category)
    if remembered in sizes:
        dispatcher.utter_message(
            text=f"Still a {remembered} in {query.category}?",
            buttons=[payloads.intent_button(f"Yes, {remembered}", "refine_search", size=remembered),
                     payloads.text_button("Any size", "any size")])
        return asking(state, search, Question("size", suggested=remembered))
    budget = "" if query.price_max is not None or query.price_min is not None else \
        " Add a budget too if you like, for example \"10 under $100\"."
    dispatcher.utter_message(text=f"What size? We have {describe(query)} in {size_range(sizes)}.{budget}",
                             buttons=size_buttons(sizes))
    return asking(state, search, Question("size"))


def ask_for_kind(dispatcher: CollectingDispatcher, step: Step) -> list | None:
    """A message that says who the search is for or what it may cost, while nothing says what it
    is ("I have about 70 dollars to spend"): ask what they are looking for, keeping what was
    said. "Just show me what you have" says no constraint, so it is shown."""
    search = step.state.search
    if not step.said_constraints or search.wishes or any(search.get(key) for key in ("category", "brand", "color",
                                                                                      "similar_to", "sort")):
        return None
    kinds = services.catalog().largest_categories(SUGGESTED_KINDS)
    dispatcher.utter_message(text=f"Sure. What are you looking for? I'll keep to {describe(query_of(search))}.",
                             buttons=[payloads.text_button(kind[:1].upper() + kind[1:], kind) for kind in kinds])
    return asking(step.state, search, Question("category"))


def personalised(tracker: Tracker, query: SearchQuery) -> SearchQuery:
    """Bias the ranking toward brands this customer bought before (unless they said forget)."""
    owner = services.owner(tracker)
    shop = services.shop()
    if not shop.uses_history(owner):
        return query
    bought = [line.variant_id for order in shop.orders(owner, limit=20) for line in order.lines]
    brands = {facts["brand"] for facts in services.catalog().offers(bought).values() if facts}
    return replace(query, preferred_brands=tuple(sorted(brands)))


def not_carried(dispatcher: CollectingDispatcher, words: str) -> list | None:
    """A request for something the catalog does not carry, told apart from a search that found
    nothing: the shopper's words are far from every category name the catalog has and no
    product's title names them. Answered with the nearest departments it does carry; None when
    the catalog may well carry it."""
    if services.recommender().names_products(words):
        return None
    departments = set(services.catalog().departments())  # "clothing" is near anything worn: judge by kinds
    nearest = [(name, similarity) for name, similarity in
               services.recommender().nearest_categories(words, NEAREST_DEPARTMENTS + len(departments))
               if name not in departments][:NEAREST_DEPARTMENTS]
    if not nearest or nearest[0][1] >= CARRIED_MIN_SIMILARITY:
        return None
    names = [name for name, _ in nearest]
    dispatcher.utter_message(
        text=f"Sorry, that's not something we carry. The closest we have: {', '.join(names)}.",
        buttons=[payloads.text_button(name[:1].upper() + name[1:], name) for name in names])
    return [SlotSet("search_query", None), SlotSet("shown_products", []), SlotSet("last_results", [])]


def names_nothing_known(search: Search) -> bool:
    """A search in which nothing was read but words: no category, brand, colour, budget, size,
    gender or anything else the catalog knows ("do you sell laptops?", not "between $80 and $150")."""
    return not any(search.constraints.values())


def budget_in_shop_currency(tracker: Tracker, step: Step, currency: str) -> Step:
    """A budget whose currency the message did not say (an Alexa slot, a button) is in the shop's."""
    search = step.state.search
    said = {entity.get("entity") for entity in tracker.latest_message.get("entities") or []}
    price = search.get("price") if search else None
    if not price or price.get("currency") == currency or "currency" in said or not said & {"price_min", "price_max"}:
        return step
    search = replace(search, constraints={**search.constraints, "price": {**price, "currency": currency}})
    return replace(step, state=replace(step.state, search=search))


def other_currency(dispatcher: CollectingDispatcher, state: DialogueState, money: ShopMoney) -> list | None:
    """A budget in another currency than the shop's is never converted: say which currency the
    prices are in and ask for the budget in it, keeping the rest of the search for the answer."""
    price = state.search.get("price") if state.search else None
    if not price or (price.get("currency") or money.currency) == money.currency:
        return None
    full = money.name() == money.name(price["currency"])  # dollars and dollars: "US dollars", "Canadian dollars"
    ours, theirs = money.name(full=full), money.name(price["currency"], full=full)
    dispatcher.utter_message(text=f"Our prices are in {ours} ({money.symbol()}), so I can't compare them with a "
                                  f"budget in {theirs}. What's your budget in {ours}?")
    kept = replace(state.search, constraints={**state.search.constraints, "price": None})
    return [SlotSet("search_query", to_slot(replace(state, search=kept, question=None)))]


def search_and_answer(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """Say when the catalog doesn't carry it, ask for a missing size, or search, answer, and
    remember the size used."""
    money = services.money()
    step = budget_in_shop_currency(tracker, step, money.currency)
    unpriced = other_currency(dispatcher, step.state, money)
    if unpriced is not None:
        return unpriced
    state = step.state
    words = " ".join(state.search.wishes)
    refused = not_carried(dispatcher, words) if step.move == "new_search" and words and \
        names_nothing_known(state.search) else None
    if refused is not None:
        return refused
    state = with_sizes_meant(state)
    asked = ask_for_kind(dispatcher, step) or ask_for_size(dispatcher, tracker, state)
    if asked is not None:
        return asked
    query = query_of(state.search)
    result = services.recommender().search(personalised(tracker, query), PAGE_SIZE)
    result.query = query
    if step.cheapest_instead is not None and (not result.products or result.wishes_unmet):
        before_query, before = cheapest_as_before(tracker, step)
        if not result.products or set(result.wishes_unmet) & set(before.wishes_met):  # or none cheaper is waterproof
            return nothing_cheaper(dispatcher, step, before_query, before)
    if result.products and query.size and query.category:
        services.shop().remember_size(services.owner(tracker), query.category, query.size)
    return answer_with_results(dispatcher, state, query, result, [], wishes_asked=step.wishes_only)


def cheapest_as_before(tracker: Tracker, step: Step) -> tuple[SearchQuery, SearchResult]:
    """The search as it was before "cheaper", cheapest first."""
    query = query_of(step.cheapest_instead)
    result = services.recommender().search(personalised(tracker, query), PAGE_SIZE)
    result.query = query
    return query, result


def nothing_cheaper(dispatcher: CollectingDispatcher, step: Step, query: SearchQuery, result: SearchResult) -> list:
    """"Cheaper" when nothing costs less than the products on screen (nothing that meets a wish
    they met: "that mention waterproof"): say so, and show the search as it was (`result`,
    cheapest first) instead of an empty page or one that drops the wish."""
    among = describe(query.without("sort"), result.wishes_met)
    dispatcher.utter_message(text=f"Nothing costs less than those among {among}: they are the lowest-priced we have.")
    return answer_with_results(dispatcher, replace(step.state, search=step.cheapest_instead), query, result, [])


def answer_with_results(dispatcher: CollectingDispatcher, state: DialogueState, query: SearchQuery,
                        result: SearchResult, shown_before: list[str], browsing: bool = False,
                        wishes_asked: tuple[str, ...] = ()) -> list:
    """Reply with a product list; for an empty new search, say what to relax and offer near misses.
    Say so when no product shown meets a wish the catalog speaks of, or one the message asked
    for alone."""
    stored = to_slot(replace(state, question=None))
    if result.products:
        more = " Say \"show more\" for more." if result.total_matching > len(shown_before) + len(result.products) else ""
        unmet = [wish for wish in dict.fromkeys((*wishes_asked, *result.wishes_unmet)) if wish not in result.wishes_met]
        honest = f" None of them mentions {' or '.join(unmet)}." if unmet else ""
        around = ((state.search.get("price") if state.search else None) or {}).get("around")
        dispatcher.utter_message(
            text=f"Here are {len(result.products)} of {result.total_matching} "
                 f"{describe(query, result.wishes_met, around)}.{honest}{more}",
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


def ask_which_size(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """After a no to "still a 9?": offer the sizes in stock."""
    state = step.state
    sizes = services.recommender().sizes_in_stock(query_of(state.search))
    dispatcher.utter_message(text="Which size then?", buttons=size_buttons(sizes))
    return asking(state, state.search, Question("size"))


def show_more(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    state = step.state
    if state.search is None:
        dispatcher.utter_message(text="Tell me what you're looking for first, for example \"rain jackets under $150\".")
        return []
    query = query_of(state.search)
    shown = tracker.get_slot("shown_products") or []
    page = replace(personalised(tracker, query), exclude_ids=frozenset(shown))  # ranked as page one was
    result = services.recommender().search(page, PAGE_SIZE)
    result.query = query
    return answer_with_results(dispatcher, state, query, result, shown, browsing=True)


def product_details(dispatcher: CollectingDispatcher, tracker: Tracker, step: Step) -> list:
    """Answer from catalog attributes only; compare when several products are named."""
    picked = list(step.picked)
    comparing = step.act == "compare"
    if comparing and len(picked) < 2 and len(step.state.shown) == 1:
        dispatcher.utter_message(text=f"Only one product is on the list: {step.state.shown[0].get('title')}. "
                                      f"Say \"show me more like it\" or widen the search to compare it with others.")
        return []
    if not picked or (comparing and len(picked) < 2):
        dispatcher.utter_message(text="Which products do you mean? Search first, then say \"compare the first two\"."
                                 if comparing else
                                 "Which product do you mean? You can say \"the first one\" or tap Details on a card.")
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
    return [SlotSet("search_query", to_slot(step.state))]  # the product talked about: "I'll take that one"
