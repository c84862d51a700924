"""Turn the dialogue core's replies (Rasa REST messages) into what a speaker says and shows.

A screen can show ten products; a voice should read at most three, each with its price and
one fact that tells them apart, then say what the shopper can do next. Buttons cannot be
tapped on a speaker, so their titles are read as things the shopper can say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from contract.money import ShopMoney, default_locale, format_money, spoken_money
from contract.payloads import parse_intent_message

MAX_SPOKEN_PRODUCTS = 3
MAX_SPOKEN_OPTIONS = 5
ORDINAL_WORDS = ("first", "second", "third")
DEFAULT_REPROMPT = "What would you like to do next?"
PRODUCTS_REPROMPT = "You can say add the first one, tell me more about the second one, or show more."
NOTHING_SAID = "Sorry, I didn't catch that. What are you shopping for?"
_MARKDOWN = re.compile(r"\*\*|__")
_GOODBYE = re.compile(r"\b(good)?bye\b", re.IGNORECASE)


@dataclass
class Spoken:
    ssml: str
    reprompt: str
    card_text: str
    ends_session: bool = False
    # button title -> its Rasa payload, when the last reply offered choices
    options: dict[str, str] = field(default_factory=dict)

    def offered_entity(self, entity: str) -> bool:
        """True when every offered choice sets `entity` (e.g. the size picker sets "size")."""
        return bool(self.options) and all(entity in (parse_intent_message(p) or ("", {}))[1]
                                          for p in self.options.values())


def money(amount: float, currency: str) -> str:
    """Speakable money: "$79.99" (Alexa reads it "seventy-nine dollars and ninety-nine cents"),
    "1,499 rupees", "5,000 yen"; never a currency code (`contract.money.spoken_money`)."""
    return spoken_money(amount, currency or "USD", exact=True)


def shown(payload: dict, key: str, amount: float, currency: str) -> str:
    """An amount for the card: as the shop writes it (the payload's `<key>_text`), else in the
    currency's default locale."""
    text = payload.get(f"{key}_text")
    return text if isinstance(text, str) and text else format_money(amount, currency or "USD",
                                                                     default_locale(currency or "USD"))


def speakable_replies(messages: list[dict], shop: ShopMoney | None) -> list[dict]:
    """The dialogue core's replies with the amounts their texts and product facts show as the
    shop writes them ("₹2,000", "12,50 €") said as a speaker says them ("2,000 rupees", "€12.50")."""
    if shop is None:
        return messages
    spoken = []
    for message in messages:
        message = dict(message)
        if isinstance(message.get("text"), str):
            message["text"] = shop.speakable(message["text"])
        custom = message.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("products"), list):
            message["custom"] = {**custom, "products": [
                {**p, "why": shop.speakable(p["why"])} if isinstance(p, dict) and isinstance(p.get("why"), str) else p
                for p in custom["products"]]}
        spoken.append(message)
    return spoken


def _standout(product: dict) -> str:
    """One fact that tells similar products apart: a rating or a sale beats "in stock"."""
    why = product.get("why") or ""
    # ", " parts: an amount may hold a comma ("$1,299", "12,50 €") but never a comma and a space
    reasons = [r.strip() for r in (why if isinstance(why, list) else why.split(", ")) if r.strip()]
    best = next((r for r in reasons if "star" in r or "sale" in r), None)
    if best:
        return best
    if product.get("rating"):
        return f"rated {product['rating']:.1f} stars"
    return reasons[-1] if reasons else ""


def _product_line(index: int, product: dict) -> str:
    fact = _standout(product)
    line = f"The {ORDINAL_WORDS[index]}: {product['title']}, {money(product['price'], product['currency'])}"
    return f"{line}, {fact}." if fact else f"{line}."


def _spoken_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _card_lines(custom: dict) -> list[str]:
    kind, currency = custom.get("type"), custom.get("currency", "USD")
    if kind in ("product_list", "alternatives"):
        return [f"{i}. {p['title']} - {shown(p, 'price', p['price'], p['currency'])}"
                for i, p in enumerate(custom["products"], 1)]
    if kind == "cart":
        return [f"{i['quantity']} x {i['title']} - {shown(i, 'unit_price', i['unit_price'], currency)}"
                for i in custom["items"]] + [f"Total: {shown(custom, 'total', custom['total'], currency)}"]
    if kind == "order":
        return [f"Order {custom['order_id']}: {custom['status']}, {shown(custom, 'total', custom['total'], currency)}"]
    return []


def render(messages: list[dict]) -> Spoken:
    said: list[str] = []
    card: list[str] = []
    reprompt = DEFAULT_REPROMPT
    options: dict[str, str] = {}
    for message in messages:
        text = _MARKDOWN.sub("", message.get("text") or "").strip()
        if text:
            said.append(" ".join(line.strip() for line in text.splitlines() if line.strip()))
        buttons = [b for b in message.get("buttons") or [] if b.get("title")]
        if buttons:
            options = {b["title"]: b.get("payload", b["title"]) for b in buttons}
            reprompt = f"You can say {_spoken_list([b['title'] for b in buttons[:MAX_SPOKEN_OPTIONS]])}."
            said.append(reprompt)
        custom = message.get("custom") or {}
        if custom.get("type") in ("product_list", "alternatives") and custom.get("products"):
            said.extend(_product_line(i, p) for i, p in enumerate(custom["products"][:MAX_SPOKEN_PRODUCTS]))
            said.append(PRODUCTS_REPROMPT)
            reprompt = PRODUCTS_REPROMPT
        card.extend(_card_lines(custom))
    if not said:
        said.append(NOTHING_SAID)
    return Spoken(ssml="<speak>" + " ".join(escape(s) for s in said) + "</speak>", reprompt=escape(reprompt),
                  card_text="\n".join(card), ends_session=bool(_GOODBYE.search(said[-1])), options=options)
