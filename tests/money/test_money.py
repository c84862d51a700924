"""The one formatter of amounts (`contract/money.py`): what each shop writes, what a speaker says,
the payloads' display strings, and the locale setting."""
from __future__ import annotations

import pytest

from contract import payloads
from contract.money import ShopMoney, currency_name, default_locale, format_money, spoken_money
from runtime.settings import Settings, SettingError
from voice_skill.speech import render, speakable_replies

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("amount, currency, locale, price, budget", [
    # US dollars
    (79.99, "USD", "en_US", "$79.99", "$79.99"),
    (150, "USD", "en_US", "$150.00", "$150"),
    (1234567.5, "USD", "en_US", "$1,234,567.50", "$1,234,567.50"),
    (0.5, "USD", "en_US", "$0.50", "$0.50"),
    # euros: German, French and Irish writing
    (12.5, "EUR", "de_DE", f"12,50{NBSP}€", f"12,50{NBSP}€"),
    (1499.5, "EUR", "de_DE", f"1.499,50{NBSP}€", f"1.499,50{NBSP}€"),
    (2000, "EUR", "de_DE", f"2.000,00{NBSP}€", f"2.000{NBSP}€"),
    (12.5, "EUR", "fr_FR", f"12,50{NBSP}€", f"12,50{NBSP}€"),
    (1499.5, "EUR", "fr_FR", f"1{NNBSP}499,50{NBSP}€", f"1{NNBSP}499,50{NBSP}€"),
    (2000, "EUR", "fr_FR", f"2{NNBSP}000,00{NBSP}€", f"2{NNBSP}000{NBSP}€"),
    (12.5, "EUR", "en_IE", "€12.50", "€12.50"),
    (1499, "EUR", "en_IE", "€1,499.00", "€1,499"),
    # pounds
    (40, "GBP", "en_GB", "£40.00", "£40"),
    (1299.99, "GBP", "en_GB", "£1,299.99", "£1,299.99"),
    # rupees: lakh and crore grouping
    (1499, "INR", "en_IN", "₹1,499.00", "₹1,499"),
    (2000, "INR", "en_IN", "₹2,000.00", "₹2,000"),
    (149999, "INR", "en_IN", "₹1,49,999.00", "₹1,49,999"),
    (12345678.9, "INR", "en_IN", "₹1,23,45,678.90", "₹1,23,45,678.90"),
    # yen and won: no minor units at all
    (1500, "JPY", "en_JP", "¥1,500", "¥1,500"),
    (1500.4, "JPY", "en_JP", "¥1,500", "¥1,500"),
    (1500, "JPY", "ja_JP", "￥1,500", "￥1,500"),
    (30000, "KRW", "ko_KR", "₩30,000", "₩30,000"),
    (1234567, "KRW", "ko_KR", "₩1,234,567", "₩1,234,567"),
    # another currency in the shop's locale: a client's stray amount is still unmistakable
    (30, "USD", "en_IN", "$30.00", "$30"),
])
def test_each_shop_writes_amounts_its_own_way(amount, currency, locale, price, budget):
    shop = ShopMoney(currency, locale)
    assert format_money(amount, currency, locale) == shop.price(amount) == price
    assert format_money(amount, currency, locale, trim=True) == shop.amount(amount) == budget


@pytest.mark.parametrize("currency, locale", [
    ("USD", "en_US"), ("GBP", "en_GB"), ("EUR", "en_IE"), ("INR", "en_IN"), ("JPY", "en_JP"), ("KRW", "ko_KR"),
    ("CHF", "en_CH"), ("XYZ", "en_US"), ("inr", "en_IN"),
])
def test_the_default_locale_follows_the_currency(currency, locale):
    assert default_locale(currency) == locale
    assert ShopMoney.of(currency).locale == locale


def test_the_locale_setting_overrides_the_default_and_unknown_currencies_are_dollars():
    assert ShopMoney.of("EUR", "de_DE") == ShopMoney("EUR", "de_DE")
    assert ShopMoney.of("EUR", "fr-FR") == ShopMoney("EUR", "fr_FR")
    assert ShopMoney.of(None) == ShopMoney("USD", "en_US")
    with pytest.raises(ValueError, match="xx_YY"):
        ShopMoney.of("EUR", "xx_YY")


@pytest.mark.parametrize("amount, currency, said", [
    (79.99, "USD", "$79.99"), (150, "USD", "$150"), (1299, "USD", "$1,299"), (12.5, "EUR", "€12.50"),
    (40, "GBP", "£40"), (1499, "INR", "1,499 rupees"), (149999, "INR", "149,999 rupees"), (1, "INR", "1 rupee"),
    (1499.5, "INR", "1,499 rupees 50 paise"), (0.01, "INR", "0 rupees 1 paisa"), (5000, "JPY", "5,000 yen"),
    (30000, "KRW", "30,000 won"), (20, "CAD", "20 dollars"), (12.5, "CHF", "12.50 francs"),
    (100, "SEK", "100 Swedish kronor"),
])
def test_spoken_amounts_name_the_currency_in_words(amount, currency, said):
    assert spoken_money(amount, currency) == said
    assert spoken_money(amount, currency, exact=True) == (f"{said}.00" if said[0] in "$€£" and "." not in said
                                                          else said), "a written price keeps its cents"
    assert not any(code in said for code in ("USD", "INR", "JPY", "KRW", "EUR", "CHF", "SEK"))


