"""Free-form held-out conversations (issue 14) played against the real assistant.

    python benchmarks/conversations_heldout.py                 # start the assistant, play every conversation
    python benchmarks/conversations_heldout.py --rasa-url http://localhost:5005   # use a running one
    python benchmarks/conversations_heldout.py --only h001,h042 --out /tmp/x.json
    python benchmarks/conversations_heldout.py --check         # only check the file's schema (no assistant)

The conversations and their expectations live in bot/eval/conversations_heldout.yml (its
schema is documented at the top of that file). That file is FROZEN: its SHA-256 is pinned by
tests/dialogue/test_conversations_heldout_frozen.py, so the figures before and after any fix
for issue 14 measure the same thing.

Without --rasa-url the benchmark starts Rasa, the action server and the web app itself with
runtime/processes.py's specs and runtime/supervisor.py's Supervisor, on spare ports
(tests/e2e/conftest.py's `free_port`), with a fresh SQLite shop database and tracker store in
a temporary directory, the built index (read only) and models/omnishop.tar.gz. Their logs go
to a file in that directory (its last lines are printed if a start-up fails).

Every conversation gets a fresh sender id; turns are sent back to back over
`POST /webhooks/rest/webhook`. Each expectation is checked on the reply: products shown are
checked card by card against the catalog itself (the card's own price, colour and sizes, and
the build's catalog.sqlite for category, gender, brand, material and description;
benchmarks/card_checks.py, shared with benchmarks/shopper_simulator.py). A turn
passes when all of its expectations hold; a conversation when all of its turns do.

Prints and writes JSON (default benchmarks/results/conversations_heldout.json): conversation
success rate, turn pass rate, constraint violations in the products shown (count, by class),
failures by expectation class with example conversation ids, p50/p95 turn latency, the git
commit (`git rev-parse HEAD`) and the time, and every failed turn with what was wrong.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.card_checks import GENDERS, Catalog, card_violations, payloads, texts  # noqa: E402
from benchmarks.report import Run, git_state, latency_line, summarise  # noqa: E402

CONVERSATIONS_FILE = REPO / "bot" / "eval" / "conversations_heldout.yml"
DEMO_FEED = REPO / "data" / "demo_catalog" / "merchant_feed.tsv"
DEFAULT_OUT = REPO / "benchmarks" / "results" / "conversations_heldout.json"
TURN_TIMEOUT_S = 120

# -- the schema (documented in the YAML file's header; keep both in step) -----------------------
CATEGORIES = {  # the demo catalog's categories, as a shopper names them (lower case, plural)
    "backpacks", "belts", "hats", "sunglasses", "watches", "dresses", "hoodies", "jackets", "down jackets",
    "fleece jackets", "rain jackets", "jeans", "leggings", "shorts", "socks", "t-shirts", "shoes", "boots",
    "dress shoes", "hiking boots", "running shoes", "sandals", "sneakers", "trail running shoes",
}
COLOURS = {"beige", "black", "blue", "brown", "gold", "green", "grey", "multicolor", "orange", "pink", "purple",
           "red", "white", "yellow"}
ASKS = {"size": re.compile(r"\bsizes?\b", re.I),
        "category": re.compile(r"what (kind|sort|type)|which (kind|sort|type)|looking for|category|what .*(need|like)",
                               re.I)}
SORTS = {"price_asc", "rating_desc"}
EMPTY_CART = re.compile(r"\b(cart|basket|bag) is (now )?empty\b", re.I)
# key -> the type(s) its value must have
PRODUCT_CONSTRAINTS: dict[str, tuple[type, ...]] = {
    "category": (str,), "gender": (str,), "brand": (list,), "not_brand": (list,), "color": (list,),
    "not_color": (list,), "size": (str,), "price_max": (int, float), "price_min": (int, float),
    "rating_min": (int, float), "mentions_any": (list,), "not_material": (list,),
}
OTHER_KEYS: dict[str, tuple[type, ...]] = {
    "products": (bool,), "no_products": (bool,), "sorted_by": (str,), "fresh": (bool,), "cheaper": (bool,),
    "asks": (str,), "cart_quantity": (int,), "cart_has": (int, dict), "cart_size": (str,), "compares": (int,),
    "describes": (int, dict), "says_any": (list,),
}
EXPECT_KEYS = {**PRODUCT_CONSTRAINTS, **OTHER_KEYS}
MAX_TURNS, MIN_TURNS = 7, 2


def sha256(path: Path = CONVERSATIONS_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path = CONVERSATIONS_FILE) -> list[dict]:
    import yaml

    return (yaml.safe_load(path.read_text()) or {}).get("conversations") or []


def feed_vocabulary(feed: Path = DEMO_FEED) -> tuple[set[str], set[str]]:
    """The demo feed's brands and sizes (lower case), read from the tracked TSV itself."""
    import csv

    brands, sizes = set(), set()
    with feed.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            brands.add(row["brand"].strip().lower())
            if row["size"].strip():
                sizes.add(row["size"].strip().upper())
    return brands, sizes


