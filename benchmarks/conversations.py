"""Scripted shopper conversations against a running assistant: success rate and turn latency.

    python benchmarks/conversations.py [--rasa-url http://localhost:5005 | --start] [--rounds 3] [--out FILE]
    python benchmarks/conversations.py --check-script     # only check the script (no assistant needed)

Each conversation is a list of turns, each with what a shopper would notice in the reply: a
product list whose query and cards keep the constraints asked for, a size question naming
the category, the number of items in the cart, an order confirmation with its number... A
conversation succeeds when every turn does. Prints the success rate, the failed turns and
p50/p95/p99 turn latency; writes JSON. Start the assistant first (`make run`), or pass
--start to have the benchmark start Rasa and the action server (spare ports, scratch
SQLite, the built index and model); every round uses fresh senders.

No turn may be a line the NLU was trained on: every turn is compared with every example in
bot/data/nlu/*.yml after folding case, punctuation and digits, and the script refuses to run
if one matches (a benchmark of remembered lines measures memory, not understanding).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.report import Run, latency_line, summarise  # noqa: E402
from benchmarks.turn_latency import add_assistant_arguments, assistant  # noqa: E402
from nlu.leakage import TRAINING_DIR, fold, folded_training_lines  # noqa: E402


# -- what a reply must show ----------------------------------------------------------------------
@dataclass
class Seen:
    """What the shopper has seen so far in one conversation."""
    shown: list[dict] = field(default_factory=list)  # cards of the latest product list (or near misses)
    all_shown: set[str] = field(default_factory=set)  # group ids of every card shown in this search
    order_id: str | None = None
    cart_total: float | None = None


@dataclass(frozen=True)
class Expect:
    """One turn's check: `test(messages, seen)` returns None when met, else what was wrong."""
    label: str
    test: Callable[[list[dict], Seen], str | None]


