"""The simulated shopper: an agenda of dialogue acts, popped one a turn, and a policy that
reacts to what the assistant just said (agenda-based user simulation in the spirit of
Schatzmann et al. 2007 and ConvLab's agenda simulator).

The agenda is built from the goal: an optional decoy topic, the constraints grouped by turn,
the persona's extras (a correction and its retraction, a sort, "show more", a comparison),
then choosing a product, maybe changing the quantity and viewing the cart, checking out and
confirming. Before popping the next act the shopper reacts to the assistant: it answers an
open size question with the target's size, says "yes" when asked to place the order, says an
act again in other words when the assistant did not act on it (once), and gives up when an
act it cannot do without (choosing, checking out, confirming) fails twice.

Each turn carries what the shopper has stated so far (card_checks constraint keys) and
whether the target is in play: during a deliberate topic switch or correction it is not.
"""
from __future__ import annotations

import dataclasses
import random
import re
from collections import deque

from benchmarks.card_checks import card_violations, payloads, texts
from benchmarks.simulator import phrasing
from benchmarks.simulator.catalog import ShopCatalog
from benchmarks.simulator.goals import Goal, stated_constraints

MAX_TURNS = 24
ATTEMPTS = 2  # an act is said at most twice (the second time in other words)
SIZE_QUESTION = re.compile(r"\b(what|which) size\b|\bsizes?\b[^.!?]*\?|\bstill an? [^?]*\?", re.I)
PLACE_QUESTION = re.compile(r"\b(shall|should|can) i place\b|\bplace (it|the order|your order)\b[^.!]*\?", re.I)
NOTHING_FOUND = re.compile(r"\bcouldn'?t find\b|\bno (products|results|matches)\b", re.I)
LIST_ENDED = re.compile(r"\bthat'?s everything\b", re.I)  # "show more" past the last page
SOLD_OUT = re.compile(r"\bsold out\b|\bout of stock\b|\bonly \d+ (left|of)\b", re.I)
SEARCH_ACTS = {"decoy", "inform", "switch", "correct", "uncorrect", "restate", "answer_size", "sort", "more"}
NEEDS_SHOWN = {"sort": 1, "more": 1, "compare": 2}  # products on screen an act needs
ESSENTIAL = {"choose": "not_added", "checkout": "no_checkout_question", "confirm": "no_order"}


@dataclasses.dataclass(frozen=True)
class Turn:
    act: str  # the dialogue act: inform, answer_size, switch, correct, sort, choose, checkout...
    say: str
    stated: dict  # every constraint in force after this turn (card_checks keys)
    target_in_play: bool  # False during a deliberate topic switch or correction


def product_list(messages: list[dict]) -> list[dict]:
    """The cards of the reply's product list (empty when it shows none)."""
    return next((p.get("products") or [] for p in payloads(messages, "product_list") if p.get("products")), [])


def asks_size(messages: list[dict]) -> bool:
    """An open size question ("What size?", "Which size would you like?", "Still a 10?"),
    not a list or a cart that mentions sizes."""
    shows = product_list(messages) or payloads(messages, "cart")
    return not shows and bool(SIZE_QUESTION.search(texts(messages)))


