"""Alexa request envelopes through `POST /alexa` (verification on, with local certificates):
what reaches the dialogue core, and what the speaker says back."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from flask import Flask

from tests.voice.certificates import AlexaPki, pem, sign
from voice_skill.verification import AlexaRequestVerifier
from web.alexa import create_alexa_blueprint

SKILL_ID = "amzn1.ask.skill.omnishop-test"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
PRODUCTS = [
    {"id": f"SKU-{i}", "group_id": f"G-{i}", "title": title, "brand": "Rose & Finch", "price": price, "currency": "USD",
     "color": "black", "sizes_in_stock": ["10"], "rating": 4.5, "why": f"under $100, in stock in 10, {4 + i / 10:.1f} stars"}
    for i, (title, price) in enumerate([("Rose & Finch <Tempo> Runner", 79.99), ("Drift Runner", 89.0),
                                        ("Glide Runner", 64.5), ("Fourth Runner", 55.0)])
]


class FakeDialogue:
    def __init__(self):
        self.sent: list[tuple[str, str, dict]] = []

    def __call__(self, sender, message, metadata):
        self.sent.append((sender, message, metadata))
        if message.startswith("/search_product"):
            return [{"recipient_id": sender, "text": "Here are 4 of 12 running shoes."},
                    {"recipient_id": sender, "custom": {"type": "product_list", "query": {}, "products": PRODUCTS}}]
        return [{"recipient_id": sender, "text": f"ok {message}"}]


@pytest.fixture(scope="module")
def pki():
    return AlexaPki.create()


@pytest.fixture
def endpoint(pki):
    dialogue = FakeDialogue()
    verifier = AlexaRequestVerifier(frozenset({SKILL_ID}), trusted_roots=[pki.root], fetch=lambda url: pem(pki.leaf))
    app = Flask(__name__)
    app.register_blueprint(create_alexa_blueprint(dialogue, verifier))
    client = app.test_client()

    def post(request: dict, session_new: bool = False, access_token: str | None = None):
        user = {"userId": "amzn1.ask.account.ABC", **({"accessToken": access_token} if access_token else {})}
        body = json.dumps({
            "version": "1.0",
            "session": {"new": session_new, "sessionId": "amzn1.echo-api.session.1",
                        "application": {"applicationId": SKILL_ID}, "user": user},
            "context": {"System": {"application": {"applicationId": SKILL_ID}, "user": user,
                                   "device": {"deviceId": "device-1", "supportedInterfaces": {}}}},
            "request": {"requestId": "amzn1.echo-api.request.1", "locale": "en-US",
                        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), **request},
        }).encode()
        return client.post("/alexa", data=body, content_type="application/json",
                           headers={"SignatureCertChainUrl": CERT_URL, "Signature-256": sign(pki.leaf_key, body)})

    return post, dialogue


def slot(name, value, resolved=None):
    data = {"name": name, "value": value, "confirmationStatus": "NONE"}
    if resolved:
        data["resolutions"] = {"resolutionsPerAuthority": [{
            "authority": "amzn1.er-authority.echo-sdk.skill.CATEGORY", "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": resolved, "id": resolved}}]}]}
    return data


def intent(name, *slots, dialog_state=None):
    request = {"type": "IntentRequest", "intent": {"name": name, "confirmationStatus": "NONE",
                                                     "slots": {s["name"]: s for s in slots}}}
    if dialog_state:
        request["dialogState"] = dialog_state
    return request


def test_launch_greets_and_keeps_the_session_open(endpoint):
    post, dialogue = endpoint
    response = post({"type": "LaunchRequest"}, session_new=True)
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert dialogue.sent[0][:2] == ("alexa:amzn1.ask.account.ABC", "/greet")
    assert body["shouldEndSession"] is False and body["reprompt"]["outputSpeech"]["ssml"]


def test_resolved_slots_become_entities_not_text(endpoint):
    post, dialogue = endpoint
    response = post(intent("SearchProductIntent", slot("category", "runners", resolved="running shoes"),
                           slot("size", "ten and a half"), slot("budget", "100"), slot("color", "navy"),
                           slot("gender", "mens")))
    message = dialogue.sent[-1][1]
    assert message.startswith("/search_product")
    assert json.loads(message.removeprefix("/search_product")) == {
        "category": "running shoes", "size": "10.5", "price_max": 100, "color": "blue", "gender": "men"}
    speech = response.get_json()["response"]["outputSpeech"]["ssml"]
    assert speech.count("The ") >= 3 and "Fourth Runner" not in speech, "at most three products read out"
    assert "Rose &amp; Finch &lt;Tempo&gt; Runner" in speech, "titles are escaped for SSML"
    assert "$79.99" in speech
    card = response.get_json()["response"]["card"]["content"]
    assert "Fourth Runner" in card, "the card lists every product for screen devices"


def test_unresolved_and_missing_slots_are_left_out(endpoint):
    post, dialogue = endpoint
    post(intent("SearchProductIntent", slot("category", "wetsuits"), {"name": "size", "confirmationStatus": "NONE"},
                dialog_state="STARTED"))
    assert dialogue.sent[-1][1] == '/search_product{"category": "wetsuits"}'


def test_dialog_in_progress_add_to_cart_with_ordinal(endpoint):
    post, dialogue = endpoint
    post(intent("AddToCartIntent", slot("ordinal", "second"), slot("size", "nine point five"),
                dialog_state="IN_PROGRESS"))
    assert json.loads(dialogue.sent[-1][1].removeprefix("/add_to_cart")) == {"ordinal": 2, "size": "9.5"}


@pytest.mark.parametrize("alexa_intent, rasa_message", [
    ("AMAZON.YesIntent", "/affirm"), ("AMAZON.NoIntent", "/deny"), ("AMAZON.HelpIntent", "/help"),
    ("AMAZON.FallbackIntent", "/out_of_scope"), ("CheckoutIntent", "/checkout"), ("ShowMoreIntent", "/show_more"),
    ("OrderStatusIntent", "/order_status"), ("CheaperIntent", "cheaper"),
])
def test_built_in_and_simple_intents(endpoint, alexa_intent, rasa_message):
    post, dialogue = endpoint
    assert post(intent(alexa_intent)).status_code == 200
    assert dialogue.sent[-1][1] == rasa_message


def test_account_linking_token_is_passed_to_the_dialogue(endpoint):
    post, dialogue = endpoint
    post(intent("ViewCartIntent"), access_token="token-123")
    assert dialogue.sent[-1][2]["access_token"] == "token-123"
    assert dialogue.sent[-1][2]["channel"] == "alexa"


def test_stop_ends_the_session_and_session_end_is_silent(endpoint):
    post, dialogue = endpoint
    stop = post(intent("AMAZON.StopIntent")).get_json()["response"]
    assert stop["shouldEndSession"] is True
    ended = post({"type": "SessionEndedRequest", "reason": "USER_INITIATED"})
    assert ended.status_code == 200 and "outputSpeech" not in ended.get_json()["response"]
    assert dialogue.sent == []


def test_forged_request_is_refused_before_the_dialogue_sees_it(pki):
    dialogue = FakeDialogue()
    app = Flask(__name__)
    app.register_blueprint(create_alexa_blueprint(dialogue, AlexaRequestVerifier(
        frozenset({SKILL_ID}), trusted_roots=[pki.root], fetch=lambda url: pem(pki.leaf))))
    body = json.dumps({"version": "1.0", "context": {"System": {"application": {"applicationId": SKILL_ID},
                                                                "user": {"userId": "u"}}},
                       "request": {"type": "IntentRequest", "requestId": "r", "locale": "en-US",
                                   "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                   "intent": {"name": "CheckoutIntent"}}}).encode()
    response = app.test_client().post("/alexa", data=body,
                                      headers={"SignatureCertChainUrl": CERT_URL, "Signature-256": "Zm9yZ2Vk"})
    assert response.status_code == 401 and "signature" in response.get_json()["error"]
    assert dialogue.sent == []
