"""Stream raw records out of retailer files, one `(line_number, record)` at a time.

Readers only split files into field dictionaries keyed by Merchant Center field names;
validation and normalisation happen in `records.py`, so every format is held to the same
rules. Files are streamed: a million-row feed never sits in memory as a whole.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterator

from catalog_index.merchant_xml import read_merchant_xml
from catalog_index.shopify import read_products_csv, read_products_json

Record = dict[str, str]

# The public format names (`--format`); "gmc" is TSV or XML and "shopify" is JSON or CSV,
# told apart by content.
FORMATS = ("gmc", "shopify", "csv", "jsonl")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class UnsupportedFormat(ValueError):
    pass


class BadRecord(Exception):
    """A line that could not even be split into fields (e.g. broken JSON)."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def _head(path: Path) -> str:
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        return handle.read(4096)


def _is_shopify_csv(first_line: str) -> bool:
    columns = {c.strip().strip('"').lower() for c in first_line.split(",")}
    return "handle" in columns and "variant price" in columns


def detect_format(path: Path) -> str:
    """Pick a reader from the file's first bytes (names lie: feeds are often plain `.txt`)."""
    head = _head(path)
    stripped = head.lstrip()
    first_line = head.splitlines()[0] if head else ""
    if stripped.startswith("<"):
        return "gmc"
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            first = json.loads(first_line)
        except json.JSONDecodeError:
            return "shopify"  # a pretty-printed products.json export
        return "shopify" if isinstance(first, list) or (isinstance(first, dict) and "products" in first) else "jsonl"
    if "\t" in first_line:
        return "gmc"
    if "," in first_line:
        return "shopify" if _is_shopify_csv(first_line) else "csv"
    raise UnsupportedFormat(f"cannot tell the format of {path}; pass --format")


def read_records(path: Path, fmt: str = "auto") -> Iterator[tuple[int, Record | BadRecord]]:
    """Yield `(line, record)` pairs; a record that cannot be split is yielded as BadRecord."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    head = _head(path)
    if fmt == "gmc" and head.lstrip().startswith("<"):
        yield from _guard(read_merchant_xml(path))
    elif fmt == "gmc":
        yield from _read_delimited(path, "\t")
    elif fmt == "shopify" and head.lstrip()[:1] in ("{", "["):
        yield from _guard(read_products_json(path))
    elif fmt == "shopify":
        yield from _guard(read_products_csv(path))
    elif fmt == "csv":
        yield from _read_delimited(path, ",")
    elif fmt == "jsonl":
        yield from _read_jsonl(path)
    else:
        raise UnsupportedFormat(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)} or auto")


def _guard(records: Iterator[tuple[int, Record]]) -> Iterator[tuple[int, Record | BadRecord]]:
    """Turn a reader's fatal parse error into one reported bad record after the good ones."""
    try:
        yield from records
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        yield 0, BadRecord(0, f"file could not be read past this point: {exc}")


def _normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _read_delimited(path: Path, delimiter: str) -> Iterator[tuple[int, Record | BadRecord]]:
    with path.open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
        try:
            header = [_normalise_header(h) for h in next(reader)]
        except StopIteration:
            return
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield line, BadRecord(line, f"expected {len(header)} fields, found {len(row)}")
                continue
            yield line, dict(zip(header, row))


def _read_jsonl(path: Path) -> Iterator[tuple[int, Record | BadRecord]]:
    with path.open("r", encoding="utf-8-sig", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield line_number, BadRecord(line_number, f"invalid JSON: {exc.msg}")
                continue
            if not isinstance(value, dict):
                yield line_number, BadRecord(line_number, "expected a JSON object")
                continue
            yield line_number, {
                _normalise_header(k): "" if v is None else str(v) for k, v in value.items()
            }