class Shopper:
    def __init__(self, goal: Goal, catalog: ShopCatalog):
        self.goal = goal
        self.catalog = catalog
        self.rng = random.Random(goal.seed)
        self.agenda: deque = deque(self._agenda())
        self.said: dict = {}  # key -> value of the constraints said in the current topic
        self.in_play = True
        self.turns: list[Turn] = []
        self.pending: tuple | None = None  # the last act, awaiting the assistant's answer
        self.attempts = 0  # times the pending act was said
        self.size_answers = 0  # size questions answered since the last act
        self.restated = False
        self.shown: list[dict] = []  # the latest product list's cards
        self.chosen: dict | None = None  # the card the shopper added
        self.passed_over = 0  # cards passed over because they had sold out
        self.sold_out = False  # the last reply said the product (or quantity) is not in stock
        self.quantity = 1  # units the shopper expects in the cart
        self.cart: dict | None = None  # the latest cart shown
        self.order: dict | None = None
        self.outcome: str | None = None  # "ordered", or why the shopper gave up

    # -- the agenda ------------------------------------------------------------------------
    def _agenda(self) -> list[tuple]:
        goal, rng = self.goal, random.Random(f"{self.goal.seed}:agenda")
        acts: list[tuple] = [("decoy",)] if goal.decoy_category else []
        acts += [("switch" if i == 0 and goal.decoy_category else "inform", step) for i, step in enumerate(goal.steps)]
        extras: list[list[tuple]] = []
        if goal.wrong_colour:
            extras.append([("correct",), ("uncorrect",)])
        if goal.sort:
            extras.append([("sort",)])
        if goal.persona.browses_more:
            extras.append([("more",)])
        if goal.persona.compares:
            extras.append([("compare",)])
        rng.shuffle(extras)
        acts += [act for group in extras for act in group] + [("choose",)]
        acts += [("quantity",)] if goal.quantity == 2 else []
        acts += [("cart",)] if goal.persona.views_cart else []
        return acts + [("checkout",), ("confirm",)]

    # -- the policy ------------------------------------------------------------------------
    def next_turn(self, messages: list[dict]) -> Turn | None:
        """What the shopper says next, given the assistant's latest reply (None: done)."""
        self._observe(messages)
        if self.outcome is None and len(self.turns) >= MAX_TURNS:
            self.outcome = "turn_limit"
        if self.outcome is not None:
            return None
        if self.pending is not None and self.pending[0] != "decoy" and asks_size(messages):
            if self.size_answers >= ATTEMPTS:
                self.outcome = "size_not_understood"
                return None
            return self._say(("answer_size",))
        if self.pending is not None and not self._answered(self.pending, messages):
            if self.attempts < ATTEMPTS and (self.pending != ("choose",) or self._fitting()):
                return self._say(self.pending, again=True)
            if self.pending[0] in ESSENTIAL:
                self.outcome = ESSENTIAL[self.pending[0]]
                return None
        if not self.agenda:
            self.outcome = "ordered" if self.order else "no_order"
            return None
        act = self._next_act()
        return None if self.outcome else self._say(act)

    def _next_act(self) -> tuple:
        """The agenda's next act. Before choosing, the size must have been said, and a product
        that fits what was said must be on screen: if none is, the shopper says it all once
        more, and gives up when that does not help either."""
        act = self.agenda.popleft()
        if len(self.shown) < NEEDS_SHOWN.get(act[0], 0) and self.agenda:
            return self._next_act()  # nothing (or one product) on screen to sort, page or compare
        if act[0] != "choose":
            return act
        if self.goal.target.size and "size" not in self.said:
            self.agenda.appendleft(act)
            return ("inform", (("size", self.goal.target.size),))
        if self._fitting():
            return act
        self.agenda.appendleft(act)
        if self.restated:
            self.outcome = "no_fitting_products" if self.shown else "no_products"
        self.restated = True
        return ("restate",)

    def _fitting(self) -> list[int]:
        """Positions of the shown cards that satisfy everything said (the target's first)."""
        stated = stated_constraints(self.said.items())
        fits = [i for i, card in enumerate(self.shown) if not card_violations(card, stated, self.catalog)]
        return sorted(fits, key=lambda i: self.shown[i].get("group_id") != self.goal.target.group_id)

    def _observe(self, messages: list[dict]) -> None:
        cards = product_list(messages)
        if cards or payloads(messages, "alternatives") or NOTHING_FOUND.search(texts(messages)):
            self.shown = cards  # what "the first one" now means: nothing, after near misses
        carts = payloads(messages, "cart")
        if carts:
            self.cart = carts[-1]
        orders = payloads(messages, "order")
        if orders:
            self.order = orders[-1]
        self.sold_out = bool(SOLD_OUT.search(texts(messages)))
        if self.pending == ("quantity",) and self.sold_out:
            self.quantity = 1  # fewer left than asked for: the shopper settles for one

    def _answered(self, act: tuple, messages: list[dict]) -> bool:
        """Whether the assistant acted on `act` (right or wrong: judging that is the invariants')."""
        kind = act[0]
        if kind in SEARCH_ACTS:
            return bool(payloads(messages, "product_list") or payloads(messages, "alternatives")
                        or asks_size(messages) or NOTHING_FOUND.search(texts(messages))
                        or kind == "more" and LIST_ENDED.search(texts(messages)))
        if kind == "compare":
            return bool(payloads(messages, "comparison"))
        if kind == "choose":
            return any((self.catalog.product(item.get("id") or "") or {}).get("group_id") == self.chosen["group_id"]
                       for cart in payloads(messages, "cart") for item in cart.get("items") or [])
        if kind in ("quantity", "cart"):
            return bool(payloads(messages, "cart")) or self.sold_out
        if kind == "checkout":
            return bool(PLACE_QUESTION.search(texts(messages)))
        return bool(payloads(messages, "order"))  # confirm

    # -- saying an act ---------------------------------------------------------------------
    def _say(self, act: tuple, again: bool = False) -> Turn:
        if act[0] == "answer_size":
            self.size_answers += 1
        else:
            self.pending, self.size_answers = act, 0
            self.attempts = self.attempts + 1 if again else 1
        say = self._words(act, again)
        turn = Turn(act[0], say, stated_constraints(self.said.items()), self.in_play)
        self.turns.append(turn)
        return turn

    def _words(self, act: tuple, again: bool) -> str:
        goal, rng, persona, target = self.goal, self.rng, self.goal.persona, self.goal.target
        kind = act[0]
        if kind == "decoy":
            self.said, self.in_play = {"category": goal.decoy_category}, False
            return phrasing.finish(phrasing.pick(phrasing.DECOYS, rng, np=goal.decoy_category), persona, rng)
        if kind == "switch":
            self.said, self.in_play = dict(act[1]), True
            phrase = phrasing.noun_phrase(act[1], target, rng)
            return phrasing.finish(phrasing.pick(phrasing.SWITCHES, rng, np=phrase), persona, rng)
        if kind == "inform":
            self.said.update(act[1])
            if again:
                return phrasing.restatement(list(self.said.items()), target, persona, rng)
            if len(act[1]) == 1 and act[1][0][0] in phrasing.REFINEMENTS and self.turns:
                return phrasing.refinement(*act[1][0], target, persona, rng)
            return phrasing.request(act[1], target, persona, rng, first=not self.turns)
        if kind == "restate":
            return phrasing.restatement(list(self.said.items()), target, persona, rng)
        if kind == "answer_size":
            if target.size:
                self.said["size"] = target.size
                self.agenda = deque(a for a in self.agenda if a != ("inform", (("size", target.size),)))
            return phrasing.finish(phrasing.size_answer(target.size, rng), persona, rng)
        if kind == "correct":
            self.said["color"], self.in_play = goal.wrong_colour, False
            return phrasing.finish(phrasing.pick(phrasing.CORRECTIONS, rng, c=goal.wrong_colour), persona, rng)
        if kind == "uncorrect":
            self.said["color"], self.in_play = target.colour, True
            words = phrasing.colour_words(target.colour, target, rng)
            return phrasing.finish(phrasing.pick(phrasing.CORRECTION_BACKS, rng, c=words), persona, rng)
        if kind == "choose":
            return self._choose(again)
        if kind == "quantity":
            self.quantity = 2
        if kind == "sort":
            self.said["sort"] = goal.sort
        lines = {"sort": phrasing.SORTS.get(goal.sort or "", ()), "more": phrasing.SHOW_MORE,
                 "compare": phrasing.COMPARES, "quantity": phrasing.QUANTITY_TWO, "cart": phrasing.VIEW_CART,
                 "checkout": phrasing.CHECKOUTS, "confirm": phrasing.CONFIRMS}[kind]
        return phrasing.finish(rng.choice(lines), persona, rng)

    def _choose(self, again: bool) -> str:
        """Add the target when it is on the list, else the first product shown that fits what
        was said; after a sold-out answer, the next one that fits. Said again plainly."""
        if again and self.sold_out:
            self.passed_over += 1
        fitting = self._fitting()
        position = fitting[min(self.passed_over, len(fitting) - 1)]
        self.chosen = self.shown[position]
        k = position + 1
        if k not in phrasing.ORDINALS:
            return f"add number {k} to my cart"
        if again:
            return f"add the {phrasing.ordinal(k, self.rng)} one to my cart"
        return phrasing.finish(phrasing.pick(phrasing.CHOOSES, self.rng, o=phrasing.ordinal(k, self.rng), k=k),
                               self.goal.persona, self.rng)
