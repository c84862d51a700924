"""Turn latency at the Alexa endpoint: signed requests to `POST /alexa` of the real services.

    python benchmarks/alexa_turn_latency.py [--conversations 20] [--out FILE]

Starts Rasa, the action server and the web app as `make run` does (on spare ports, with a
temporary database, on the index and model you built), with request verification ON against
a locally generated Alexa test PKI (trusted through the web app's environment only) and
account linking on. Each conversation is a linked shopper going launch -> search -> details
-> add -> size (when asked) -> cart -> checkout -> yes -> session end; each request is timed
from send to full response, so a turn includes verification, the SDK and the dialogue core.
Prints p50/p95/p99 per turn kind and overall, and writes JSON (with benchmarks/report.py's
meta: commit, machine, load average before and after).
"""
from __future__ import annotations

import argparse
import dataclasses
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.report import Run, summarise  # noqa: E402
from runtime.processes import process_specs  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from runtime.supervisor import Supervisor  # noqa: E402
from tests.e2e.conftest import free_port  # noqa: E402  (the e2e tests' port picker)
from tests.voice.certificates import CERT_URL, AlexaPki, pem  # noqa: E402
from tests.voice.envelopes import SKILL_ID, VoiceSession, resolved  # noqa: E402
from runtime.customer_tokens import CustomerTokens  # noqa: E402

SEARCHES = [
    {"category": resolved("runners", "running shoes", "CATEGORY"), "gender": resolved("men's", "men", "GENDER"),
     "budget": "100"},
    {"category": resolved("backpacks", "backpacks", "CATEGORY")},
    {"category": resolved("rain jackets", "rain jackets", "CATEGORY"), "gender": resolved("women's", "women", "GENDER")},
    {"category": resolved("hiking boots", "hiking boots", "CATEGORY"), "color": resolved("brown", "brown", "COLOR")},
]
FIRST = {"ordinal": resolved("first one", "first", "ORDINAL")}
INCLUDED = [
    "a plain-HTTP POST to the web app's /alexa until the full response (client on the same machine, no TLS)",
    "request signature and certificate-chain verification against the test PKI, timestamp check",
    "the ASK SDK handlers, account-link token check, Rasa (NLU, policies) and the action server (search, cart, order)",
    "every turn of every conversation, the first included (services warmed up by the supervisor's warm-up turn)",
]
EXCLUDED = [
    "Amazon's speech recognition, its network hop and text-to-speech",
    "fetching the signing chain over the network (served from OMNISHOP_ALEXA_CERT_DIR)",
    "service start-up and the supervisor's warm-up turn",
]


def start_services(work: Path, pki: AlexaPki, link_secret: str) -> tuple[Supervisor, str]:
    """The three processes on a temporary database; the web app trusts the test PKI."""
    (work / "chains").mkdir()
    (work / "roots.pem").write_bytes(pem(pki.root))
    (work / "chains" / CERT_URL.rsplit("/", 1)[1]).write_bytes(pem(pki.leaf))
    settings = dataclasses.replace(Settings.from_env(), var_dir=work, database_url=f"sqlite:///{work / 'omnishop.db'}",
                                   action_server_url="")
    rasa_port, web_port = free_port(), free_port()
    specs = process_specs(settings, rasa_port, free_port(), web_port)
    voice_env = {"OMNISHOP_ALEXA_APP_IDS": SKILL_ID, "OMNISHOP_ALEXA_TRUSTED_ROOTS": str(work / "roots.pem"),
                 "OMNISHOP_ALEXA_CERT_DIR": str(work / "chains"), "OMNISHOP_CUSTOMER_TOKEN_SECRET": link_secret}
    specs = [dataclasses.replace(s, env={**s.env, **voice_env}) if s.name == "web" else s for s in specs]
    supervisor = Supervisor(specs, colour=False)
    supervisor.start()
    if not supervisor.wait_healthy(timeout_s=300):
        supervisor.stop()
        raise SystemExit("the services did not become healthy; see the logs above")
    supervisor.warm_up(f"http://127.0.0.1:{rasa_port}")
    return supervisor, f"http://127.0.0.1:{web_port}/alexa"


def conversation(voice: VoiceSession, search: dict, timed) -> None:
    timed("launch", voice.launch)
    asked = timed("search", lambda: voice.intent("SearchProductIntent", search))
    if "What size?" in str(asked):  # sized categories are asked for a size first
        timed("size", lambda: voice.intent("RefineSearchIntent", {"size": resolved("any", "any size", "SIZE")}))
    timed("details", lambda: voice.intent("ProductDetailsIntent", {"ordinal": resolved("second", "second", "ORDINAL")}))
    asked = timed("add", lambda: voice.intent("AddToCartIntent", FIRST, dialog_state="STARTED"))
    if voice.attributes.get("offered"):
        size = sorted(voice.attributes["offered"])[0]
        timed("size", lambda: voice.intent("AddToCartIntent", {**FIRST, "size": resolved(size, size, "SIZE")},
                                           dialog_state="IN_PROGRESS"))
    elif "directives" in asked["response"]:
        raise RuntimeError(f"unexpected directives: {asked['response']['directives']}")
    timed("cart", lambda: voice.intent("ViewCartIntent"))
    timed("checkout", lambda: voice.intent("CheckoutIntent"))
    timed("yes", lambda: voice.intent("AMAZON.YesIntent"))
    timed("end", voice.end)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=20, help="shopper conversations to run (default 20)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "alexa_turn_latency.json",
                        help="where to write the JSON report")
    args = parser.parse_args()
    pki, link_secret = AlexaPki.create(), secrets.token_hex(32)
    linker = CustomerTokens(link_secret.encode())
    by_kind: dict[str, list[float]] = {}
    run = Run("alexa_turn_latency", included=INCLUDED, excluded=EXCLUDED,
              settings={"conversations": args.conversations, "verification": "on (test PKI)", "account_linking": True})

    def timed(kind: str, turn):
        started = time.perf_counter()
        answer = turn()
        by_kind.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
        return answer

    with tempfile.TemporaryDirectory(prefix="omnishop-alexa-bench-") as work:
        supervisor, endpoint = start_services(Path(work), pki, link_secret)
        try:
            for number in range(args.conversations):
                voice = VoiceSession(endpoint, pki, access_token=linker.mint(f"bench-{number}", 3600))
                conversation(voice, SEARCHES[number % len(SEARCHES)], timed)
        finally:
            supervisor.stop()
    report = {"turns": {k: summarise(v) for k, v in by_kind.items()},
              "all": summarise([x for v in by_kind.values() for x in v]), "conversations": args.conversations}
    for kind, figures in report["turns"].items():
        print(f"{kind:<9} n {figures['n']:>4}  p50 {figures['p50_ms']:>7} ms  p95 {figures['p95_ms']:>7} ms  "
              f"p99 {figures['p99_ms']:>7} ms")
    print(f"{'all':<9} n {report['all']['n']:>4}  p50 {report['all']['p50_ms']:>7} ms  p95 {report['all']['p95_ms']:>7} ms  "
          f"p99 {report['all']['p99_ms']:>7} ms")
    run.write(report, args.out)


if __name__ == "__main__":
    main()