def schema_problems(conversations: list[dict], feed: Path = DEMO_FEED) -> list[str]:
    """Everything wrong with the file's shape and values (empty when it is well formed)."""
    brands, sizes = feed_vocabulary(feed)
    problems: list[str] = []
    seen_ids: set[str] = set()
    for number, conversation in enumerate(conversations, 1):
        cid = conversation.get("id") if isinstance(conversation, dict) else None
        where = cid or f"conversation #{number}"
        if not isinstance(conversation, dict) or set(conversation) - {"id", "note", "turns"}:
            problems.append(f"{where}: a conversation has only id, note and turns")
            continue
        if not isinstance(cid, str) or not re.fullmatch(r"h\d{3}", cid):
            problems.append(f"{where}: id must look like h001")
        if cid in seen_ids:
            problems.append(f"{where}: duplicate id")
        seen_ids.add(cid)
        turns = conversation.get("turns")
        if not isinstance(turns, list) or not MIN_TURNS <= len(turns) <= MAX_TURNS:
            problems.append(f"{where}: needs {MIN_TURNS}-{MAX_TURNS} turns")
            continue
        for t, turn in enumerate(turns, 1):
            at = f"{where} turn {t}"
            if not isinstance(turn, dict) or set(turn) != {"say", "expect"}:
                problems.append(f"{at}: a turn is exactly say + expect")
                continue
            if not isinstance(turn["say"], str) or not turn["say"].strip():
                problems.append(f"{at}: say must be a non-empty string")
            expect = turn["expect"]
            if not isinstance(expect, dict) or not expect:
                problems.append(f"{at}: expect must be a non-empty mapping")
                continue
            for key, value in expect.items():
                if key not in EXPECT_KEYS:
                    problems.append(f"{at}: unknown expectation {key!r}")
                    continue
                if isinstance(value, bool) and bool not in EXPECT_KEYS[key] or \
                        not isinstance(value, EXPECT_KEYS[key]):
                    problems.append(f"{at}: {key} must be {'/'.join(x.__name__ for x in EXPECT_KEYS[key])}")
                    continue
                if isinstance(value, list) and (not value or not all(isinstance(v, str) and v for v in value)):
                    problems.append(f"{at}: {key} must be a non-empty list of strings")
                    continue
                if key in ("products", "no_products", "fresh", "cheaper") and value is not True:
                    problems.append(f"{at}: {key} is only ever true")
                if key == "category" and value not in CATEGORIES:
                    problems.append(f"{at}: category {value!r} is not a demo catalog category")
                if key == "gender" and value not in GENDERS:
                    problems.append(f"{at}: gender {value!r} not in {sorted(GENDERS)}")
                if key in ("color", "not_color") and set(value) - COLOURS:
                    problems.append(f"{at}: {key} {sorted(set(value) - COLOURS)} not colour families")
                if key in ("brand", "not_brand") and {v.lower() for v in value} - brands:
                    problems.append(f"{at}: {key} {value} not all brands of the demo feed")
                if key == "size" and value.upper() not in sizes and not re.fullmatch(r"\d\d", value):
                    problems.append(f"{at}: size {value!r} is not sold in the demo feed")
                if key == "cart_size" and value.upper() not in sizes:
                    problems.append(f"{at}: cart_size {value!r} is not sold in the demo feed")
                if key == "sorted_by" and value not in SORTS:
                    problems.append(f"{at}: sorted_by must be one of {sorted(SORTS)}")
                if key == "asks" and value not in ASKS:
                    problems.append(f"{at}: asks must be one of {sorted(ASKS)}")
                if key in ("cart_has", "describes", "compares") and isinstance(value, int) and \
                        not 1 <= value <= 10:
                    problems.append(f"{at}: {key} ordinal out of 1..10")
                if key in ("cart_has", "describes") and isinstance(value, dict) and \
                        (set(value) != {"color"} or value["color"] not in COLOURS):
                    problems.append(f"{at}: {key} as a mapping is {{color: <family>}}")
                if key == "cart_quantity" and not 0 <= value <= 20:
                    problems.append(f"{at}: cart_quantity out of 0..20")
            if expect.get("products") and expect.get("no_products"):
                problems.append(f"{at}: products and no_products together")
            if "asks" in expect and expect.get("products"):
                problems.append(f"{at}: asks means no products yet")
            if set(expect) & set(PRODUCT_CONSTRAINTS) and not expect.get("products"):
                problems.append(f"{at}: product constraints need products: true")
    return problems


