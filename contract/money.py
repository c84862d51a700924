"""Every amount the assistant says or shows, in the shop's currency and the shop's number format.

One formatter for the actions' replies, the recommender's product cards, the cart and order
payloads, the widget (it shows the `*_text` strings these payloads carry) and the Alexa skill.
Written with CLDR's data through `babel`: "₹1,49,999.00" in India, "12,50 €" in Germany,
"¥1,500" for yen. The shop's currency is the catalog's own (recorded at index build); its locale
is `OMNISHOP_LOCALE` or, unset, `default_locale(currency)`.

Speech is English (the skill's interaction model is en-US): `spoken` says "1,499 rupees" or
"$79.99" (a symbol only where Alexa reads it well), never a currency code, and `speakable`
rewrites the amounts a reply's text shows into that form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (format_currency, get_currency_name, get_currency_precision, get_currency_symbol,
                           get_decimal_symbol, get_group_symbol)

# The shop's locale when OMNISHOP_LOCALE is unset: the replies are English, so the English
# locale of the currency's home market where CLDR has one ("€12.50" in en_IE, "¥1,500" in
# en_JP, lakh grouping in en_IN), else the home market's own (ko_KR writes "₩30,000").
DEFAULT_LOCALES = {
    "USD": "en_US", "GBP": "en_GB", "EUR": "en_IE", "INR": "en_IN", "JPY": "en_JP", "KRW": "ko_KR",
    "CAD": "en_CA", "AUD": "en_AU", "NZD": "en_NZ", "SGD": "en_SG", "HKD": "en_HK", "CHF": "en_CH",
    "ZAR": "en_ZA", "SEK": "en_SE", "DKK": "en_DK", "NOK": "nb_NO", "PLN": "pl_PL", "CZK": "cs_CZ",
    "HUF": "hu_HU", "MXN": "es_MX", "BRL": "pt_BR", "CNY": "zh_CN",
}
FALLBACK_LOCALE = "en_US"
# What a speaker calls the currency, singular and plural; others get CLDR's English name.
SPOKEN_NAMES = {
    "USD": ("dollar", "dollars"), "CAD": ("dollar", "dollars"), "AUD": ("dollar", "dollars"),
    "NZD": ("dollar", "dollars"), "SGD": ("dollar", "dollars"), "HKD": ("dollar", "dollars"),
    "EUR": ("euro", "euros"), "GBP": ("pound", "pounds"), "INR": ("rupee", "rupees"), "JPY": ("yen", "yen"),
    "KRW": ("won", "won"), "CNY": ("yuan", "yuan"), "CHF": ("franc", "francs"),
}
SPOKEN_MINOR = {"INR": ("paisa", "paise")}
# Symbols Alexa reads aloud as the currency ("$79.99": "seventy-nine dollars and ninety-nine cents").
SPOKEN_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_SPACES = "\u00a0\u202f "


def default_locale(currency: str) -> str:
    return DEFAULT_LOCALES.get(currency.upper(), FALLBACK_LOCALE)


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    """A CLDR locale from "en_IN" or "en-IN"; ValueError naming it when CLDR has none."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError) as exc:
        raise ValueError(f"unknown locale {name!r}: {exc}") from None


@lru_cache(maxsize=64)
def _whole_pattern(locale: str) -> str:
    """The locale's currency pattern without minor units: "¤#,##,##0.00" -> "¤#,##,##0"."""
    return re.sub(r"\.[0#]+", "", _locale(locale).currency_formats["standard"].pattern)


def _is_whole(amount: float) -> bool:
    return abs(float(amount) - round(float(amount))) < 1e-9


def format_money(amount: float, currency: str, locale: str, *, trim: bool = False) -> str:
    """`amount` of `currency` as `locale` writes it, with the currency's minor units ("$79.99",
    "$150.00", "₹1,49,999.00", "12,50 €", "¥1,500"). `trim`: a whole amount without them
    ("under $150", "₹2,000"): for budgets and other amounts a shopper says."""
    currency = currency.upper()
    if trim and _is_whole(amount):
        return format_currency(round(float(amount)), currency, format=_whole_pattern(locale), locale=_locale(locale),
                               currency_digits=False)
    return format_currency(amount, currency, locale=_locale(locale))


def currency_name(currency: str, plural: bool = True, full: bool = False) -> str:
    """What a speaker calls it: "rupees", "euros", "yen"; CLDR's English name for the rest, and
    for all when `full` ("Indian rupees", "Canadian dollars")."""
    currency = currency.upper()
    if currency in SPOKEN_NAMES and not full:
        return SPOKEN_NAMES[currency][1 if plural else 0]
    try:
        return get_currency_name(currency, count=2 if plural else 1, locale="en")
    except (ValueError, LookupError):
        return currency


