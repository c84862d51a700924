"""The Alexa custom skill on ask-sdk-core, driving the same Rasa dialogue core as the web.

Alexa has already understood the shopper (intent and slots, with entity resolution), so
each request becomes a Rasa intent message with entities, e.g.
`/search_product{"category": "running shoes", "size": "10.5", "price_max": 100}`, rather
than text to be parsed again. The Rasa conversation of an Alexa user is `alexa:<userId>`.
"""
from __future__ import annotations

import json
import logging
from typing import Callable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SimpleCard

from nlu.normalize import GENDER_PHRASES, normalize_color, normalize_size, words_to_number
from voice_skill.speech import render

log = logging.getLogger(__name__)
SendToDialogue = Callable[[str, str, dict], list]

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1, "1st": 1, "2nd": 2, "3rd": 3}
# Alexa intent -> (Rasa intent, {Alexa slot: Rasa entity})
INTENT_MAP: dict[str, tuple[str, dict[str, str]]] = {
    "SearchProductIntent": ("search_product", {"category": "category", "color": "color", "size": "size",
                                               "budget": "price_max", "brand": "brand", "gender": "gender"}),
    "RefineSearchIntent": ("refine_search", {"color": "color", "size": "size", "budget": "price_max"}),
    "ShowMoreIntent": ("show_more", {}),
    "ProductDetailsIntent": ("product_details", {"ordinal": "ordinal"}),
    "AddToCartIntent": ("add_to_cart", {"ordinal": "ordinal", "size": "size", "quantity": "quantity"}),
    "RemoveFromCartIntent": ("remove_from_cart", {"ordinal": "ordinal"}),
    "ViewCartIntent": ("view_cart", {}),
    "CheckoutIntent": ("checkout", {}),
    "OrderStatusIntent": ("order_status", {}),
    "CancelOrderIntent": ("cancel_order", {}),
    "ReorderIntent": ("reorder", {"item": "item"}),
    "AMAZON.YesIntent": ("affirm", {}),
    "AMAZON.NoIntent": ("deny", {}),
    "AMAZON.HelpIntent": ("help", {}),
    "AMAZON.FallbackIntent": ("out_of_scope", {}),
    "AMAZON.NavigateHomeIntent": ("greet", {}),
}
STOP_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent")
CHEAPER_INTENT = "CheaperIntent"  # no slots: the dialogue core refines "cheaper" from the text


def slot_value(handler_input: HandlerInput, name: str) -> str | None:
    """The resolved canonical value when Alexa matched one, else what was heard."""
    slot = get_slot(handler_input, name)
    if slot is None or not slot.value:
        return None
    resolutions = getattr(slot, "resolutions", None)
    for authority in (resolutions.resolutions_per_authority if resolutions else None) or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.name
    return slot.value


def entity_value(entity: str, raw: str):
    """Normalise a slot value the way the NLU normalises typed text."""
    text = raw.strip().lower()
    if entity == "size":
        return normalize_size(text) or raw
    if entity == "color":
        return normalize_color(text) or text
    if entity == "gender":
        return GENDER_PHRASES.get(text, text)
    if entity in ("price_max", "quantity"):
        number = words_to_number(text)
        return None if number is None else (int(number) if number.is_integer() else number)
    if entity == "ordinal":
        return ORDINALS.get(text) or (int(text) if text.isdigit() else None)
    return text


def rasa_message(handler_input: HandlerInput, intent_name: str) -> str:
    rasa_intent, slots = INTENT_MAP[intent_name]
    entities = {}
    for slot, entity in slots.items():
        raw = slot_value(handler_input, slot)
        value = entity_value(entity, raw) if raw else None
        if value is not None:
            entities[entity] = value
    return f"/{rasa_intent}{json.dumps(entities)}" if entities else f"/{rasa_intent}"


def conversation_of(handler_input: HandlerInput) -> tuple[str, dict]:
    system = handler_input.request_envelope.context.system
    user = system.user
    metadata = {"channel": "alexa", "alexa_user_id": user.user_id,
                "device_id": system.device.device_id if system.device else None}
    if user.access_token:
        metadata["access_token"] = user.access_token
    return f"alexa:{user.user_id}", metadata


class DialogueHandler(AbstractRequestHandler):
    """Every request the dialogue core answers: launch, the shopping intents, the built-ins."""

    def __init__(self, send: SendToDialogue):
        self.send = send

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input) or any(
            is_intent_name(name)(handler_input) for name in (*INTENT_MAP, CHEAPER_INTENT))

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_request_type("LaunchRequest")(handler_input):
            message = "/greet"
        elif is_intent_name(CHEAPER_INTENT)(handler_input):
            message = "cheaper"
        else:
            message = rasa_message(handler_input, handler_input.request_envelope.request.intent.name)
        sender, metadata = conversation_of(handler_input)
        spoken = render(self.send(sender, message, metadata))
        builder = handler_input.response_builder.speak(spoken.ssml).ask(spoken.reprompt)
        if spoken.card_text:
            builder.set_card(SimpleCard(spoken.card_title, spoken.card_text))
        return builder.response


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(name)(handler_input) for name in STOP_INTENTS)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Goodbye! Your cart is saved.").set_should_end_session(True).response


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class ApologiseOnError(AbstractExceptionHandler):
    """A failed turn keeps the session open and loses nothing: carts and orders live server-side."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("alexa turn failed", exc_info=exception)
        speech = "Sorry, something went wrong on my side. Your cart is safe. Please say that again."
        return handler_input.response_builder.speak(speech).ask("What would you like to do?").response


class LogRequest(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        log.info("alexa %s %s", request.object_type, getattr(getattr(request, "intent", None), "name", ""))


def build_skill(send_to_dialogue: SendToDialogue) -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(StopHandler())
    builder.add_request_handler(SessionEndedHandler())
    builder.add_request_handler(DialogueHandler(send_to_dialogue))
    builder.add_exception_handler(ApologiseOnError())
    builder.add_global_request_interceptor(LogRequest())
    return builder.create()