# -- checking one reply ---------------------------------------------------------------------------
@dataclasses.dataclass
class Seen:
    """What the shopper has seen so far in one conversation."""
    shown: list[dict] = dataclasses.field(default_factory=list)  # cards of the latest product list


def _pick(shown: list[dict], which: int | dict) -> dict | None:
    if isinstance(which, int):
        return shown[which - 1] if len(shown) >= which else None
    return next((c for c in shown if (c.get("color") or "").lower() == which["color"]), None)


def _cart_group_ids(cart: dict, catalog: Catalog) -> set[str]:
    groups = set()
    for item in cart.get("items") or []:
        product = catalog.product(item.get("id") or "")
        if product:
            groups.add(product["group_id"])
    return groups


def check_turn(messages: list[dict], expect: dict, seen: Seen, catalog: Catalog) -> tuple[list[dict], list[dict]]:
    """(failures, violations): failures are {"class", "problem"} per expectation that does not
    hold; violations are {"class", "problem"} per card that breaks a constraint."""
    failures: list[dict] = []
    violations: list[dict] = []

    def fail(cls: str, problem: str) -> None:
        failures.append({"class": cls, "problem": problem})

    text = texts(messages)
    lists = [p for p in payloads(messages, "product_list") if p.get("products")]
    cards = lists[0]["products"] if lists else []
    before = list(seen.shown)

    if expect.get("products") and not cards:
        fail("products", "no products shown")
    if expect.get("no_products") and cards:
        fail("no_products", f"showed {len(cards)} product(s)")
    for card in cards:  # every card shown must keep every constraint said so far
        for cls, problem in card_violations(card, {k: v for k, v in expect.items() if k in PRODUCT_CONSTRAINTS},
                                            catalog):
            violations.append({"class": cls, "problem": problem})
    for cls in sorted({v["class"] for v in violations}):
        fail(cls, "; ".join(v["problem"] for v in violations if v["class"] == cls)[:400])
    if cards and expect.get("sorted_by") == "price_asc":
        prices = [c.get("price") or 0 for c in cards]
        if prices != sorted(prices):
            fail("sorted_by", f"prices in order shown {prices}")
    if cards and expect.get("sorted_by") == "rating_desc":
        ratings = [c.get("rating") or 0 for c in cards]
        if ratings != sorted(ratings, reverse=True):
            fail("sorted_by", f"ratings in order shown {ratings}")
    if expect.get("fresh") and cards:
        again = {c.get("group_id") for c in before} & {c.get("group_id") for c in cards}
        if again:
            fail("fresh", f"{len(again)} product(s) of the previous list shown again")
    if expect.get("cheaper") and cards:
        bound = min((c.get("price") or 0 for c in before), default=None)
        if bound is None:
            fail("cheaper", "nothing was shown before")
        elif any((c.get("price") or 0) >= bound for c in cards):
            fail("cheaper", f"not all under the cheapest shown before ({bound})")
    if "asks" in expect:
        if cards:
            fail("asks", f"showed products instead of asking for {expect['asks']}")
        elif "?" not in text or not ASKS[expect["asks"]].search(text):
            fail("asks", f"no question about {expect['asks']}")
    carts = payloads(messages, "cart")
    if expect.get("cart_quantity") == 0 and not carts and EMPTY_CART.search(text) and \
            not any(k in expect for k in ("cart_has", "cart_size")):
        carts = [{"items": []}]  # "Your cart is empty." with no cart card: what the shopper sees is right
    if any(k in expect for k in ("cart_quantity", "cart_has", "cart_size")) and not carts:
        fail("cart", "no cart shown")
    elif carts:
        cart = carts[-1]
        items = cart.get("items") or []
        if "cart_quantity" in expect:
            quantity = sum(int(i.get("quantity") or 0) for i in items)
            if quantity != expect["cart_quantity"]:
                fail("cart_quantity", f"{quantity} item(s) in the cart, wanted {expect['cart_quantity']}")
        if "cart_has" in expect:
            wanted = _pick(before, expect["cart_has"])
            if wanted is None:
                fail("cart_has", f"no product {expect['cart_has']} was shown before")
            elif wanted.get("group_id") not in _cart_group_ids(cart, catalog):
                fail("cart_has", f"{wanted.get('title')!r} is not in the cart")
        if "cart_size" in expect and not any(str(i.get("size") or "").upper() == expect["cart_size"].upper()
                                             for i in items):
            fail("cart_size", f"no item in size {expect['cart_size']} (sizes {[i.get('size') for i in items]})")
    if "compares" in expect:
        tables = payloads(messages, "comparison")
        wanted = [c.get("group_id") for c in before[:expect["compares"]]]
        if not tables:
            fail("compares", "no comparison")
        elif len(wanted) < expect["compares"]:
            fail("compares", f"fewer than {expect['compares']} products were shown before")
        else:
            got = [catalog.product(p.get("id") or "") for p in tables[0].get("products") or []]
            got_ids = [g["group_id"] if g else None for g in got]
            if got_ids != wanted:
                fail("compares", f"compared {got_ids}, wanted {wanted}")
    if "describes" in expect:
        wanted = _pick(before, expect["describes"])
        if wanted is None:
            fail("describes", f"no product {expect['describes']} was shown before")
        elif (wanted.get("title") or "").lower() not in text.lower():
            fail("describes", f"does not name {wanted.get('title')!r}")
    if "says_any" in expect and not any(p.lower() in text.lower() for p in expect["says_any"]):
        fail("says_any", f"says none of {expect['says_any']}")
    if cards:
        seen.shown = cards
    return failures, violations


