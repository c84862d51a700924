"""Turn the dialogue core's replies (Rasa REST messages) into what a speaker says and shows.

A screen can show ten products; a voice should read at most three, each with its price and
one fact that tells them apart, then say what the shopper can do next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAX_SPOKEN_PRODUCTS = 3
ORDINAL_WORDS = ("first", "second", "third")
_MARKDOWN = re.compile(r"\*\*|__")


@dataclass
class Spoken:
    ssml: str
    reprompt: str
    card_title: str
    card_text: str


def money(amount: float, currency: str) -> str:
    """Speakable money: "$79.99" is read by Alexa as "seventy-nine dollars ninety-nine"."""
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    return f"{symbol}{amount:.2f}" if symbol else f"{amount:.2f} {currency}"


def _product_line(index: int, product: dict) -> str:
    fact = (product.get("why") or "").split(", ")
    distinguishing = next((f for f in fact if "stars" in f or "sale" in f), fact[-1] if fact and fact[0] else "")
    line = f"The {ORDINAL_WORDS[index]}: {product['title']}, {money(product['price'], product['currency'])}"
    return line + (f", {distinguishing}." if distinguishing else ".")


def render(messages: list[dict]) -> Spoken:
    said: list[str] = []
    card: list[str] = []
    reprompt = "What would you like to do next?"
    for message in messages:
        text = _MARKDOWN.sub("", message.get("text") or "").strip()
        custom = message.get("custom") or {}
        if text:
            said.append(text.split("\n")[0] if custom.get("type") else text.replace("\n", " "))
        kind = custom.get("type")
        if kind in ("product_list", "alternatives"):
            products = custom.get("products") or []
            said.extend(_product_line(i, p) for i, p in enumerate(products[:MAX_SPOKEN_PRODUCTS]))
            card.extend(f"{i + 1}. {p['title']} - {money(p['price'], p['currency'])}" for i, p in enumerate(products))
            reprompt = "You can say add the first one, tell me more about the second one, or show more."
            said.append(reprompt)
        elif kind == "cart":
            card.extend(f"{item['quantity']} x {item['title']} - {money(item['unit_price'], custom['currency'])}"
                        for item in custom.get("items", []))
            card.append(f"Total: {money(custom['total'], custom['currency'])}")
        elif kind == "order":
            card.append(f"Order {custom['order_id']}: {custom['status']}, {money(custom['total'], custom['currency'])}")
    if not said:
        said.append("Sorry, I didn't catch that. What are you shopping for?")
    ssml = "<speak>" + " ".join(escape(s) for s in said) + "</speak>"
    return Spoken(ssml=ssml, reprompt=reprompt, card_title="Omnishop", card_text="\n".join(card))
