"""Shopping by voice through the running services: signed Alexa requests to `/alexa` with
verification on, from launch to a placed order that the web then shows, and every forged,
stale or wrong-skill request refused with its status.

The web app under test is a second one on the same dialogue core and database, configured
only through its environment to trust the locally generated Alexa test root
(`OMNISHOP_ALEXA_TRUSTED_ROOTS`, `OMNISHOP_ALEXA_CERT_DIR`) and to link accounts with a
fresh secret; the shared web app keeps production defaults.
"""
from __future__ import annotations

import re
import secrets
import time
import uuid
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import custom_payloads, customer_chat, extra_web_app
from tests.voice.certificates import CERT_URL, AlexaPki, pem, signed_headers
from tests.voice.envelopes import SKILL_ID, VoiceSession, resolved, speech, stale, unresolved
from runtime.customer_tokens import CustomerTokens

pytestmark = pytest.mark.e2e
UNTRUSTED_CERT_URL = "https://s3.amazonaws.com/echo.api/untrusted-cert.pem"
CARD_PRODUCT = re.compile(r"^\d+\. (?P<title>.+) - \$(?P<price>[\d.]+)$")
PLACED = re.compile(r"Order (?P<reference>\S+) is placed\. Total \$(?P<total>\d+\.\d\d)")


@pytest.fixture(scope="module")
def pki() -> AlexaPki:
    return AlexaPki.create()


@pytest.fixture(scope="module")
def link_secret() -> str:
    return secrets.token_hex(32)


@pytest.fixture(scope="module")
def alexa_env(pki, link_secret, tmp_path_factory) -> dict[str, str]:
    """Settings of a web app that trusts the test root, serves its chain from a saved-chain
    directory (plus an untrusted one), and links accounts with `link_secret`."""
    pki_dir = tmp_path_factory.mktemp("alexa-pki")
    (pki_dir / "roots.pem").write_bytes(pem(pki.root))
    chains = pki_dir / "chains"
    chains.mkdir()
    (chains / CERT_URL.rsplit("/", 1)[1]).write_bytes(pem(pki.leaf))
    (chains / UNTRUSTED_CERT_URL.rsplit("/", 1)[1]).write_bytes(pem(AlexaPki.create().leaf))
    return {"OMNISHOP_ALEXA_APP_IDS": SKILL_ID, "OMNISHOP_ALEXA_TRUSTED_ROOTS": str(pki_dir / "roots.pem"),
            "OMNISHOP_ALEXA_CERT_DIR": str(chains), "OMNISHOP_CUSTOMER_TOKEN_SECRET": link_secret}


@pytest.fixture(scope="module")
def endpoint(assistant, alexa_env):
    with extra_web_app(assistant, alexa_env) as url:
        yield f"{url}/alexa"


@pytest.fixture
def customer() -> str:
    return f"cust-{uuid.uuid4().hex[:12]}"


def linked_session(endpoint: str, pki: AlexaPki, link_secret: str, customer: str) -> VoiceSession:
    """A voice session whose account is linked to `customer`, as the retailer's login links it."""
    return VoiceSession(endpoint, pki, access_token=CustomerTokens(link_secret.encode()).mint(customer, 600))


def card_products(answer: dict) -> list[dict]:
    lines = answer["response"]["card"]["content"].splitlines()
    return [m.groupdict() for m in map(CARD_PRODUCT.match, lines) if m]


def orders_of(assistant, owner: str) -> list[tuple[str, float]]:
    with create_engine(assistant.settings.database_url).connect() as connection:
        return [(r, float(t)) for r, t in connection.execute(
            text("SELECT reference, total FROM orders WHERE owner = :owner"), {"owner": owner})]


def checkout_by_voice(voice: VoiceSession, title: str, total: str) -> tuple[str, dict, bytes, dict]:
    """Checkout, hear items and total read back, say yes. Returns (reference, answer, the yes request, its headers)."""
    summary = voice.intent("CheckoutIntent")
    said = speech(summary)
    assert escape(title) in said and f"Total ${total}" in said and "Shall I place it?" in said, said
    assert summary["response"]["shouldEndSession"] is False and summary["response"]["reprompt"]
    yes = voice.body(voice.intent_request("AMAZON.YesIntent"))
    headers = signed_headers(voice.pki.leaf_key, yes)
    response = voice.post_raw(yes, headers)
    assert response.status_code == 200, response.text
    placed = PLACED.search(speech(response.json()))
    assert placed and placed["total"] == total, speech(response.json())
    return placed["reference"], response.json(), yes, headers