# -- starting the assistant ----------------------------------------------------------------------
@contextlib.contextmanager
def started_assistant(log_path_holder: list[Path]):
    """The benchmarks' scratch assistant (benchmarks/load_test.py), its processes' lines in a log
    file (the last ones printed if it does not start)."""
    from benchmarks.load_test import started_assistant as scratch_assistant
    from runtime.processes import RASA_MODEL
    from runtime.supervisor import Supervisor

    if not RASA_MODEL.exists():
        raise SystemExit(f"no trained model at {RASA_MODEL}")

    class LoggingSupervisor(Supervisor):
        """The runtime's Supervisor, with the processes' lines going to a log file."""

        def __init__(self, specs, log: Path):
            super().__init__(specs, colour=False)
            self.log = log.open("a")

        def say(self, name: str, line: str) -> None:
            with self._print_lock:
                self.log.write(f"[{name:<7}] {line}\n")
                self.log.flush()
            if name == "omnishop":
                print(f"[omnishop] {line}", flush=True)

    def logging_supervisor(specs, var: Path) -> LoggingSupervisor:
        log_path_holder.append(var / "assistant.log")
        return LoggingSupervisor(specs, log_path_holder[-1])

    try:
        with scratch_assistant(timeout_s=400, supervisor_for=logging_supervisor) as rasa_url:
            yield rasa_url
    except RuntimeError:
        if log_path_holder and log_path_holder[-1].exists():
            print("".join(log_path_holder[-1].read_text().splitlines(keepends=True)[-40:]), file=sys.stderr)
        raise


