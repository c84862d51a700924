"""The real retailers' catalogs under data/real_catalogs/ and their hand-judged relevance sets.

Each feed must load with the project's reader and validator, rejecting exactly the rows its
README lists (real defects of the source, kept on purpose); each README must name its licence;
each relevance file must hold at least 60 queries, each with a product judged 2 or 3 that the
feed loads.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from catalog_index.build import check_catalog
from catalog_index.readers import BadRecord, read_records
from catalog_index.records import RowError, parse_variant

REPO = Path(__file__).resolve().parents[1]
CATALOGS = REPO / "data" / "real_catalogs"
RELEVANCE = REPO / "benchmarks" / "relevance" / "real"
NAMES = sorted(p.name for p in CATALOGS.iterdir() if (p / "merchant_feed.tsv").exists())
LICENCES = ("CC0", "CC BY 4.0", "CC BY-SA 4.0", "ODbL", "MIT", "Apache")
CONSTRAINT_KEYS = {"category", "brand", "color", "gender", "size", "price", "exclude", "rating_min"}
# A rejection as `python -m catalog_index check` prints it, indented in the README's code block.
LISTED_REJECTION = re.compile(r"^ {4}(line \d+ .*)$", re.MULTILINE)


def loaded_ids(feed: Path) -> set[str]:
    """The ids of the rows the loader accepts."""
    ids = set()
    for _, record in read_records(feed):
        if isinstance(record, BadRecord):
            continue
        try:
            ids.add(parse_variant(record).id)
        except RowError:
            continue
    return ids


def test_there_are_at_least_two_real_catalogs():
    assert len(NAMES) >= 2, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_feed_loads_rejecting_only_the_rows_its_readme_lists(name):
    report = check_catalog(CATALOGS / name / "merchant_feed.tsv", progress=False)
    listed = LISTED_REJECTION.findall((CATALOGS / name / "README.md").read_text(encoding="utf-8"))
    assert sorted(str(r) for r in report.rejections) == sorted(listed)
    assert report.products >= 900


@pytest.mark.parametrize("name", NAMES)
def test_readme_names_a_licence_and_a_source(name):
    readme = (CATALOGS / name / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Licen[cs]e\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section, "README has no Licence section"
    assert any(licence in section.group(1) for licence in LICENCES), section.group(1)[:200]
    assert re.search(r"commit\s+`[0-9a-f]{40}`", readme), "README does not pin the source commit"
    assert (CATALOGS / name / "convert.py").exists()


@pytest.mark.parametrize("name", NAMES)
def test_relevance_set_has_60_queries_each_with_a_relevant_product_in_the_feed(name):
    document = yaml.safe_load((RELEVANCE / f"{name}.yml").read_text(encoding="utf-8"))
    assert document["catalog"] == f"data/real_catalogs/{name}/merchant_feed.tsv"
    queries = document["queries"]
    assert len(queries) >= 60
    ids = loaded_ids(CATALOGS / name / "merchant_feed.tsv")
    assert len({q["text"] for q in queries}) == len(queries), "duplicate query texts"
    for q in queries:
        judgements = {str(pid): grade for pid, grade in q["judgements"].items()}
        assert set(judgements.values()) <= {0, 1, 2, 3}, q["text"]
        assert set(judgements) <= ids, (q["text"], sorted(set(judgements) - ids)[:5])
        assert any(grade >= 2 for grade in judgements.values()), q["text"]
        assert set(q["constraints"] or {}) <= CONSTRAINT_KEYS, q["text"]
        price = (q["constraints"] or {}).get("price")
        if price:
            assert price["currency"] == document["currency"], q["text"]
