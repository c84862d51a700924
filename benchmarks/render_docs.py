"""Write docs/benchmarks.md from the JSON files in benchmarks/results/.

    python benchmarks/render_docs.py [--results benchmarks/results] [--out docs/benchmarks.md]

One section per results file: what the benchmark measures (its script's docstring), the
`meta` block (commit, machine, load, what the timings include and leave out) and the key
figures as tables. Files written before benchmarks/report.py have no meta block; for those
the section says so and gives the commit that last changed the file. Every section also
lists the commits since then that touched the code the benchmark measures, so a stale
figure says it is stale. Standard library only; no figure is typed by hand.
"""
from __future__ import annotations

import argparse
import ast
import json
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Which script wrote a results file (by benchmark name or file-name prefix), and the code its figures depend on.
SCRIPTS = {
    "alexa_turn_latency": "benchmarks/alexa_turn_latency.py",
    "catalog_build": "benchmarks/catalog_build.py",
    "conversations": "benchmarks/conversations.py",
    "conversations_heldout": "benchmarks/conversations_heldout.py",
    "embedding_throughput": "benchmarks/embedding_throughput.py",
    "hybrid_ranking": "benchmarks/hybrid_ranking.py",
    "load_test": "benchmarks/load_test.py",
    "nlu_heldout": "nlu/evaluate.py",
    "nlu_training": "benchmarks/nlu_training.py",
    "recommender_relevance": "benchmarks/recommender_relevance.py",
    "real_catalog_relevance": "benchmarks/real_catalog_relevance.py",
    "recommender_search": "benchmarks/recommender_search.py",
    "shopper_simulator": "benchmarks/shopper_simulator.py",
    "turn_latency": "benchmarks/turn_latency.py",
    "widget_first_reply": "benchmarks/widget_first_reply.py",
}
SERVING = ["config.yml", "bot", "nlu", "dialogue", "actions", "recommender", "index_artefact", "store", "runtime"]
MEASURES = {
    "alexa_turn_latency": SERVING + ["web", "voice_skill"],
    "catalog_build": ["catalog_index", "index_artefact"],
    "conversations": SERVING,
    "conversations_heldout": SERVING + ["bot/eval"],
    "embedding_throughput": ["index_artefact", "catalog_index"],
    "hybrid_ranking": ["recommender", "index_artefact", "catalog_index", "benchmarks/relevance"],
    "load_test": SERVING,
    "nlu_heldout": ["config.yml", "bot/data", "nlu"],
    "nlu_training": ["config.yml", "bot", "nlu"],
    "recommender_relevance": ["recommender", "index_artefact", "nlu/constraints.py", "catalog_index"],
    "real_catalog_relevance": ["recommender", "index_artefact", "catalog_index", "data/real_catalogs",
                               "benchmarks/relevance/real"],
    "recommender_search": ["recommender", "index_artefact"],
    "shopper_simulator": SERVING + ["benchmarks/simulator"],
    "turn_latency": SERVING,
    "widget_first_reply": SERVING + ["web"],
}


def git(*argv: str) -> str:
    try:
        return subprocess.run(["git", *argv], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def benchmark_of(path: Path, data: dict) -> str:
    name = (data.get("meta") or {}).get("benchmark") or path.stem
    return max((key for key in SCRIPTS if name.startswith(key)), key=len, default=name)


def purpose(script: str) -> str:
    """The script docstring's first paragraph that is not a command line."""
    try:
        doc = ast.get_docstring(ast.parse((REPO / script).read_text())) or ""
    except (OSError, SyntaxError):
        return ""
    paragraphs = [p.strip() for p in doc.split("\n\n") if p.strip()]
    text = [p for p in paragraphs if not p.lstrip().startswith(("python", ".venv", "nice", "node"))]
    keep = text[:1] + [p for p in text[1:2] if not p.endswith(":")]
    return " ".join(" ".join(p.split()) for p in keep)


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):  # never rounds a measured 0.9995 up to 1
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}".removesuffix(".0")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, dict)):
        return "`" + json.dumps(value) + "`"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(header: list[str], rows: list[list]) -> list[str]:
    if not rows:
        return []
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return lines + [""]