def test_launch_search_choose_order_by_voice_then_the_web_shows_it(assistant, endpoint, pki, link_secret, customer):
    voice = linked_session(endpoint, pki, link_secret, customer)
    welcome = voice.launch()
    assert speech(welcome) and welcome["response"]["shouldEndSession"] is False

    asked_size = voice.intent("SearchProductIntent", {
        "category": resolved("runners", "running shoes", "CATEGORY"), "gender": resolved("men's", "men", "GENDER"),
        "budget": "100", "color": None, "size": None, "brand": None})
    assert "What size?" in speech(asked_size) and asked_size["response"]["shouldEndSession"] is False
    found = voice.intent("RefineSearchIntent", {"size": resolved("doesn't matter", "any size", "SIZE"),
                                                "color": None, "budget": None, "brand": None})
    products = card_products(found)
    assert len(products) >= 3 and all(float(p["price"]) <= 100 for p in products)
    said = speech(found)
    assert [said.count(w) for w in ("The first:", "The second:", "The third:", "The fourth:")] == [1, 1, 1, 0]
    assert f"{escape(products[0]['title'])}, ${products[0]['price']}" in said

    asked = voice.intent("AddToCartIntent", {"ordinal": resolved("first one", "first", "ORDINAL"), "size": None,
                                             "quantity": None}, dialog_state="STARTED")
    directive = asked["response"]["directives"][0]
    assert directive["type"] == "Dialog.ElicitSlot" and directive["slotToElicit"] == "size"
    size = sorted(voice.attributes["offered"])[0]
    added = voice.intent("AddToCartIntent", {"ordinal": resolved("first one", "first", "ORDINAL"),
                                             "size": unresolved(size, "SIZE"), "quantity": None},
                         dialog_state="IN_PROGRESS")
    assert f"size {size}" in speech(added) and escape(products[0]["title"]) in speech(added)
    total = re.search(r"total \$(\d+\.\d\d)", speech(added))[1]  # the chosen size's price

    reference, placed, yes, headers = checkout_by_voice(voice, products[0]["title"], total)
    retried = voice.post_raw(yes, headers)  # Alexa retries the same request (same request id)
    assert retried.status_code == 200 and retried.json() == placed
    assert orders_of(assistant, f"customer:{customer}") == [(reference, float(total))]
    assert voice.end()["response"] == {}

    status = custom_payloads(customer_chat(assistant, customer, "where is my order"), "order")
    assert status and status[0]["order_id"] == reference and status[0]["status"] == "placed"
    assert f"{status[0]['total']:.2f}" == total and status[0]["items"][0]["title"] == products[0]["title"]


def test_a_cart_built_on_the_web_is_read_out_and_ordered_by_voice(assistant, endpoint, pki, link_secret, customer):
    shown = custom_payloads(customer_chat(assistant, customer, "show me backpacks"), "product_list")[0]["products"]
    messages = customer_chat(assistant, customer, "add the first one to my cart")
    if not custom_payloads(messages, "cart"):  # the web asked which size: tap the first size
        messages = customer_chat(assistant, customer, [b for m in messages for b in m.get("buttons", [])][0]["payload"])
    cart = custom_payloads(messages, "cart")[0]
    assert cart["items"][0]["title"] == shown[0]["title"]
    total = f"{cart['total']:.2f}"

    voice = linked_session(endpoint, pki, link_secret, customer)
    voice.launch()
    read_out = voice.intent("ViewCartIntent")
    assert f"Your cart has 1 item(s), total ${total}" in speech(read_out)
    assert shown[0]["title"] in read_out["response"]["card"]["content"]
    reference, _, _, _ = checkout_by_voice(voice, shown[0]["title"], total)

    status = custom_payloads(customer_chat(assistant, customer, "where is my order"), "order")
    assert status[0]["order_id"] == reference
    assert [item["id"] for item in status[0]["items"]] == [item["id"] for item in cart["items"]]


