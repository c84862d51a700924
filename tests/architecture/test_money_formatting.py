"""Every amount is written by the one formatter, `contract/money.py`: no product code formats a
price by hand ("total ${total:.2f}") or keeps a symbol table of its own ({"USD": "$"}), which
would answer an Indian or German shop in dollars.

Read from the source with `ast`, like the other checks here; `test_the_check_sees_*` shows it
catches the forms it is meant to catch and lets the rest be.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from runtime.settings import REPO_ROOT

PACKAGES = ("actions", "catalog_index", "contract", "dialogue", "index_artefact", "nlu", "recommender", "runtime",
            "store", "voice_skill", "web")
THE_FORMATTER = REPO_ROOT / "contract" / "money.py"
SYMBOLS = "$€£₹¥￥₩"
MONEY_NAMES = re.compile(r"price|total|amount|budget|cost", re.IGNORECASE)


def hand_formatted_money(source: str) -> list[tuple[int, str]]:
    """(line, what) for each hand-made amount in `source`: a currency symbol next to an f-string
    placeholder, a price, total or amount given fixed decimals in one, and an ISO code -> symbol
    table."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            parts = node.values
            for before, after in zip(parts, parts[1:]):
                if isinstance(before, ast.Constant) and isinstance(after, ast.FormattedValue) \
                        and before.value.rstrip(" ").endswith(tuple(SYMBOLS)):
                    found.append((node.lineno, f"symbol before a placeholder: {before.value.strip()!r}"))
                if isinstance(before, ast.FormattedValue) and isinstance(after, ast.Constant) \
                        and after.value.lstrip(" ").startswith(tuple(SYMBOLS)):
                    found.append((node.lineno, f"symbol after a placeholder: {after.value.strip()!r}"))
            for part in parts:
                if isinstance(part, ast.FormattedValue) and isinstance(part.format_spec, ast.JoinedStr):
                    spec = "".join(p.value for p in part.format_spec.values if isinstance(p, ast.Constant))
                    if re.fullmatch(r",?\.2f|g", spec) and MONEY_NAMES.search(ast.unparse(part.value)):
                        found.append((node.lineno, f"an amount with fixed decimals: {ast.unparse(part.value)}:{spec}"))
        elif isinstance(node, ast.Dict):
            pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values)
                     if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
                     and isinstance(k.value, str) and isinstance(v.value, str)]
            if any(re.fullmatch(r"[A-Z]{3}", k) and v and all(ch in SYMBOLS for ch in v) for k, v in pairs):
                found.append((node.lineno, "a currency symbol table"))
    return found


def product_files() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (REPO_ROOT / package).rglob("*.py")
                  if "migrations" not in path.parts and path != THE_FORMATTER)


def test_no_product_code_formats_money_by_hand():
    offenders = [f"{path.relative_to(REPO_ROOT)}:{line}: {what}"
                 for path in product_files() for line, what in hand_formatted_money(path.read_text(encoding="utf-8"))]
    assert not offenders, "write amounts with contract.money (ShopMoney.price/amount/spoken):\n" + "\n".join(offenders)


@pytest.mark.parametrize("source", [
    'text = f"Your cart has {count} item(s), total ${total:.2f}."',
    'text = f"under ${query.price_max:g}"',
    'text = f"{amount} €"',
    'text = f"costs £ {price}"',
    'text = f"Total {order.total:.2f} {currency}"',
    'text = f"{prices_[0]:,.2f}"',
    'SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}',
])
def test_the_check_sees_hand_formatted_money(source):
    assert hand_formatted_money(source), source


@pytest.mark.parametrize("source", [
    'text = f"Total {money.price(total)}. Shall I place it?"',
    'text = f"rated {query.rating_min:g}+ stars"',
    'text = f"{rating:.1f} stars"',
    'pattern = re.compile(r"(?=[ea]|$)")',
    'help = "interface to bind (default: $WEB_HOST or 127.0.0.1)"',
    'CODES = {"$": ("USD", "CAD"), "rs": ("INR",)}',
])
def test_the_check_lets_the_formatters_output_be(source):
    assert hand_formatted_money(source) == [], source
