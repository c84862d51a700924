"""The Alexa custom skill on ask-sdk-core, driving the same Rasa dialogue core as the web.

Every shopping turn goes to the dialogue core (`send_to_dialogue`, injected) as a Rasa
message built from the intent and its slots (see `voice_skill.intents`); the reply is read
out by `voice_skill.speech`. The Rasa conversation of an Alexa user is `alexa:<userId>`, so
carts and orders live server-side and survive a closed session.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.dispatch_components import (AbstractExceptionHandler, AbstractRequestHandler,
                                              AbstractRequestInterceptor, AbstractResponseInterceptor)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.dialog import ElicitSlotDirective
from ask_sdk_model.services.directive import Header, SendDirectiveRequest, SpeakDirective
from ask_sdk_model.ui import SimpleCard

from voice_skill.intents import ENTITY_VALUES, INTENT_MAP, TEXT_INTENTS, entities, rasa_message
from voice_skill.speech import Spoken, render

log = logging.getLogger(__name__)
SendToDialogue = Callable[[str, str, dict], list]

CARD_TITLE = "Omnishop"
GOODBYE = "Goodbye! Your cart is saved."
APOLOGY = "Sorry, something went wrong on my side. Your cart is safe. Please say that again."
PROGRESSIVE_AFTER_S = 1.0
PROGRESSIVE_SPEECH = "One moment while I look that up."
# Slots the interaction model's dialog can elicit (they have prompts there). When the dialogue
# core offers choices for one (the size picker), Alexa listens for that slot's type next.
ELICITED_SLOTS = {"AddToCartIntent": "size"}
OFFERED = "offered"  # session attribute: the offered choices, normalised value -> Rasa payload


def conversation_of(handler_input: HandlerInput) -> tuple[str, dict]:
    """The Rasa sender id and the metadata the dialogue core uses (account linking, device)."""
    system = handler_input.request_envelope.context.system
    user = system.user
    metadata = {"channel": "alexa", "alexa_user_id": user.user_id,
                "device_id": system.device.device_id if system.device else None}
    if user.access_token:
        metadata["access_token"] = user.access_token
    return f"alexa:{user.user_id}", metadata


def send_progressive_response(handler_input: HandlerInput) -> None:
    """Tell the shopper we are on it; best effort, the real answer follows regardless."""
    try:
        request_id = handler_input.request_envelope.request.request_id
        handler_input.service_client_factory.get_directive_service().enqueue(SendDirectiveRequest(
            header=Header(request_id=request_id), directive=SpeakDirective(speech=PROGRESSIVE_SPEECH)))
    except Exception:  # noqa: BLE001 - a missing API endpoint or token must not fail the turn
        log.warning("alexa progressive response not sent", exc_info=True)


class DialogueTurn(AbstractRequestHandler):
    """Base of the handlers answered by the dialogue core: ask it, then speak its reply."""

    def __init__(self, send: SendToDialogue):
        self.send = send

    def ask(self, handler_input: HandlerInput, message: str) -> Spoken:
        """The dialogue core's reply; a progressive response covers a call slower than a second."""
        sender, metadata = conversation_of(handler_input)
        timer = threading.Timer(PROGRESSIVE_AFTER_S, send_progressive_response, args=(handler_input,))
        timer.start()
        try:
            return render(self.send(sender, message, metadata))
        finally:
            timer.cancel()

    @staticmethod
    def respond(handler_input: HandlerInput, spoken: Spoken):
        builder = handler_input.response_builder.speak(spoken.ssml)
        if spoken.ends_session:
            builder.set_should_end_session(True)
        else:
            builder.ask(spoken.reprompt)
        if spoken.card_text:
            builder.set_card(SimpleCard(CARD_TITLE, spoken.card_text))
        return builder


class LaunchHandler(DialogueTurn):
    """"Alexa, open omni shop": the dialogue core's welcome, with a reprompt."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.pop(OFFERED, None)
        return self.respond(handler_input, self.ask(handler_input, "/greet")).response


class IntentHandler(DialogueTurn):
    """One Alexa intent (shopping or built-in) passed to the dialogue core as a Rasa message."""

    def __init__(self, send: SendToDialogue, intent_name: str):
        super().__init__(send)
        self.intent_name = intent_name

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        intent = handler_input.request_envelope.request.intent
        session = handler_input.attributes_manager.session_attributes
        offered = session.pop(OFFERED, None) or {}
        slot = ELICITED_SLOTS.get(self.intent_name)
        entity = INTENT_MAP[self.intent_name][1][slot] if slot else None
        # The answer to an elicited slot picks one of the offered choices: send its exact payload.
        chosen = offered.get(str(entities(intent).get(entity))) if entity else None
        spoken = self.ask(handler_input, chosen or rasa_message(intent))
        builder = self.respond(handler_input, spoken)
        if entity and not spoken.ends_session and spoken.offered_entity(entity):
            session[OFFERED] = {str(ENTITY_VALUES[entity](title)): payload for title, payload in spoken.options.items()}
            builder.add_directive(ElicitSlotDirective(updated_intent=intent, slot_to_elicit=slot))
        return builder.response


class StopHandler(AbstractRequestHandler):
    """Stop and Cancel end the session at once (Alexa's certification rule); the cart stays."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_intent_name("AMAZON.CancelIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak(GOODBYE).set_should_end_session(True).response


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa allows no speech here; the Rasa conversation simply waits for the next session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class ApologiseOnError(AbstractExceptionHandler):
    """A failed turn (dialogue core down, unexpected reply) apologises and keeps the session open."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("alexa turn failed", exc_info=exception)
        return handler_input.response_builder.speak(APOLOGY).ask("What would you like to do?").response


class LogRequest(AbstractRequestInterceptor):
    """Request type, intent and dialog state only: user ids and tokens stay out of the logs."""

    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        intent = getattr(request, "intent", None)
        log.info("alexa request %s %s %s", request.object_type, intent.name if intent else "",
                 getattr(request, "dialog_state", None) or "")


class LogResponse(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        directives = [d.object_type for d in (response.directives or [])] if response else []
        log.info("alexa response end_session=%s directives=%s", response.should_end_session if response else None,
                 directives)


def build_skill(send_to_dialogue: SendToDialogue) -> CustomSkill:
    """The skill; `send_to_dialogue(sender_id, message, metadata)` returns Rasa REST messages."""
    builder = CustomSkillBuilder(api_client=DefaultApiClient())  # for progressive responses
    builder.add_request_handler(LaunchHandler(send_to_dialogue))
    builder.add_request_handler(StopHandler())
    builder.add_request_handler(SessionEndedHandler())
    for intent_name in (*INTENT_MAP, *TEXT_INTENTS):
        builder.add_request_handler(IntentHandler(send_to_dialogue, intent_name))
    builder.add_exception_handler(ApologiseOnError())
    builder.add_global_request_interceptor(LogRequest())
    builder.add_global_response_interceptor(LogResponse())
    return builder.create()
