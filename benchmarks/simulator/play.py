"""Playing simulated shoppers against the real assistant over Rasa's REST webhook, and the
figures of a run.

Each conversation gets a fresh sender id (so a fresh cart); turns go back to back to
`POST {rasa_url}/webhooks/rest/webhook`, timed from the POST to the full reply. After every
reply the invariants are checked (benchmarks/simulator/invariants.py); after the last, the
order. A conversation succeeds when it ends with an order and nothing was violated.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from benchmarks.report import summarise
from benchmarks.simulator.catalog import ShopCatalog
from benchmarks.simulator.goals import Goal
from benchmarks.simulator.invariants import act_problems, order_problems, turn_problems
from benchmarks.simulator.shopper import Shopper, product_list

TURN_TIMEOUT_S = 120
EXAMPLES = 5  # example conversations kept per class
SHOWN = "shown_"  # the prefix of invariant 1's classes: constraint violations in products shown


def webhook(rasa_url: str) -> Callable[[str, str], tuple[list[dict], str | None]]:
    """A function that sends one message and returns (the reply's messages, an error or None);
    one HTTP session per thread."""
    import requests

    local = threading.local()

    def send(sender: str, text: str) -> tuple[list[dict], str | None]:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        try:
            response = local.session.post(f"{rasa_url}/webhooks/rest/webhook", timeout=TURN_TIMEOUT_S,
                                          json={"sender": sender, "message": text})
        except requests.RequestException as exc:
            return [], type(exc).__name__
        return (response.json(), None) if response.ok else ([], f"HTTP {response.status_code}")

    return send


def card_line(card: dict) -> str:
    return f"{card.get('title')} ({card.get('color')}, ${card.get('price')}, sizes {card.get('sizes_in_stock')})"


def play_conversation(goal: Goal, send, catalog: ShopCatalog) -> dict:
    """One shopper against the assistant: the transcript, every violation, the outcome."""
    return play(Shopper(goal, catalog), send, catalog)


def play(shopper: Shopper, send, catalog: ShopCatalog) -> dict:
    """`shopper` plays until it is done (see play_conversation)."""
    goal = shopper.goal
    sender = f"sim-{goal.conversation_id}-{uuid.uuid4().hex[:8]}"
    transcript, violations, act_failures = [], [], []
    messages: list[dict] = []
    while (turn := shopper.next_turn(messages)) is not None:
        shown_before = list(shopper.shown)
        started = time.perf_counter()
        messages, error = send(sender, turn.say)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        number = len(transcript) + 1
        transcript.append({"turn": number, "act": turn.act, "say": turn.say, "ms": elapsed_ms,
                           "reply": [m["text"] for m in messages if m.get("text")],
                           "shown": [card_line(card) for card in product_list(messages)],
                           "payloads": [m["custom"].get("type") for m in messages
                                        if isinstance(m.get("custom"), dict)]})
        if error or not messages:
            shopper.outcome = f"no_reply ({error or 'empty reply'})"
            break
        for cls, problem in turn_problems(turn, messages, goal.target, catalog):
            violations.append({"class": cls, "turn": number, "problem": problem})
        for cls, problem in act_problems(turn, messages, shown_before, catalog):
            act_failures.append({"class": cls, "turn": number, "problem": problem})
    for cls, problem in order_problems(shopper, catalog):
        violations.append({"class": cls, "turn": len(transcript), "problem": problem})
    target = goal.target
    return {
        "id": goal.conversation_id,
        "goal": {"target": f"{target.title} ({target.variant_id})", "category": target.category,
                 "gender": target.gender, "colour": target.colour_name, "size": target.size, "price": target.price,
                 "quantity": goal.quantity, "persona": {k: v for k, v in vars(goal.persona).items() if v}},
        "outcome": shopper.outcome,
        "success": shopper.outcome == "ordered" and not violations,
        "violations": violations,
        "act_failures": act_failures,
        "transcript": transcript,
    }


def play_all(goals: list[Goal], send, catalog: ShopCatalog, workers: int = 1,
             progress: Callable[[dict], None] | None = None) -> list[dict]:
    """Every goal's conversation, in the goals' order (`workers` at a time)."""
    def one(goal: Goal) -> dict:
        record = play_conversation(goal, send, catalog)
        if progress:
            progress(record)
        return record

    if workers <= 1:
        return [one(goal) for goal in goals]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, goals))


def failing_turn(record: dict, turn: int) -> dict:
    line = record["transcript"][turn - 1]
    return {"say": line["say"], "reply": line["reply"], "shown": line["shown"]}


def by_class(records: list[dict], key: str) -> dict:
    """{class: {count, conversations, examples: [{conversation, turn, problem, say, reply, shown}]}}."""
    counts: Counter = Counter()
    conversations: dict[str, set] = defaultdict(set)
    examples: dict[str, list] = defaultdict(list)
    for record in records:
        for item in record[key]:
            cls = item["class"]
            counts[cls] += 1
            if record["id"] not in conversations[cls] and len(examples[cls]) < EXAMPLES:
                examples[cls].append({"conversation": record["id"], "turn": item["turn"], "problem": item["problem"],
                                      **failing_turn(record, item["turn"])})
            conversations[cls].add(record["id"])
    return {cls: {"count": n, "conversations": len(conversations[cls]), "examples": examples[cls]}
            for cls, n in counts.most_common()}


def figures(records: list[dict]) -> dict:
    """The run's figures: success rate, outcomes, violations and act failures by class, the
    constraint violations in products shown on their own, and turn latency."""
    successes = sum(record["success"] for record in records)
    shown = [v for record in records for v in record["violations"] if v["class"].startswith(SHOWN)]
    return {
        "conversations": len(records),
        "successes": successes,
        "success_rate": round(successes / len(records), 4) if records else None,
        "outcomes": dict(Counter(record["outcome"] for record in records).most_common()),
        "constraint_violations_in_products_shown": {
            "count": len(shown),
            "turns": len({(record["id"], v["turn"]) for record in records for v in record["violations"]
                          if v["class"].startswith(SHOWN)}),
            "conversations": len({record["id"] for record in records
                                  if any(v["class"].startswith(SHOWN) for v in record["violations"])}),
        },
        "violations_by_class": by_class(records, "violations"),
        "act_failures_by_class": by_class(records, "act_failures"),
        "turns": sum(len(record["transcript"]) for record in records),
        "latency": summarise([line["ms"] for record in records for line in record["transcript"]] or [0.0]),
    }