def texts(messages: list[dict]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def payloads(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def singular(word: str) -> str:
    return word.lower().strip().removesuffix("s")


def _constraint_problems(query: dict, cards: list[dict], want: dict) -> list[str]:
    """Each wanted constraint must be in the echoed query and hold for every card."""
    problems = []
    if "category" in want and singular(query.get("category") or "") != singular(want["category"]):
        problems.append(f"category {query.get('category')!r}, wanted {want['category']!r}")
    if "gender" in want and query.get("gender") != want["gender"]:
        problems.append(f"gender {query.get('gender')!r}, wanted {want['gender']!r}")
    if "brand" in want:
        if want["brand"].lower() not in [b.lower() for b in query.get("brand") or []]:
            problems.append(f"brand {query.get('brand')!r}, wanted {want['brand']!r}")
        problems += [f"{c['title']!r} is by {c['brand']}" for c in cards if c["brand"].lower() != want["brand"].lower()]
    if "color" in want:
        if want["color"] not in (query.get("color") or []):
            problems.append(f"colour {query.get('color')!r}, wanted {want['color']!r}")
        problems += [f"{c['title']!r} is {c['color']}" for c in cards if c["color"] != want["color"]]
    if "size" in want:
        if (query.get("size") or {}).get("value") != want["size"]:
            problems.append(f"size {query.get('size')!r}, wanted {want['size']!r}")
        problems += [f"{c['title']!r} not in stock in {want['size']}" for c in cards
                     if want["size"] not in c.get("sizes_in_stock", [])]
    if "price_max" in want:
        if (query.get("price") or {}).get("max") != want["price_max"]:
            problems.append(f"price {query.get('price')!r}, wanted at most {want['price_max']}")
        problems += [f"{c['title']!r} costs {c['price']}" for c in cards if c["price"] > want["price_max"] + 1e-6]
    return problems


def shows(fresh: bool = False, cheaper: bool = False, not_first: bool = False, or_explains: bool = False,
          **want) -> Expect:
    """A product list whose query keeps `want` (category, gender, brand, color, size, price_max)
    and whose every card satisfies it. fresh: none of the products shown earlier in this search;
    cheaper: every product cheaper than the cheapest shown before; not_first: the first product
    shown before is not among them ("more like the first one"). or_explains: an honest "I
    couldn't find any ..." naming the same constraints also counts (near misses allowed)."""
    words = [f"{k}={v}" for k, v in want.items()] + [w for w, on in (("fresh", fresh), ("cheaper", cheaper),
                                                                       ("not the first", not_first)) if on]
    label = "shows " + (", ".join(words) or "products") + (" (or says none match)" if or_explains else "")

    def test(messages: list[dict], seen: Seen) -> str | None:
        before, lists = list(seen.shown), payloads(messages, "product_list")
        bound = min((c["price"] for c in before), default=None)
        if not lists or not lists[0]["products"]:
            near = payloads(messages, "alternatives")
            if or_explains and "couldn't find any" in texts(messages):
                if near:
                    seen.shown = near[0]["products"]
                    problems = _constraint_problems(near[0]["query"], [], want)
                    return "; ".join(problems) or None
                return None
            return "no product list"
        listed = lists[0]
        cards = listed["products"]
        problems = _constraint_problems(listed["query"], cards, want)
        if fresh:
            problems += [f"{c['title']!r} was shown before" for c in cards if c["group_id"] in seen.all_shown]
        if cheaper:
            if bound is None:
                problems.append("nothing was shown before to be cheaper than")
            problems += [f"{c['title']!r} at {c['price']} is not under {bound}" for c in cards
                         if bound is not None and c["price"] >= bound]
        if not_first and before and before[0]["group_id"] in {c["group_id"] for c in cards}:
            problems.append(f"{before[0]['title']!r} itself is in the list")
        seen.shown = cards
        seen.all_shown = (seen.all_shown if fresh else set()) | {c["group_id"] for c in cards}
        return "; ".join(problems) or None

    return Expect(label, test)


def asks_size(category: str) -> Expect:
    """A size question for the category (sizes as buttons), and no products yet."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        text = texts(messages)
        if payloads(messages, "product_list"):
            return "showed products instead of asking for a size"
        if not re.search(r"What size\?|Still a |Which size", text):
            return "no size question"
        if singular(category) not in text.lower():
            return f"the question does not name {category!r}"
        buttons = [b for m in messages for b in m.get("buttons") or []]
        return None if len(buttons) >= 2 else "no size buttons"

    return Expect(f"asks for a size of {category}", test)


def compares(count: int) -> Expect:
    """Side by side: the first `count` products shown, in that order."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        tables = payloads(messages, "comparison")
        if not tables:
            return "no comparison"
        wanted = [c["group_id"] for c in seen.shown[:count]]
        got = [p["id"] for p in tables[0]["products"]]
        return None if got == wanted else f"compared {got}, wanted {wanted}"

    return Expect(f"compares the first {count} products shown", test)


def describes(ordinal: int) -> Expect:
    """The details of the product shown at `ordinal`: its title and its price."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        if len(seen.shown) < ordinal:
            return f"fewer than {ordinal} products were shown"
        title, text = seen.shown[ordinal - 1]["title"], texts(messages)
        if title not in text:
            return f"does not name {title!r}"
        return None if "$" in text else "no price"

    return Expect(f"describes product #{ordinal} (title and price)", test)


def answers_feature(feature: str) -> Expect:
    """A yes / no / the-catalog-doesn't-say answer about `feature`, not a generic reply."""
    pattern = re.compile(rf"^Yes\. The .+ says|^The .+ is described as .+, not {feature}|"
                         rf"^The catalog doesn't say whether the .+ is {feature}")

    def test(messages: list[dict], seen: Seen) -> str | None:
        return None if any(pattern.search(m.get("text") or "") for m in messages) else f"no answer about {feature}"

    return Expect(f"answers whether it is {feature}", test)


def cart(count: int, holds: int | None = None) -> Expect:
    """The cart, with `count` items in all (and the product shown at `holds` among them)."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        carts = payloads(messages, "cart")
        if not carts:
            return "no cart"
        items = carts[0]["items"]
        quantity = sum(i["quantity"] for i in items)
        seen.cart_total = carts[0]["total"]
        if quantity != count:
            return f"{quantity} item(s) in the cart, wanted {count}"
        if f"{count} item(s)" not in texts(messages):
            return f"the text does not say {count} item(s)"
        if holds is not None:
            title = seen.shown[holds - 1]["title"] if len(seen.shown) >= holds else None
            if title not in [i["title"] for i in items]:
                return f"{title!r} is not in the cart"
        return None

    return Expect(f"cart with {count} item(s)" + (f" incl. product #{holds}" if holds else ""), test)


def checkout_summary() -> Expect:
    """"Your order: ... Total $X. Shall I place it?" with the cart's total."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        found = re.search(r"Total \$([\d,]+\.\d\d)\. Shall I place it\?", texts(messages))
        if not found:
            return "no order summary asking to confirm"
        total = float(found.group(1).replace(",", ""))
        if seen.cart_total is not None and abs(total - seen.cart_total) > 0.005:
            return f"summary total {total} differs from the cart's {seen.cart_total}"
        return None

    return Expect("order summary with the cart's total, asks to confirm", test)


def order(status: str) -> Expect:
    """An order with `status`; after the first, always the same order number."""
    def test(messages: list[dict], seen: Seen) -> str | None:
        orders = payloads(messages, "order")
        if not orders:
            return "no order"
        placed = orders[0]
        if seen.order_id and placed["order_id"] != seen.order_id:
            return f"order {placed['order_id']}, wanted {seen.order_id}"
        seen.order_id = placed["order_id"]
        if placed["status"] != status:
            return f"order is {placed['status']}, wanted {status}"
        return None if placed["order_id"] in texts(messages) else "the text does not give the order number"

    return Expect(f"order {status}", test)


def remembers(category: str, size: str) -> Expect:
    def test(messages: list[dict], seen: Seen) -> str | None:
        memory = payloads(messages, "memory")
        if not memory:
            return "no memory"
        sizes = {singular(k): v for k, v in memory[0]["sizes"].items()}
        return None if sizes.get(singular(category)) == size else f"remembers {memory[0]['sizes']}"

    return Expect(f"remembers size {size} in {category}", test)


def says(phrase: str) -> Expect:
    """The reply's text contains `phrase` (never empty: an empty phrase would pass anything)."""
    if not phrase.strip():
        raise ValueError("says() needs a phrase: an empty one would accept any reply")

    def test(messages: list[dict], seen: Seen) -> str | None:
        return None if phrase in texts(messages) else f"does not say {phrase!r}"

    return Expect(f"says {phrase!r}", test)


# -- the shoppers --------------------------------------------------------------------------------
CONVERSATIONS: dict[str, list[tuple[str, Expect]]] = {
    "search to cancelled order": [
        ("i'm after trail running shoes for a man, no more than $150", asks_size("trail running shoes")),
        ("i wear a ten", shows(category="trail running shoes", gender="men", size="10", price_max=150)),
        ("got anything more affordable than those?", shows(cheaper=True, size="10", or_explains=True)),
        ("put the top two next to each other", compares(2)),
        ("the first pair goes in my basket please", cart(1, holds=1)),
        ("actually change that to two pairs", cart(2)),
        ("ok i'm ready to pay now", checkout_summary()),
        ("yep go ahead and place it", order("placed")),
        ("has that order of mine shipped", order("placed")),
        ("i changed my mind, cancel that order please", order("cancelled")),
        ("order the exact same thing again", cart(2)),
    ],
    "browse backpacks": [
        ("do you sell backpacks at all", shows(category="backpacks")),
        ("next few please", shows(fresh=True, category="backpacks")),
        ("what can you tell me about number two", describes(2)),
        ("pop number two into the basket", cart(1, holds=2)),
        ("what have i got in my basket so far", cart(1)),
    ],
    "jacket with a size answer": [
        ("a rain jacket for a woman, less than 200 dollars", asks_size("rain jackets")),
        ("a medium would be great", shows(category="rain jackets", gender="women", size="M", price_max=200)),
        ("only the blue ones", shows(color="blue", size="M", or_explains=True)),
        ("scrap all that, let's begin again", says("Let's start over")),
    ],
    "sneakers and a question": [
        ("i need black sneakers in size 9", shows(category="sneakers", color="black", size="9")),
        ("would the first pair be waterproof?", answers_feature("waterproof")),
        ("i'll have the first pair then", cart(1, holds=1)),
        ("let me see the basket", cart(1)),
    ],
    "small talk steers back": [
        ("hey there, good afternoon to you", says("Tell me what you're looking for")),
        ("what sort of things are you able to do", says("I can find products")),
        ("what's the meaning of life", says("I can help you shop")),
        ("can i speak with a real human being", says("member of our team")),
    ],
    "size never sold": [
        ("running shoes in a size 30", says("We carry")),
        ("10.5 then", shows(category="running shoes", size="10.5")),
    ],
    "any size": [
        ("hiking boots for the kids", asks_size("hiking boots")),
        ("i really don't mind which size", shows(category="hiking boots", gender="kids")),
        ("show me a few more", shows(fresh=True, category="hiking boots", gender="kids", or_explains=True)),
    ],
    "brand and similar": [
        ("stridewell running shoes in a size 10", shows(brand="Stridewell", category="running shoes", size="10")),
        ("anything similar to the first one?", shows(not_first=True)),
    ],
    "cheaper sunglasses": [
        ("got any sunglasses", shows(category="sunglasses")),
        ("something at a lower price please", shows(cheaper=True, category="sunglasses", or_explains=True)),
    ],
    "voice-style budget": [
        ("watches for less than one hundred dollars", shows(category="watches", price_max=100)),
        ("let me see a few more of those", shows(fresh=True, category="watches", price_max=100, or_explains=True)),
    ],
    "memory": [
        ("hiking boots in a size nine", shows(category="hiking boots", size="9")),
        ("which details about me have you kept", remembers("hiking boots", "9")),
        ("please drop my saved sizes", says("I've forgotten 1 size(s)")),
    ],
    "reorder without history": [("get me the same socks as before", says("You don't have any past orders"))],
    "checkout declined": [
        ("i want to see your backpacks", shows(category="backpacks")),
        ("stick the top one in my basket", cart(1, holds=1)),
        ("let's check out now", checkout_summary()),
        ("no, hold off for now", says("I haven't placed the order")),
    ],
}


# -- no turn may be a training line --------------------------------------------------------------
def script_problems() -> list[str]:
    """Turns that are training lines after folding, and turns without a check."""
    known = folded_training_lines()
    problems = []
    for name, turns in CONVERSATIONS.items():
        for text, expectation in turns:
            if fold(text) in known:
                line = known[fold(text)]
                problems.append(f"{name!r}: {text!r} is a training line ({line.path}:{line.line}, {line.intent})")
            if not isinstance(expectation, Expect):
                problems.append(f"{name!r}: {text!r} has no check")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_assistant_arguments(parser)
    parser.add_argument("--rounds", type=int, default=3, help="how many times to run the whole set")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "conversations.json")
    parser.add_argument("--check-script", action="store_true",
                        help="only check that no turn is a training line, then exit")
    args = parser.parse_args()
    problems = script_problems()
    if problems:
        raise SystemExit("refusing to run: the script leaks training data\n  " + "\n  ".join(problems))
    turn_count = sum(len(t) for t in CONVERSATIONS.values())
    if args.check_script:
        print(f"{len(CONVERSATIONS)} conversations, {turn_count} turns: none is a training line "
              f"({len(folded_training_lines())} folded examples in {TRAINING_DIR.relative_to(REPO)}), every turn has a check")
        return
    import requests

    run = Run("conversations", settings={"rounds": args.rounds, "conversations": len(CONVERSATIONS),
                                         "turns_per_round": turn_count, "assistant": "started by the benchmark "
                                         "(Rasa + action server, scratch SQLite)" if args.start else args.rasa_url},
              included=["every turn of every conversation, from HTTP POST to Rasa's REST webhook to the full reply "
                        "(NLU, dialogue, action server, recommender incl. query encoding, shop database)",
                        "a turn passes only if its check holds (products keep the constraints asked for, cart "
                        "counts, order status and number...); a conversation only if all its turns pass",
                        f"turns checked against the NLU training data: none of the {turn_count} is a training line "
                        "after folding case, punctuation and digits",
                        "every turn from the first (no warm-up is left out)"],
              excluded=["the web app, widget and browser",
                        "think time between turns (turns are sent back to back)"])
    session = requests.Session()
    latencies: list[float] = []
    failures: list[dict] = []
    passed = total = 0
    with assistant(args) as rasa_url:
        for _ in range(args.rounds):
            for name, turns in CONVERSATIONS.items():
                sender, ok, seen = f"bench-{uuid.uuid4().hex[:10]}", True, Seen()
                for text, expectation in turns:
                    started = time.perf_counter()
                    response = session.post(f"{rasa_url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": text}, timeout=60)
                    latencies.append((time.perf_counter() - started) * 1000)
                    messages = response.json() if response.ok else []
                    problem = expectation.test(messages, seen) if messages else f"HTTP {response.status_code}, no reply"
                    if problem:
                        ok = False
                        failures.append({"conversation": name, "turn": text, "expected": expectation.label,
                                         "problem": problem, "got": [m.get("text") for m in messages]})
                passed += ok
                total += 1
    report = {"conversations": total, "succeeded": passed, "success_rate": round(passed / total, 3),
              "turns": len(latencies), "turns_failed": len(failures), "latency": summarise(latencies),
              "failures": failures}
    print(f"conversations: {passed}/{total} succeeded ({report['success_rate']:.1%}), {len(latencies)} turns, "
          f"{len(failures)} failed")
    print(latency_line("turns", report["latency"]))
    for failure in failures:
        print(f"  FAILED {failure['conversation']!r}: {failure['turn']!r} expected {failure['expected']}: "
              f"{failure['problem']}; got {failure['got']}")
    run.write(report, args.out)


if __name__ == "__main__":
    main()
