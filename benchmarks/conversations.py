"""Scripted shopper conversations against a running assistant: success rate and turn latency.

    python benchmarks/conversations.py [--rasa-url http://localhost:5005] [--rounds 3] [--out FILE]

Each conversation is a list of turns with what a shopper must get back (a product list, a
size question, a cart, an order...). A conversation succeeds when every turn does. Prints
the success rate, the failed turns, and p50/p95/p99 turn latency; writes JSON. Start the
assistant first (`make run`); every round uses fresh senders.
"""
from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from turn_latency import latency_line, summarise, write_report  # noqa: E402  (a sibling script, not a package)

CONVERSATIONS: dict[str, list[tuple[str, str]]] = {
    "search to cancelled order": [
        ("i need men's trail running shoes under $150", "asks size"), ("10", "products"),
        ("something cheaper", "results"), ("compare the first and the second", "comparison"),
        ("add the first one to my cart", "cart"), ("make it 2", "cart"), ("checkout", "says:Shall I place it"),
        ("yes", "order"), ("where is my order", "order"), ("cancel my order", "order"),
        ("reorder my running shoes", "cart")],
    "browse backpacks": [
        ("show me backpacks", "products"), ("show more", "products"),
        ("tell me more about the second one", "says:Rated"), ("add the second one to my cart", "cart"),
        ("what's in my cart", "cart")],
    "jacket with a size answer": [
        ("women's rain jacket under 200 dollars", "asks size"), ("medium", "products"), ("in blue", "results"),
        ("start over", "says:start over")],
    "sneakers and a question": [
        ("black sneakers size 9", "products"), ("is the first one waterproof", "says:"),
        ("add the first one", "cart"), ("view my cart", "cart")],
    "small talk steers back": [
        ("hi", "says:Tell me what you're looking for"), ("what can you do", "says:I can find products"),
        ("tell me a joke", "says:help you shop"), ("i want to talk to a person", "says:member of our team")],
    "size never sold": [("running shoes in size 30", "says:We carry"), ("10.5", "products")],
    "any size": [("kids hiking boots", "asks size"), ("any size is fine", "products"), ("show more", "results")],
    "brand and similar": [("stridewell running shoes size 10", "products"), ("more like the first one", "results")],
    "cheaper sunglasses": [("sunglasses", "products"), ("cheaper", "results")],
    "voice-style budget": [("watches under one hundred dollars", "products"), ("show more", "results")],
    "memory": [("hiking boots size 9", "products"), ("what do you remember about me", "says:hiking boots is 9"),
               ("forget my sizes", "says:forgotten")],
    "reorder without history": [("reorder my socks", "says:past orders")],
    "checkout declined": [("backpacks", "products"), ("add the first one to my cart", "cart"),
                          ("checkout", "says:Shall I place it"), ("no", "says:haven't placed")],
}


def custom(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == kind]


def met(expectation: str, messages: list[dict]) -> bool:
    text = " ".join(m.get("text") or "" for m in messages)
    if expectation.startswith("says:"):
        return expectation.removeprefix("says:") in text and bool(text)
    if expectation == "asks size":
        return ("What size?" in text or "Still a" in text) and not custom(messages, "product_list")
    if expectation == "products":
        return any(p["products"] for p in custom(messages, "product_list"))
    if expectation == "results":
        return bool(custom(messages, "product_list") or custom(messages, "alternatives") or "That's everything" in text)
    return bool(custom(messages, expectation))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url", default="http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=3, help="how many times to run the whole set")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "conversations.json")
    args = parser.parse_args()
    session = requests.Session()
    latencies: list[float] = []
    failures: list[dict] = []
    passed = total = 0
    for _ in range(args.rounds):
        for name, turns in CONVERSATIONS.items():
            sender, ok = f"bench-{uuid.uuid4().hex[:10]}", True
            for text, expectation in turns:
                started = time.perf_counter()
                response = session.post(f"{args.rasa_url}/webhooks/rest/webhook",
                                        json={"sender": sender, "message": text}, timeout=60)
                latencies.append((time.perf_counter() - started) * 1000)
                messages = response.json() if response.ok else []
                if not met(expectation, messages):
                    ok = False
                    failures.append({"conversation": name, "turn": text, "expected": expectation,
                                     "got": [m.get("text") for m in messages]})
            passed += ok
            total += 1
    report = {"conversations": total, "succeeded": passed, "success_rate": round(passed / total, 3),
              "turns": len(latencies), "latency": summarise(latencies), "failures": failures}
    print(f"conversations: {passed}/{total} succeeded ({report['success_rate']:.1%}), {len(latencies)} turns")
    print(latency_line("turns", report["latency"]))
    for failure in failures:
        print(f"  FAILED {failure['conversation']!r}: {failure['turn']!r} expected {failure['expected']}, got {failure['got']}")
    write_report(report, args.out)


if __name__ == "__main__":
    main()