def spoken_money(amount: float, currency: str, exact: bool = False) -> str:
    """`amount` as an English speaker says it: "$79.99", "€12.50", "£40", "1,499 rupees",
    "1,499 rupees 50 paise", "5,000 yen", "30,000 won", "12.50 Swiss francs". `exact`: with
    the minor units of a symbol even when zero, as a price is written ("$89.00": Alexa reads it
    "eighty-nine dollars" either way)."""
    currency = currency.upper()
    value = round(float(amount), get_currency_precision(currency))
    whole = _is_whole(value)
    if currency in SPOKEN_SYMBOLS:
        number = f"{round(value):,}" if whole and not exact else f"{value:,.2f}"
        return ("-" if value < 0 else "") + SPOKEN_SYMBOLS[currency] + number.lstrip("-")
    if whole:
        return f"{round(value):,} {currency_name(currency, plural=abs(round(value)) != 1)}"
    if currency in SPOKEN_MINOR:
        major, minor = divmod(round(abs(value) * 100), 100)
        sign = "-" if value < 0 else ""
        return (f"{sign}{major:,} {currency_name(currency, plural=major != 1)} "
                f"{minor} {SPOKEN_MINOR[currency][0 if minor == 1 else 1]}")
    return f"{value:,.2f} {currency_name(currency)}"


@dataclass(frozen=True)
class ShopMoney:
    """The shop's currency and locale: how it writes and says an amount."""

    currency: str
    locale: str

    @classmethod
    def of(cls, currency: str | None, locale: str | None = None) -> "ShopMoney":
        """The shop that sells in `currency` (USD when unknown), in `locale` (OMNISHOP_LOCALE)
        or else the currency's default locale; ValueError for a locale CLDR does not know."""
        currency = (currency or "USD").upper()
        chosen = locale or default_locale(currency)
        _locale(chosen)
        return cls(currency, chosen.replace("-", "_"))

    def price(self, amount: float, currency: str | None = None) -> str:
        """A price or total, with minor units: "₹1,499.00"."""
        return format_money(amount, currency or self.currency, self.locale)

    def amount(self, amount: float, currency: str | None = None) -> str:
        """A budget or other round amount, whole ones without minor units: "₹2,000"."""
        return format_money(amount, currency or self.currency, self.locale, trim=True)

    def symbol(self, currency: str | None = None) -> str:
        return get_currency_symbol(currency or self.currency, _locale(self.locale))

    def name(self, currency: str | None = None, full: bool = False) -> str:
        return currency_name(currency or self.currency, full=full)

    @staticmethod
    def spoken(amount: float, currency: str, exact: bool = False) -> str:
        return spoken_money(amount, currency, exact)

    def speakable(self, text: str) -> str:
        """`text` with every amount this shop writes ("₹2,000", "1.499,00 €") as a speaker says it
        ("2,000 rupees", "€1,499.00"), and a currency symbol alone in brackets (" (₹)") left out."""
        return _speakable(self.currency, self.locale)(text)


@lru_cache(maxsize=16)
def _speakable(currency: str, locale: str):
    """The rewriter of `currency` amounts as `locale` writes them (its symbol before or after)."""
    where = _locale(locale)
    symbol = re.escape(get_currency_symbol(currency, where))
    group, decimal = get_group_symbol(where), get_decimal_symbol(where)
    groups = re.escape(group) + (re.escape(_SPACES) if group in _SPACES else "")
    number = rf"\d(?:[\d{groups}]*\d)?(?:{re.escape(decimal)}\d+)?"
    gap = f"[{re.escape(_SPACES)}]?"
    pattern = where.currency_formats["standard"].pattern.split(";")[0]
    before = pattern.index("¤") < re.search(r"[#0]", pattern).start()
    amount = re.compile(rf"-?{symbol}{gap}(?P<a>{number})" if before else rf"(?P<b>-?{number}){gap}{symbol}")
    bare = re.compile(rf"\s?\({symbol}\)")

    def value(text: str) -> Decimal | None:
        plain = re.sub(f"[{groups}]", "", text).replace(decimal, ".")
        try:
            return Decimal(plain)
        except InvalidOperation:
            return None

    def rewrite(match: re.Match) -> str:
        written = match.group("a" if before else "b")
        found = value(written)
        if found is None:
            return match.group(0)
        if match.group(0).startswith("-"):
            found = -abs(found)
        return spoken_money(float(found), currency, exact=decimal in written)

    return lambda text: bare.sub("", amount.sub(rewrite, text))