@pytest.mark.parametrize("currency, locale, text, said", [
    ("INR", "en_IN", "Here are 3 of 3 kurtas under ₹2,000.", "Here are 3 of 3 kurtas under 2,000 rupees."),
    ("INR", "en_IN", "Total ₹1,49,999.00. Shall I place it?", "Total 149,999 rupees. Shall I place it?"),
    ("USD", "en_US", "Your cart has 1 item(s), total $89.00.", "Your cart has 1 item(s), total $89.00."),
    ("INR", "en_IN", "Our prices are in rupees (₹). What's your budget in rupees?",
     "Our prices are in rupees. What's your budget in rupees?"),
    ("EUR", "de_DE", f"Jacken zwischen 50{NBSP}€ und 1.499,50{NBSP}€, Größe 42.",
     "Jacken zwischen €50 und €1,499.50, Größe 42."),
    ("EUR", "fr_FR", f"Total 1{NNBSP}499,00{NBSP}€.", "Total €1,499.00."),
    ("JPY", "en_JP", "sneakers under ¥5,000, size 27", "sneakers under 5,000 yen, size 27"),
    ("KRW", "ko_KR", "under ₩30,000", "under 30,000 won"),
    ("USD", "en_US", "running shoes under $100 in size 10, 4.5 stars", "running shoes under $100 in size 10, 4.5 stars"),
])
def test_speech_says_the_amounts_a_reply_shows(currency, locale, text, said):
    assert ShopMoney(currency, locale).speakable(text) == said


def test_payloads_carry_the_amounts_as_the_shop_writes_them():
    items = [{"id": "V1", "title": "Kurta", "size": None, "color": "blue", "quantity": 2, "unit_price": 1499.0,
              "line_total": 2998.0}]
    cart = payloads.cart(items, "INR", "en_IN")
    assert cart["total_text"] == "₹2,998.00"
    assert cart["items"][0]["unit_price_text"] == "₹1,499.00" and cart["items"][0]["line_total_text"] == "₹2,998.00"
    order = payloads.order("OS-1", "placed", [{k: v for k, v in items[0].items() if k != "line_total"}], 2998.0,
                           "INR", "en_IN")
    assert order["total_text"] == "₹2,998.00" and order["items"][0]["line_total_text"] == "₹2,998.00"
    assert "total_text" not in payloads.cart(items, "INR"), "v1 shape without a locale"


def test_the_speaker_reads_rupees_and_the_card_shows_them():
    replies = [
        {"recipient_id": "u", "text": "Here are 1 of 1 kurtas under ₹2,000."},
        {"recipient_id": "u", "custom": {"type": "product_list", "query": {}, "products": [
            {"id": "V1", "group_id": "G1", "title": "Chikankari Kurta", "price": 1899.0, "currency": "INR",
             "price_text": "₹1,899.00", "compare_at_price": 2499.0, "rating": 4.7,
             "why": "under ₹2,000, on sale from ₹2,499, 4.7 stars"}]}},
        {"recipient_id": "u", "custom": payloads.cart([{"id": "V1", "title": "Chikankari Kurta", "size": None,
                                                         "color": None, "quantity": 1, "unit_price": 1899.0,
                                                         "line_total": 1899.0}], "INR", "en_IN")},
    ]
    spoken = render(speakable_replies(replies, ShopMoney("INR", "en_IN")))
    assert "under 2,000 rupees" in spoken.ssml
    assert "The first: Chikankari Kurta, 1,899 rupees, on sale from 2,499 rupees." in spoken.ssml
    assert "₹" not in spoken.ssml and "INR" not in spoken.ssml
    assert spoken.card_text == "1. Chikankari Kurta - ₹1,899.00\n1 x Chikankari Kurta - ₹1,899.00\nTotal: ₹1,899.00"
    assert render(speakable_replies(replies, None)).card_text == spoken.card_text


def test_names_for_the_other_currency_answer():
    assert [currency_name(c) for c in ("INR", "EUR", "USD", "GBP", "JPY", "KRW")] == \
        ["rupees", "euros", "dollars", "pounds", "yen", "won"]
    assert currency_name("CAD", full=True) == "Canadian dollars" and currency_name("USD", full=True) == "US dollars"
    assert ShopMoney("INR", "en_IN").symbol() == "₹" and ShopMoney("EUR", "de_DE").symbol() == "€"


@pytest.mark.parametrize("value, locale", [("en_IN", "en_IN"), ("de-DE", "de_DE"), ("fr", "fr")])
def test_omnishop_locale_is_read_once_into_the_settings(value, locale):
    assert Settings.from_env({"OMNISHOP_LOCALE": value}).shop.locale == locale
    assert Settings.from_env({}).shop.locale is None


@pytest.mark.parametrize("value", ["rupees", "en IN", "e"])
def test_a_bad_locale_names_its_variable(value):
    with pytest.raises(SettingError, match="OMNISHOP_LOCALE"):
        Settings.from_env({"OMNISHOP_LOCALE": value})