def latency_rows(by_kind: dict) -> list[list]:
    return [[kind, f.get("n"), f.get("p50_ms"), f.get("p95_ms"), f.get("p99_ms"), f.get("mean_ms")]
            for kind, f in by_kind.items()]


LATENCY = ["turn", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"]


# -- key figures, per benchmark ------------------------------------------------------------------
def figures_turns(d: dict) -> list[str]:
    rows = latency_rows(d.get("turns", {})) + latency_rows({"**all**": d["all"]} if "all" in d else {})
    return table(LATENCY, rows) + [f"Conversations: {fmt(d.get('conversations'))}.", ""]


def figures_catalog_build(d: dict) -> list[str]:
    rows = []
    for r in d.get("results", []):
        check, build = r.get("check", {}), r.get("build") or {}
        rows.append([r["rows"], r["products"], r.get("feed_mb"), check.get("seconds"), check.get("cpu_seconds"),
                     check.get("peak_rss_mb"), build.get("seconds"), build.get("cpu_seconds"), build.get("peak_rss_mb")])
    return table(["feed rows", "products", "feed MB", "check s", "check CPU s", "check peak MB", "build s",
                  "build CPU s", "build peak MB"], rows)


def figures_conversations(d: dict) -> list[str]:
    lines = table(["conversations", "succeeded", "success rate", "turns", "turns failed"],
                  [[d["conversations"], d["succeeded"], d["success_rate"], d["turns"], d.get("turns_failed")]])
    lines += table(LATENCY, latency_rows({"all turns": d["latency"]}))
    if d.get("failures"):
        counted: dict[str, int] = {}
        for f in d["failures"]:  # the same turn fails the same way in every round: list it once
            line = f"{f['conversation']}: “{f['turn']}” expected {f['expected']}" + (
                f" ({f['problem']})" if f.get("problem") else "")
            counted[line] = counted.get(line, 0) + 1
        lines += ["Failed turns (times failed):", ""] + [f"- {line} ×{n}" for line, n in counted.items()] + [""]
    return lines


def figures_shopper_simulator(d: dict) -> list[str]:
    shown = d.get("constraint_violations_in_products_shown") or {}
    lines = table(["conversations", "succeeded", "success rate", "card checks broken in products shown"],
                  [[d.get("conversations"), d.get("successes"), d.get("success_rate"), shown.get("count")]])
    if d.get("latency"):
        lines += table(LATENCY, latency_rows({"all turns": d["latency"]}))
    for title, key in (("invariant violated", "violations_by_class"), ("act failed", "act_failures_by_class")):
        rows = [[name, item.get("count"), item.get("conversations")] for name, item in (d.get(key) or {}).items()]
        if rows:
            lines += table([title, "count", "conversations"], rows)
    return lines


def figures_conversations_heldout(d: dict) -> list[str]:
    lines = table(["conversations", "passed", "success rate", "turns", "turns passed", "turn pass rate"],
                  [[d.get("conversations"), d.get("conversations_passed"), d.get("conversation_success_rate"),
                    d.get("turns"), d.get("turns_passed"), d.get("turn_pass_rate")]])
    if d.get("latency"):
        lines += table(LATENCY, latency_rows({"all turns": d["latency"]}))
    violations = d.get("constraint_violations") or {}
    if violations:
        lines += [f"Constraint violations in the products shown: {fmt(violations.get('cards'))} cards in "
                  f"{fmt(violations.get('turns_with_any'))} turns.", ""]
        lines += table(["violated constraint", "cards"], list((violations.get("by_class") or {}).items()))
    by_class = d.get("failures_by_class") or {}
    if by_class:
        lines += table(["failed expectation", "failed checks", "conversations", "examples"],
                       [[name, v.get("failed_checks"), v.get("conversations"), ", ".join(v.get("examples", []))]
                        for name, v in by_class.items()])
    return lines


def figures_load_test(d: dict) -> list[str]:
    rows = [[l["users"], l["throughput_tps"], l.get("p50_ms"), l.get("p95_ms"), l.get("p99_ms"),
             f"{l['errors']}/{l['turns']}", l.get("loadavg_1m_before")] for l in d.get("levels", [])]
    lines = table(["shoppers", "turns/s", "p50 ms", "p95 ms", "p99 ms", "errors", "load before"], rows)
    knee, levels = d.get("knee"), d.get("levels", [])
    timing = f"Measured {fmt(d.get('duration_s'))} s per level after {fmt(d.get('warm_up_s'))} s of warm-up."
    if knee and len(levels) > 1 and knee["users"] == levels[-1]["users"]:  # as benchmarks/load_test.py reads it
        lines += [f"Knee ({d.get('knee_rule')}): not reached; throughput still grew at the last level "
                  f"({knee['users']} shoppers, {fmt(knee['throughput_tps'])} turns/s). {timing}", ""]
    elif knee:
        lines += [f"Knee ({d.get('knee_rule')}): {knee['users']} shoppers, {fmt(knee['throughput_tps'])} turns/s, "
                  f"p95 {fmt(knee.get('p95_ms'))} ms. {timing}", ""]
    return lines


def figures_nlu_heldout(d: dict) -> list[str]:
    """One row per evaluation set ({"sets": {...}}; older files are one set at the top level)."""
    sets = d.get("sets") or {"held-out": d}
    rows = []
    for name, one in sets.items():
        intent, constraints = one.get("intent", {}), one.get("constraints", {})
        micro = one.get("entities", {}).get("micro", {})
        rows.append([one.get("label") or name, one.get("utterances"), intent.get("accuracy"), intent.get("macro_f1"),
                     micro.get("f1"), constraints.get("exact_match"), len(one.get("failures") or [])])
    lines = table(["set", "utterances", "intent accuracy", "intent macro F1", "entity micro F1",
                   "constraints exact match", "failures"], rows)
    for name, one in sets.items():
        per_intent = one.get("intent", {}).get("per_intent", {})
        if per_intent:
            keys = [k for k in ("precision", "recall", "f1", "support") if k in next(iter(per_intent.values()))]
            lines += [f"Per intent, {name}:", ""]
            lines += table(["intent", *keys], [[intent, *[v.get(k) for k in keys]] for intent, v in per_intent.items()])
    return lines


def figures_nlu_training(d: dict) -> list[str]:
    rows = [[r["seconds"], r.get("cpu_seconds"), r.get("peak_rss_mb"), r.get("load_average_at_start")]
            for r in d.get("runs", [])]
    return table(["wall s", "CPU s", "peak RSS MB", "load at start"], rows) + [
        f"Best wall time {fmt(d.get('best_wall_seconds'))} s; CPU seconds / 2 = "
        f"{fmt(d.get('cpu_seconds_over_2_cores'))} s.", ""]


def figures_relevance(d: dict) -> list[str]:
    return table(["ranker", "nDCG@10"], [[name, value] for name, value in d.get("mean_ndcg", {}).items()]) + [
        f"{fmt(d.get('queries'))} queries over {fmt(d.get('products'))} products, k = {fmt(d.get('k'))}.", ""]


def figures_recommender_search(d: dict) -> list[str]:
    lines = []
    for c in d.get("catalogs", []):
        lines += [f"**{c['products']:,} products** (planner only): index {fmt(c['index_bytes_per_product'])} + filter "
                  f"column {fmt(c['filter_bytes_per_product'])} bytes/product, RSS growth on load "
                  f"{fmt(c['rss_delta_bytes_per_product'])} bytes/product, HNSW build {fmt(c['build_seconds'])} s, "
                  f"exact scorer {c.get('exact_scorer', '–')}.", ""]
        lines += table(["bucket", "plan", "allowed", "queries", "recall@10", "recall min", "p50 ms", "p99 ms",
                        "graph searches", "exact fallbacks"],
                       [[f"{b['selectivity'] * 100:g}%", b["plan"], b["candidates"], b.get("queries"),
                         b["recall_at_10"], b["recall_min"], b["p50_ms"], b["p99_ms"], b["graph_searches"],
                         b["exact_fallbacks"]] for b in c["buckets"]])
    serving = d.get("serving") or {}
    if serving:
        lines += [f"**Serving path** (`Recommender.search`, query vector given), {serving['products']:,} products, "
                  f"{serving['variants']:,} variants; filter columns {fmt(serving['column_bytes_per_product'])} + "
                  f"index {fmt(serving['index_bytes_per_product'])} bytes/product:", ""]
        lines += table(["constraints", "allowed", "p50 ms", "p99 ms"],
                       [[name, q["allowed"], q["p50_ms"], q["p99_ms"]] for name, q in serving["queries"].items()])
    e2e = d.get("end_to_end") or {}
    if e2e:
        lines += [f"**End to end** (text → parsed constraints → MiniLM → `Recommender.search`), {e2e['products']:,} "
                  f"products, {e2e['variants']:,} variants, {e2e['vectors']} product vectors, {e2e['rounds']} timed "
                  f"rounds: p50 {fmt(e2e['p50_ms'])} ms, p99 {fmt(e2e['p99_ms'])} ms over all queries.", ""]
        lines += table(["shopper text", "constraints parsed", "allowed", "plan", "p50 ms", "p99 ms", "masks p50 ms"],
                       [[text, q["constraints"] or "none", q["allowed"], q["plan"], q["p50_ms"], q["p99_ms"],
                         q["mask_p50_ms"]] for text, q in e2e["queries"].items()])
    encoder = d.get("encoder") or {}
    if encoder:
        lines += [f"MiniLM query encoding: {fmt(encoder.get('batch_1_texts_per_s'))} texts/s at batch 1, "
                  f"{fmt(encoder.get('batch_32_texts_per_s'))} texts/s at batch 32.", ""]
    return lines


def figures_widget(d: dict) -> list[str]:
    parts = {name: d[name] for name in ("first_reply", "api_chat_round_trip", "widget_share") if name in d}
    size = d.get("widget_size", {})
    return table(["part", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms"], latency_rows(parts)) + [
        f"widget.js: {fmt(size.get('raw_bytes'))} bytes raw, {fmt(size.get('gzip9_bytes'))} bytes gzip -9.", ""]


def figures_real_catalogs(d: dict) -> list[str]:
    lines = []
    for name, catalog in d.get("catalogs", {}).items():
        lines += [f"{name}: {fmt(catalog.get('products'))} products ({catalog.get('currency')}), "
                  f"{fmt(catalog.get('queries'))} queries ({fmt(catalog.get('queries_with_gap'))} with a data gap)", ""]
        lines += table(["ranker", "nDCG@5", "nDCG@5 without gaps", "shown breaking a constraint", "queries shown nothing"],
                       [[ranker, s["all"]["ndcg@5"], s["without_gaps"]["ndcg@5"], s["all"]["violation_share"],
                         s["all"].get("queries_with_no_products")] for ranker, s in catalog.get("summary", {}).items()])
    return lines


def figures_generic(d: dict) -> list[str]:
    return table(["figure", "value"], [[k, v] for k, v in d.items() if k != "meta" and not isinstance(v, (dict, list))])


FIGURES = {
    "alexa_turn_latency": figures_turns, "turn_latency": figures_turns, "catalog_build": figures_catalog_build,
    "conversations": figures_conversations, "conversations_heldout": figures_conversations_heldout,
    "load_test": figures_load_test, "nlu_heldout": figures_nlu_heldout,
    "nlu_training": figures_nlu_training, "recommender_relevance": figures_relevance,
    "recommender_search": figures_recommender_search, "shopper_simulator": figures_shopper_simulator,
    "widget_first_reply": figures_widget, "real_catalog_relevance": figures_real_catalogs,
}
# What is known to be wrong with results files written before report.py (shown only while a file has no meta).
LEGACY_CAVEATS = {
    "conversations.json": "Written by the earlier script, whose turns were mostly lines of the NLU training data "
                          "(30 of 47 after folding case, punctuation and digits) and one of whose checks (an empty "
                          "`says:`) passed any reply: the success rate says little about understanding new phrasings.",
    "turn_latency.json": "Stale: measured before the current NLU pipeline (MiniLM sentence features for DIET, "
                         "commit 8f96d4c), with no warm-up excluded. Its latencies are far below those of every "
                         "later end-to-end file (conversations, alexa_turn_latency, load_test); do not quote them.",
    "recommender_search.json": "The planner timings also timed the warm-up queries: the 20 untimed warm-up "
                               "queries of each bucket were the first 20 of the 200 timed ones. Query vectors were "
                               "precomputed (no encoding) and the masks came from one synthetic filter column (no "
                               "masks from real constraints).",
    "catalog_build_1m.json": "The 1M run shared the machine with Rasa trainings for part of its run, so its wall time "
                             "is an upper bound; its CPU seconds are the comparable figure.",
    "recommender_search_1m_crossover.json": "Same method as recommender_search.json: warm-up queries timed again, "
                                            "precomputed query vectors, one synthetic filter column.",
}
# What a reader must know to read a file's figures, whether or not it has a meta block.
NOTES = {
    "recommender_relevance.json": "The demo relevance labels (benchmarks/relevance/queries.yml) reuse the demo "
                                  "catalog generator's filters and template phrases, so part of MiniLM's lead over "
                                  "BM25 here is built into the labels: the lead overstates what labels written "
                                  "independently of the generator would show.",
}
LEGACY_MACHINE_KEYS = ("machine", "cpu_count", "cpus", "machine_cpus", "load_average_1m", "load_average_before")


# -- provenance ----------------------------------------------------------------------------------
def measured_at(path: Path, data: dict) -> tuple[str | None, list[str]]:
    """The commit the figures were measured at (for files with no meta: the commit that last changed the file)."""
    meta = data.get("meta")
    if meta:
        return (meta.get("git") or {}).get("commit"), []
    last = git("log", "-1", "--format=%h %ad", "--date=short", "--", str(path.relative_to(REPO))).split()
    return (last[0] if last else None), last


def changed_since(since: str | None, benchmark: str) -> tuple[list[str], list[str]]:
    """The paths the benchmark measures, and the commits after `since` that touched them (newest first)."""
    paths = [p for p in MEASURES.get(benchmark, []) if (REPO / p).exists()]
    if not since or not paths:
        return paths, []
    return paths, git("log", "--format=%h %ad %s", "--date=short", f"{since}..HEAD", "--", *paths).splitlines()


def status(path: Path, data: dict, benchmark: str) -> str:
    """One word or phrase for the index table: whether the figures were measured at the current code."""
    since, _ = measured_at(path, data)
    _, changed = changed_since(since, benchmark)
    state = f"stale: {len(changed)} later commit(s) changed the code measured" if changed else "current"
    return state if data.get("meta") else f"no meta (predates report.py); {state}"


def provenance(path: Path, data: dict, benchmark: str) -> list[str]:
    meta = data.get("meta")
    if meta:
        g = meta.get("git") or {}
        m = meta.get("machine") or {}
        load = meta.get("load_average") or {}
        rows = [["commit", f"`{(g.get('commit') or '?')[:12]}`" + (" + uncommitted changes" if g.get("dirty") else "")],
                ["run (UTC)", f"{meta.get('started_utc') or '?'} → {meta.get('finished_utc') or '?'}"]]
        if m:
            rows.append(["machine", f"{m.get('cpu_model')}, {m.get('cores')} cores ({m.get('cores_usable')} usable), "
                                    f"{fmt(m.get('memory_gib'))} GiB, {m.get('os')} {m.get('arch')}"])
        rows.append(["load average (1/5/15 min)", f"before {fmt(load.get('before'))}, after {fmt(load.get('after'))}"
                     if load else "not recorded"])
        rows += [["python", meta.get("python")], ["command", f"`{meta.get('command')}`"]]
        rows += [[key, meta[key]] for key in ("settings", "note") if meta.get(key)]
        lines = table(["meta", ""], rows)
        lines += ["Included in the figures:", ""] + [f"- {x}" for x in meta.get("included", [])] + [""]
        lines += ["Not included:", ""] + [f"- {x}" for x in meta.get("excluded", [])] + [""]
        since = g.get("commit")
    else:
        since, last = measured_at(path, data)
        legacy = {k: data[k] for k in LEGACY_MACHINE_KEYS if k in data}
        lines = [f"> **No meta block.** This file was written before benchmarks/report.py: the commit it measured, "
                 f"the machine's load and what the timings include were not recorded. Last changed in commit "
                 f"`{since or '?'}` ({last[1] if len(last) > 1 else 'not committed'})."
                 + (f" It records: {fmt(legacy)}." if legacy else ""), ""]
        if path.name in LEGACY_CAVEATS:
            lines += [f"> **Caveat:** {LEGACY_CAVEATS[path.name]}", ""]
    if NOTES.get(path.name):
        lines += [f"> **Note:** {NOTES[path.name]}", ""]
    if since:
        paths, changed = changed_since(since, benchmark)
        if changed:
            lines += [f"> **Possibly stale:** {len(changed)} commit(s) since then changed code these figures depend on "
                      f"({', '.join(paths)}), latest: {changed[0]}.", ""]
    return lines


def section(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    benchmark = benchmark_of(path, data)
    script = SCRIPTS.get(benchmark)
    lines = [f"## {path.stem}", "", f"`{path.relative_to(REPO)}`, written by `{script or '?'}`.", ""]
    described = (data.get("meta") or {}).get("description") or (purpose(script) if script else "")
    if described:
        lines += [described, ""]
    lines += provenance(path, data, benchmark)
    lines += ["Key figures:", ""] + FIGURES.get(benchmark, figures_generic)(data)
    return lines


def render(results: Path) -> str:
    files = sorted(results.glob("*.json"))
    lines = ["# Benchmarks", "",
             "<!-- Generated by benchmarks/render_docs.py from benchmarks/results/*.json; do not edit by hand. -->", "",
             "Every figure below is read from a results file. Each file's `meta` block says which commit was "
             "measured, on what machine under what load, and what the timings include and leave out; files "
             "written before `benchmarks/report.py` existed say that instead. Rerun a benchmark (its command is "
             "in its meta block or its script's `--help`), then `python benchmarks/render_docs.py`.", "",
             "A file is **stale** when commits after the one it measured changed the code its figures depend "
             "on; its figures describe that earlier commit, not the current code, until it is rerun.", "",
             *[line for name, text in NOTES.items()
               for line in (f"**[{Path(name).stem}](#{Path(name).stem}):** {text}", "")],
             "| results file | benchmark | measured | status |", "|---|---|---|---|"]
    for path in files:
        data = json.loads(path.read_text())
        meta = data.get("meta") or {}
        benchmark = benchmark_of(path, data)
        since, last = measured_at(path, data)
        when = (meta.get("started_utc") or meta.get("finished_utc") or "?")[:10] if meta else \
            (last[1] if len(last) > 1 else "?")
        lines.append(f"| [{path.stem}](#{path.stem}) | {benchmark} | {when}, `{(since or '?')[:8]}` | "
                     f"{status(path, data, benchmark)} |")
    lines.append("")
    for path in files:
        lines += section(path)
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks.md")
    args = parser.parse_args()
    args.out.write_text(render(args.results.resolve()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
