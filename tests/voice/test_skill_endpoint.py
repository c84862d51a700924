"""Real Alexa request envelopes (tests/voice/fixtures) through `POST /alexa` with verification
on: the exact Rasa message each one becomes, and what the speaker says back."""
from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_model.services import ApiClientResponse
from flask import Flask

from tests.voice.certificates import signed_headers
from voice_skill import skill as skill_module
from runtime.customer_tokens import CustomerTokens
from voice_skill.voice_code import VoiceCode, voice_code_from_settings
from runtime.settings import Settings
from web.alexa import create_alexa_blueprint

FIXTURES = Path(__file__).with_name("fixtures")
SENDER = "alexa:amzn1.ask.account.AFAKEUSERIDFORTESTS"
LINK_SECRET = b"k" * 32
PRODUCTS = [
    {"id": f"SKU-{i}", "title": title, "brand": "Rose & Finch", "price": price, "currency": "USD", "color": "black",
     "sizes_in_stock": ["10", "10.5"], "rating": 4.5, "why": f"under $100, in stock in 10.5, {4 + i / 10:.1f} stars"}
    for i, (title, price) in enumerate([("Rose & Finch <Tempo> Runner", 79.99), ("Drift Runner", 89.0),
                                        ("Glide Runner", 64.5), ("Fourth Runner", 55.0)])
]
SIZE_PICKER = [{"recipient_id": SENDER, "text": "Which size would you like?", "buttons": [
    {"title": size, "payload": f'/add_to_cart{{"product_id": "SKU-0-{size}", "size": "{size}"}}'} for size in ("10", "10.5")]}]


class FakeDialogue:
    """Stands in for the Rasa REST channel: records what was sent, answers from `replies`."""

    def __init__(self, replies: dict[str, list[dict]] | None = None):
        self.sent: list[tuple[str, str, dict]] = []
        self.replies = replies or {}
        self.failure: Exception | None = None
        self.answer_after: threading.Event | None = None  # a slow dialogue: answers once this is set

    def __call__(self, sender: str, message: str, metadata: dict) -> list[dict]:
        self.sent.append((sender, message, metadata))
        if self.answer_after is not None:
            assert self.answer_after.wait(timeout=30), "the event this dialogue answers after never came"
        if self.failure:
            raise self.failure
        intent = message.split("{")[0]
        return self.replies.get(intent, [{"recipient_id": sender, "text": f"ok {intent}"}])


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


@pytest.fixture
def dialogue() -> FakeDialogue:
    return FakeDialogue({
        "/search_product": [{"recipient_id": SENDER, "text": "Here are 4 of 12 running shoes."},
                            {"recipient_id": SENDER, "custom": {"type": "product_list", "query": {}, "products": PRODUCTS}}],
        "/add_to_cart": SIZE_PICKER,
    })