@pytest.mark.parametrize("token", [None, "forged", "expired", "not-a-link-token"])
def test_checkout_without_a_valid_link_asks_to_link_and_orders_nothing(assistant, endpoint, pki, link_secret, token,
                                                                     customer):
    tokens = {"forged": CustomerTokens(secrets.token_bytes(32)).mint(customer, 600),
              "expired": CustomerTokens(link_secret.encode(), clock=lambda: time.time() - 3600).mint(customer, 600)}
    voice = VoiceSession(endpoint, pki, access_token=tokens.get(token, token))
    voice.launch()
    voice.intent("SearchProductIntent", {"category": resolved("backpacks", "backpacks", "CATEGORY")})
    voice.intent("AddToCartIntent", {"ordinal": resolved("first", "first", "ORDINAL")}, dialog_state="STARTED")
    answer = voice.intent("CheckoutIntent")
    assert answer["response"]["card"]["type"] == "LinkAccount"
    assert "link your Omnishop account" in speech(answer) and answer["response"]["shouldEndSession"] is False
    assert voice.intent("AMAZON.YesIntent") and orders_of(assistant, f"sender:alexa:{voice.user_id}") == []
    assert orders_of(assistant, f"customer:{customer}") == []


def test_with_a_voice_code_only_the_right_code_places_the_order(assistant, alexa_env, pki, link_secret, customer):
    with extra_web_app(assistant, {**alexa_env, "OMNISHOP_ALEXA_VOICE_CODE": "4271"}) as url:
        voice = linked_session(f"{url}/alexa", pki, link_secret, customer)
        voice.launch()
        voice.intent("SearchProductIntent", {"category": resolved("backpacks", "backpacks", "CATEGORY")})
        voice.intent("AddToCartIntent", {"ordinal": resolved("first", "first", "ORDINAL")}, dialog_state="STARTED")
        assert "Shall I place it?" in speech(voice.intent("CheckoutIntent"))
        assert "say your four digit voice code" in speech(voice.intent("AMAZON.YesIntent"))
        assert "isn't right" in speech(voice.intent("VoiceCodeIntent", {"code": "1234"}))
        assert orders_of(assistant, f"customer:{customer}") == []
        placed = PLACED.search(speech(voice.intent("VoiceCodeIntent", {"code": "4271"})))
    assert placed and orders_of(assistant, f"customer:{customer}") == [(placed["reference"], float(placed["total"]))]


def refused(voice: VoiceSession, body: bytes, headers: dict) -> tuple[int, str]:
    response = voice.post_raw(body, headers)
    return response.status_code, response.json()["error"]


def test_forged_stale_and_wrong_skill_requests_are_refused(endpoint, pki):
    voice = VoiceSession(endpoint, pki)
    launch = {"type": "LaunchRequest"}
    body = voice.body(launch)
    impostor = AlexaPki.create()

    status, reason = refused(voice, body, signed_headers(impostor.leaf_key, body))
    assert status == 401 and "signature" in reason
    status, reason = refused(voice, body, signed_headers(impostor.leaf_key, body, UNTRUSTED_CERT_URL))
    assert status == 401 and "not trusted" in reason
    status, reason = refused(voice, body, signed_headers(pki.leaf_key, body, "https://evil.example.com/echo.api/c.pem"))
    assert status == 401 and "host" in reason
    status, reason = refused(voice, body, {})
    assert status == 400 and "SignatureCertChainUrl" in reason
    tampered = body.replace(b"LaunchRequest", b"SessionEndedRequest")
    assert refused(voice, tampered, signed_headers(pki.leaf_key, body))[0] == 401

    for seconds in (151, 600, -200):  # past and future
        old = voice.body(launch, sent_at=stale(seconds))
        status, reason = refused(voice, old, signed_headers(pki.leaf_key, old))
        assert status == 400 and "timestamp" in reason, seconds

    other_skill = VoiceSession(endpoint, pki, application_id="amzn1.ask.skill.00000000-0000-0000-0000-000000000000")
    wrong = other_skill.body(launch)
    status, reason = refused(other_skill, wrong, signed_headers(pki.leaf_key, wrong))
    assert status == 403 and "another skill" in reason

    assert voice.post_raw(body, signed_headers(pki.leaf_key, body)).status_code == 200, "the genuine request passes"
