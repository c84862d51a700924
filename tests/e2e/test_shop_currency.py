"""A shop that sells in rupees is answered in rupees, through the real Rasa server, action server
and web app: its currency comes from its own catalog's index build, with no setting and no
retraining, and a budget in another currency is answered, not converted."""
from __future__ import annotations

import pytest
import requests

from runtime.settings import REPO_ROOT
from tests.e2e.conftest import build_catalog, custom_payloads, on_build, texts

pytestmark = pytest.mark.e2e

INR_FEED = REPO_ROOT / "tests" / "catalog" / "fixtures" / "inr_merchant_feed.tsv"
KURTAS_UNDER_2000 = {"Jaipur Looms Women's Cotton Block Print Kurta", "Jaipur Looms Women's Chikankari Kurta",
                     "Rangrez Men's Linen Kurta"}  # 1,499, 1,899 on sale (from 2,499) and 1,799 rupees


@pytest.fixture
def rupee_shop(assistant):
    """The running assistant on the Indian catalog's index build; the demo build again afterwards."""
    build_dir, printed = build_catalog(INR_FEED, assistant.settings.index_dir)
    assert "prices in INR" in printed
    with on_build(assistant.settings.index_dir, build_dir):  # the demo catalog again afterwards
        yield assistant


def test_a_rupee_shop_answers_in_rupees_and_asks_for_a_dollar_budget_in_rupees(rupee_shop, sender):
    parsed = requests.post(f"{rupee_shop.web_url}/api/parse", json={"text": "kurta under 2000"}, timeout=30).json()
    assert parsed["constraints"]["price"] == {"min": None, "max": 2000, "currency": "INR"}, parsed

    messages = rupee_shop.say(sender, "kurta under 2000 rupees")
    lists = custom_payloads(messages, "product_list")
    assert lists, messages
    assert lists[0]["query"]["price"] == {"min": None, "max": 2000, "currency": "INR"}
    products = lists[0]["products"]
    assert {p["title"] for p in products} == KURTAS_UNDER_2000
    assert all(p["price"] <= 2000 and p["currency"] == "INR" and p["price_text"].startswith("₹") for p in products)
    assert "under ₹2,000" in texts(messages) and "$" not in texts(messages)
    assert all("$" not in p["why"] for p in products)

    other = rupee_shop.say(sender, "under 30 dollars")
    assert "Our prices are in rupees (₹)" in texts(other) and "What's your budget in rupees?" in texts(other), other
    assert not custom_payloads(other, "product_list") and not custom_payloads(other, "alternatives")

    answered = rupee_shop.say(sender, "under 1500 rupees")  # the kurta search was kept
    lists = custom_payloads(answered, "product_list")
    assert lists, answered
    assert [p["title"] for p in lists[0]["products"]] == ["Jaipur Looms Women's Cotton Block Print Kurta"]
    assert "kurtas under ₹1,500" in texts(answered)