@pytest.fixture
def post_to(pki, make_verifier, dialogue):
    """`post_to(linker=None, voice_code=None)`: a poster to a fresh endpoint, with account linking
    when given a linker and a voice code when given one."""

    def endpoint(linker: CustomerTokens | None = None, voice_code: VoiceCode | None = None):
        app = Flask(__name__)
        app.register_blueprint(create_alexa_blueprint(dialogue, make_verifier(), linker, voice_code))
        client = app.test_client()

        def send(envelope: dict) -> dict:
            """Post an envelope (fresh timestamp, signed by the test leaf); return the JSON response."""
            envelope["request"]["timestamp"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            body = json.dumps(envelope).encode()
            response = client.post("/alexa", data=body, content_type="application/json",
                                   headers=signed_headers(pki.leaf_key, body))
            assert response.status_code == 200, response.get_data(as_text=True)
            return response.get_json()

        return send

    return endpoint


@pytest.fixture
def post(post_to):
    return post_to()


def test_launch_welcomes_with_a_reprompt(post, dialogue):
    response = post(fixture("launch_request"))["response"]
    sender, message, metadata = dialogue.sent[-1]
    assert (sender, message) == (SENDER, "/greet")
    assert metadata == {"channel": "alexa", "alexa_user_id": "amzn1.ask.account.AFAKEUSERIDFORTESTS",
                        "device_id": "amzn1.ask.device.AFAKEDEVICEIDFORTESTS"}
    assert response["shouldEndSession"] is False and response["reprompt"]["outputSpeech"]["ssml"]


def test_resolved_slots_become_entities_and_three_products_are_read(post, dialogue):
    response = post(fixture("search_resolved"))["response"]
    message = dialogue.sent[-1][1]
    assert message.startswith("/search_product{")
    assert json.loads(message.removeprefix("/search_product")) == {
        "category": "running shoes", "color": "blue", "size": "10.5", "price_max": 100, "brand": "Rose & Finch",
        "gender": "men"}
    speech = response["outputSpeech"]["ssml"]
    assert speech.count("The first:") + speech.count("The second:") + speech.count("The third:") == 3
    assert "Fourth Runner" not in speech, "at most three products are read out"
    assert "Rose &amp; Finch &lt;Tempo&gt; Runner, $79.99, 4.0 stars." in speech, "titles are escaped for SSML"
    assert "add the first one" in response["reprompt"]["outputSpeech"]["ssml"]
    assert "4. Fourth Runner - $55.00" in response["card"]["content"], "the card lists every product"


def test_unresolved_slots_are_sent_as_heard_and_empty_ones_left_out(post, dialogue):
    post(fixture("search_unresolved"))
    assert dialogue.sent[-1][1] == '/search_product{"category": "wetsuits", "color": "blue", "size": "9.5"}'


def test_size_question_elicits_the_size_slot(post, dialogue):
    response = post(fixture("add_to_cart_started"))
    assert dialogue.sent[-1][1] == '/add_to_cart{"ordinal": 1}'
    directive = response["response"]["directives"][0]
    assert directive["type"] == "Dialog.ElicitSlot" and directive["slotToElicit"] == "size"
    assert directive["updatedIntent"]["slots"]["ordinal"]["value"] == "first"
    assert "Which size would you like? You can say 10 or 10.5." in response["response"]["outputSpeech"]["ssml"]
    assert response["sessionAttributes"]["offered"]["10.5"] == SIZE_PICKER[0]["buttons"][1]["payload"]


def test_elicited_size_sends_the_offered_choice(post, dialogue):
    dialogue.replies["/add_to_cart"] = [{"recipient_id": SENDER, "text": "Added to your cart."}]
    response = post(fixture("add_to_cart_in_progress"))
    assert dialogue.sent[-1][1] == '/add_to_cart{"product_id": "SKU-0-105", "size": "10.5"}'
    assert "directives" not in response["response"] and "offered" not in response.get("sessionAttributes", {})


def test_add_to_cart_without_an_offer_is_built_from_slots(post, dialogue):
    envelope = fixture("add_to_cart_in_progress")
    envelope["session"]["attributes"] = {}
    post(envelope)
    assert json.loads(dialogue.sent[-1][1].removeprefix("/add_to_cart")) == {"ordinal": 1, "size": "10.5"}


def linked(envelope: dict, token: str) -> dict:
    envelope["context"]["System"]["user"]["accessToken"] = envelope["session"]["user"]["accessToken"] = token
    return envelope


def test_a_linked_account_shops_as_the_web_customer_and_the_token_stays_here(post_to, dialogue):
    linker = CustomerTokens(LINK_SECRET)
    post_to(linker)(linked(fixture("yes_intent"), linker.mint("cust-42", 600)))
    sender, message, metadata = dialogue.sent[-1]
    assert (sender, message) == (SENDER, "/affirm")
    assert metadata["customer_id"] == "cust-42" and "access_token" not in metadata


def test_without_account_linking_a_token_is_ignored(post, dialogue):
    post(linked(fixture("yes_intent"), "some-oauth-token"))
    assert "customer_id" not in dialogue.sent[-1][2] and "access_token" not in dialogue.sent[-1][2]


@pytest.mark.parametrize("token", [None, "forged"])
def test_unlinked_checkout_asks_to_link_without_asking_the_dialogue(post_to, dialogue, token):
    envelope = fixture("yes_intent")
    envelope["request"]["intent"]["name"] = "CheckoutIntent"
    if token:
        linked(envelope, CustomerTokens(b"f" * 32).mint("cust-42", 600))
    response = post_to(CustomerTokens(LINK_SECRET))(envelope)["response"]
    assert response["card"] == {"type": "LinkAccount"} and "link your Omnishop account" in response["outputSpeech"]["ssml"]
    assert response["shouldEndSession"] is False and response["reprompt"]
    assert dialogue.sent == []


def test_linked_checkout_goes_to_the_dialogue(post_to, dialogue):
    linker = CustomerTokens(LINK_SECRET)
    envelope = linked(fixture("yes_intent"), linker.mint("cust-42", 600))
    envelope["request"]["intent"]["name"] = "CheckoutIntent"
    post_to(linker)(envelope)
    assert dialogue.sent[-1][1:] == ("/checkout", {**dialogue.sent[-1][2], "customer_id": "cust-42"})


def test_a_retried_request_is_answered_again_without_a_second_turn(post, dialogue):
    dialogue.replies["/affirm"] = [{"recipient_id": SENDER, "text": "Order OS-1 is placed."}]
    first = post(fixture("yes_intent"))
    dialogue.replies["/affirm"] = [{"recipient_id": SENDER, "text": "There's no order waiting for confirmation."}]
    assert post(fixture("yes_intent")) == first, "same request id: the first answer again"
    assert len(dialogue.sent) == 1
    envelope = fixture("yes_intent")
    envelope["request"]["requestId"] += "-next"
    assert "no order waiting" in post(envelope)["response"]["outputSpeech"]["ssml"], "a new request is a new turn"


@pytest.mark.parametrize("alexa_intent, rasa_message", [
    ("AMAZON.NoIntent", "/deny"), ("AMAZON.HelpIntent", "/help"), ("AMAZON.FallbackIntent", "/out_of_scope"),
    ("AMAZON.NavigateHomeIntent", "/greet"), ("CheckoutIntent", "/checkout"), ("ShowMoreIntent", "/show_more"),
    ("ViewCartIntent", "/view_cart"), ("OrderStatusIntent", "/order_status"), ("CancelOrderIntent", "/cancel_order"),
    ("CheaperIntent", '/refine_search{"price_direction": "lower"}'),
])
def test_slotless_intents(post, dialogue, alexa_intent, rasa_message):
    envelope = fixture("yes_intent")
    envelope["request"]["intent"]["name"] = alexa_intent
    assert post(envelope)["response"]["shouldEndSession"] is False
    assert dialogue.sent[-1][1] == rasa_message


@pytest.mark.parametrize("intent_name, slots, rasa_message", [
    ("ProductDetailsIntent", {"ordinal": "second"}, '/product_details{"ordinal": 2}'),
    ("ReorderIntent", {"item": "trail socks"}, '/reorder{"item": "trail socks"}'),
    ("AddToCartIntent", {"ordinal": "last", "quantity": "2"}, '/add_to_cart{"ordinal": -1, "quantity": 2}'),
    ("RefineSearchIntent", {"budget": "seventy five"}, '/refine_search{"price_max": 75}'),
])
def test_slots_of_other_intents(post, dialogue, intent_name, slots, rasa_message):
    dialogue.replies.clear()
    envelope = fixture("yes_intent")
    envelope["request"]["intent"] = {"name": intent_name, "confirmationStatus": "NONE", "slots": {
        name: {"name": name, "value": value, "confirmationStatus": "NONE"} for name, value in slots.items()}}
    post(envelope)
    assert dialogue.sent[-1][1] == rasa_message


def test_bot_goodbye_ends_the_session(post, dialogue):
    dialogue.replies["/deny"] = [{"recipient_id": SENDER, "text": "Thanks for shopping with us. Bye for now!"}]
    envelope = fixture("yes_intent")
    envelope["request"]["intent"]["name"] = "AMAZON.NoIntent"
    response = post(envelope)["response"]
    assert response["shouldEndSession"] is True and "reprompt" not in response


@pytest.mark.parametrize("intent_name", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_the_session_without_the_dialogue(post, dialogue, intent_name):
    envelope = fixture("yes_intent")
    envelope["request"]["intent"]["name"] = intent_name
    response = post(envelope)["response"]
    assert response["shouldEndSession"] is True and "Goodbye" in response["outputSpeech"]["ssml"]
    assert dialogue.sent == []


def test_session_end_is_silent(post, dialogue):
    response = post(fixture("session_ended"))["response"]
    assert "outputSpeech" not in response and dialogue.sent == []


def test_failed_dialogue_call_apologises_and_keeps_the_session_open(post, dialogue, caplog):
    dialogue.failure = ConnectionError("rasa is down")
    caplog.set_level(logging.ERROR)
    response = post(fixture("yes_intent"))["response"]
    assert "Sorry, something went wrong" in response["outputSpeech"]["ssml"]
    assert response["shouldEndSession"] is False and response["reprompt"]
    assert "alexa turn failed" in caplog.text


def test_forged_request_is_refused_before_the_dialogue_sees_it(make_verifier, dialogue):
    app = Flask(__name__)
    app.register_blueprint(create_alexa_blueprint(dialogue, make_verifier()))
    envelope = fixture("yes_intent")
    envelope["request"]["timestamp"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = app.test_client().post("/alexa", data=json.dumps(envelope), headers={
        "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/echo-api-cert.pem", "Signature-256": "Zm9yZ2Vk"})
    assert response.status_code == 401 and "signature" in response.get_json()["error"]
    assert dialogue.sent == []


@pytest.mark.parametrize("body", [b"{not json", b"\xff", b"{}", b'{"version": "1.0", "request": 5}'])
def test_without_verification_malformed_bodies_are_400(dialogue, body):
    app = Flask(__name__)
    app.register_blueprint(create_alexa_blueprint(dialogue, None))
    response = app.test_client().post("/alexa", data=body, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]


def test_slow_dialogue_gets_a_progressive_response(post, dialogue, monkeypatch):
    sent, progressive_sent = [], threading.Event()

    def directive_service(self, request):
        sent.append((request.url, request.body))
        progressive_sent.set()
        return ApiClientResponse(status_code=204, headers=[])

    monkeypatch.setattr(DefaultApiClient, "invoke", directive_service)
    monkeypatch.setattr(skill_module, "PROGRESSIVE_AFTER_S", 0.01)
    dialogue.replies["/affirm"] = [{"recipient_id": SENDER, "text": "Done."}]
    # Slower than PROGRESSIVE_AFTER_S however busy the machine: the dialogue answers only once
    # the progressive response has gone out (or fails after 30 s if it never does).
    dialogue.answer_after = progressive_sent
    assert "Done." in post(fixture("yes_intent"))["response"]["outputSpeech"]["ssml"]
    url, body = sent[0]
    assert url == "https://api.amazonalexa.com/v1/directives"
    assert body["directive"]["type"] == "VoicePlayer.Speak" and body["header"]["requestId"]


def said(intent_name: str, code: str | None = None, request_id: str = "") -> dict:
    envelope = fixture("yes_intent")
    envelope["request"]["requestId"] += request_id or intent_name + (code or "")
    envelope["request"]["intent"] = {"name": intent_name, "confirmationStatus": "NONE", "slots": {} if code is None else
                                     {"code": {"name": "code", "value": code, "confirmationStatus": "NONE"}}}
    return envelope


class SpeakerSession:
    """Posts turns of one session, carrying the session attributes as Alexa does."""

    def __init__(self, post):
        self.post, self.attributes = post, {}

    def __call__(self, envelope: dict) -> str:
        envelope["session"]["attributes"] = self.attributes
        answer = self.post(envelope)
        self.attributes = answer.get("sessionAttributes") or {}
        return answer["response"]["outputSpeech"]["ssml"]


def test_with_a_voice_code_yes_asks_for_it_and_only_the_right_code_confirms(post_to, dialogue):
    speaker = SpeakerSession(post_to(voice_code=VoiceCode("4271")))
    assert "say your four digit voice code" in speaker(said("AMAZON.YesIntent"))
    assert dialogue.sent == [], "a yes alone sends nothing"
    assert "isn't right" in speaker(said("VoiceCodeIntent", "1234")) and dialogue.sent == []
    assert "say your four digit voice code" in speaker(said("AMAZON.YesIntent", request_id="yes-again"))
    assert speaker.attributes == {"voice_code_attempts": 1}, "saying yes again does not reset the count"
    speaker(said("VoiceCodeIntent", "4271"))
    assert [m for _, m, _ in dialogue.sent] == ["/affirm"]


def test_three_wrong_codes_decline_the_order(post_to, dialogue):
    dialogue.replies["/deny"] = [{"recipient_id": SENDER, "text": "OK, I haven't placed the order. Your cart is saved."}]
    speaker = SpeakerSession(post_to(voice_code=VoiceCode("4271")))
    speaker(said("AMAZON.YesIntent"))
    assert "again" in speaker(said("VoiceCodeIntent", "0000"))
    assert "again" in speaker(said("VoiceCodeIntent", "1111"))
    last = speaker(said("VoiceCodeIntent", "2222"))
    assert last == "<speak>That code isn't right. OK, I haven't placed the order. Your cart is saved.</speak>"
    assert [m for _, m, _ in dialogue.sent] == ["/deny"]


def test_another_answer_drops_the_code_question(post_to, dialogue):
    speaker = SpeakerSession(post_to(voice_code=VoiceCode("4271")))
    speaker(said("AMAZON.YesIntent"))
    speaker(said("ViewCartIntent"))
    speaker(said("VoiceCodeIntent", "4271"))
    assert [m for _, m, _ in dialogue.sent] == ["/view_cart", "/out_of_scope"], "a code nobody asked for confirms nothing"


def test_without_a_voice_code_yes_confirms_at_once(post, dialogue):
    post(said("AMAZON.YesIntent"))
    post(said("VoiceCodeIntent", "4271"))
    assert [m for _, m, _ in dialogue.sent] == ["/affirm", "/out_of_scope"]


@pytest.mark.parametrize("code", ["123", "12345", "abcd", "12 4"])
def test_a_voice_code_must_be_four_digits(code):
    with pytest.raises(ValueError, match="four digits"):
        voice_code_from_settings(Settings.from_env({"OMNISHOP_ALEXA_VOICE_CODE": code}).voice)
    assert voice_code_from_settings(Settings.from_env({}).voice) is None