def play(rasa_url: str, conversations: list[dict], catalog: Catalog) -> dict:
    import requests

    session = requests.Session()
    latencies: list[float] = []
    failed_turns: list[dict] = []
    by_class: dict[str, list[str]] = defaultdict(list)
    violations_by_class: Counter = Counter()
    violation_turns = 0
    passed_conversations = passed_turns = total_turns = 0
    for number, conversation in enumerate(conversations, 1):
        sender, seen, ok = f"heldout-{conversation['id']}-{uuid.uuid4().hex[:8]}", Seen(), True
        for t, turn in enumerate(conversation["turns"], 1):
            started = time.perf_counter()
            try:
                response = session.post(f"{rasa_url}/webhooks/rest/webhook", timeout=TURN_TIMEOUT_S,
                                        json={"sender": sender, "message": turn["say"]})
                messages = response.json() if response.ok else []
                error = None if response.ok else f"HTTP {response.status_code}"
            except requests.RequestException as exc:
                messages, error = [], f"{type(exc).__name__}"
            latencies.append((time.perf_counter() - started) * 1000)
            total_turns += 1
            if error or not messages:
                failures, violations = [{"class": "no_reply", "problem": error or "empty reply"}], []
            else:
                failures, violations = check_turn(messages, turn["expect"], seen, catalog)
            violations_by_class.update(v["class"] for v in violations)
            violation_turns += bool(violations)
            if failures:
                ok = False
                for failure in failures:
                    if conversation["id"] not in by_class[failure["class"]]:
                        by_class[failure["class"]].append(conversation["id"])
                failed_turns.append({
                    "conversation": conversation["id"], "turn": t, "say": turn["say"], "expect": turn["expect"],
                    "failures": failures,
                    "got": [m.get("text") for m in messages if m.get("text")],
                    "shown": [f"{c.get('title')} ({c.get('color')}, ${c.get('price')})"
                              for p in payloads(messages, "product_list") for c in p.get("products") or []][:10]})
            else:
                passed_turns += 1
        passed_conversations += ok
        print(f"  {number:>3}/{len(conversations)} {conversation['id']} {'pass' if ok else 'FAIL'}", flush=True)
    failure_counts = Counter(f["class"] for turn in failed_turns for f in turn["failures"])
    return {
        "conversations": len(conversations), "conversations_passed": passed_conversations,
        "conversation_success_rate": round(passed_conversations / len(conversations), 4),
        "turns": total_turns, "turns_passed": passed_turns, "turn_pass_rate": round(passed_turns / total_turns, 4),
        "constraint_violations": {"cards": sum(violations_by_class.values()), "turns_with_any": violation_turns,
                                  "by_class": dict(violations_by_class.most_common())},
        "failures_by_class": {cls: {"failed_checks": n, "conversations": len(by_class[cls]),
                                    "examples": by_class[cls][:8]} for cls, n in failure_counts.most_common()},
        "latency": summarise(latencies),
        "failed_turns": failed_turns,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rasa-url", help="a running assistant's Rasa server; default: start one")
    parser.add_argument("--index", type=Path, help="index directory whose current/catalog.sqlite the cards are "
                        "checked against (default: the settings' index; with --rasa-url give the one it serves)")
    parser.add_argument("--only", help="comma-separated conversation ids (a partial run; do not publish it)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="only check the file's schema, then exit")
    args = parser.parse_args(argv)
    conversations = load()
    problems = schema_problems(conversations)
    if problems:
        print("the conversations file is malformed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    turns = sum(len(c["turns"]) for c in conversations)
    print(f"{len(conversations)} conversations, {turns} turns, sha256 {sha256()}")
    if args.check:
        return 0
    if args.only:
        wanted = set(args.only.split(","))
        conversations = [c for c in conversations if c["id"] in wanted]
    run = Run("conversations_heldout",
              settings={"file": str(CONVERSATIONS_FILE.relative_to(REPO)), "sha256": sha256(),
                        "conversations": len(conversations), "turns": sum(len(c["turns"]) for c in conversations),
                        "partial": bool(args.only),
                        "assistant": args.rasa_url or "started by the benchmark (Rasa, action server, web app; "
                                                      "spare ports, fresh SQLite)"},
              included=["every turn, from HTTP POST to Rasa's REST webhook to the full reply",
                        "each card shown checked against the build's catalog.sqlite for every constraint said so far",
                        "a conversation passes only when every turn does"],
              excluded=["the web app and widget (turns go to Rasa directly)", "think time between turns"])
    from runtime.settings import Settings
    from index_artefact.layout import CATALOG_DB, current_build

    started = time.monotonic()
    logs: list[Path] = []
    with contextlib.nullcontext(args.rasa_url) if args.rasa_url else started_assistant(logs) as rasa_url:
        catalog = Catalog(current_build(args.index or Settings.from_env().index_dir) / CATALOG_DB)
        print(f"assistant ready after {time.monotonic() - started:.0f} s; playing {len(conversations)} conversations",
              flush=True)
        played = time.monotonic()
        figures = play(rasa_url, conversations, catalog)
        figures["play_seconds"] = round(time.monotonic() - played, 1)
    figures = {"git_head": git_state()["commit"],
               "time_utc": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
               "sha256": sha256(), "runtime_seconds": round(time.monotonic() - started, 1), **figures}
    print(f"conversations: {figures['conversations_passed']}/{figures['conversations']} passed "
          f"({figures['conversation_success_rate']:.1%}); turns: {figures['turns_passed']}/{figures['turns']} "
          f"({figures['turn_pass_rate']:.1%})")
    violations = figures["constraint_violations"]
    print(f"constraint violations in products shown: {violations['cards']} card(s) in "
          f"{violations['turns_with_any']} turn(s): {violations['by_class']}")
    print("failures by expectation class:")
    for cls, info in figures["failures_by_class"].items():
        print(f"  {cls:<14} {info['failed_checks']:>4} check(s) in {info['conversations']:>3} conversation(s), "
              f"e.g. {', '.join(info['examples'][:5])}")
    print(latency_line("turns", figures["latency"]))
    print(f"runtime {figures['runtime_seconds']} s (playing {figures['play_seconds']} s)")
    run.write(figures, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
