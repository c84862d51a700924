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
from ask_sdk_model.ui import LinkAccountCard, SimpleCard

from runtime.customer_tokens import CustomerTokens
from voice_skill.intents import ENTITY_VALUES, INTENT_MAP, FIXED_INTENTS, entities, rasa_message
from contract.money import ShopMoney
from voice_skill.speech import Spoken, render, speakable_replies
from voice_skill.voice_code import MAX_ATTEMPTS, VoiceCode

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
CUSTOMER_ID = "customer_id"  # request attribute: the linked customer, set by ResolveLinkedAccount
LINK_ACCOUNT_SPEECH = ("To place orders by voice, link your Omnishop account: I've sent a card to your Alexa app. "
                       "Your cart is saved. What else can I help you find?")
LINK_ACCOUNT_REPROMPT = "What else can I help you find?"
CODE_ATTEMPTS = "voice_code_attempts"  # session attribute: wrong codes so far, while a code is awaited
VOICE_CODE_PROMPT = "For your security, please say your four digit voice code."
WRONG_CODE_AGAIN = "That code isn't right. Please say your four digit voice code again."
WRONG_CODE_FINAL = "That code isn't right."


def conversation_of(handler_input: HandlerInput) -> tuple[str, dict]:
    """The Rasa sender id and the metadata the dialogue core uses (linked customer, device).

    A linked account adds `customer_id`, exactly as the web passes its login cookie, so the
    dialogue core keeps that customer's cart and orders. The access token itself is never
    passed on: the dialogue core stores metadata with the conversation.
    """
    system = handler_input.request_envelope.context.system
    user = system.user
    metadata = {"channel": "alexa", "alexa_user_id": user.user_id,
                "device_id": system.device.device_id if system.device else None}
    customer_id = handler_input.attributes_manager.request_attributes.get(CUSTOMER_ID)
    if customer_id:
        metadata["customer_id"] = customer_id
    return f"alexa:{user.user_id}", metadata


def send_progressive_response(handler_input: HandlerInput) -> None:
    """Tell the shopper we are on it; best effort, the real answer follows regardless."""
    try:
        request_id = handler_input.request_envelope.request.request_id
        handler_input.service_client_factory.get_directive_service().enqueue(SendDirectiveRequest(
            header=Header(request_id=request_id), directive=SpeakDirective(speech=PROGRESSIVE_SPEECH)))
    except Exception as exc:  # noqa: BLE001 - a missing API endpoint or token must not fail the turn
        log.warning("alexa progressive response not sent: %s", str(exc)[:200])


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
        session.pop(CODE_ATTEMPTS, None)  # any other answer drops a pending voice code question
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


class LinkAccountFirst(AbstractRequestHandler):
    """With account linking set up, checkout needs a linked account: an order must reach a
    customer the retailer can bill and ship to. Certification expects the skill then to say
    so and send a LinkAccount card, not to fail; shopping itself stays open to everyone."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckoutIntent")(handler_input) and \
            not handler_input.attributes_manager.request_attributes.get(CUSTOMER_ID)

    def handle(self, handler_input: HandlerInput) -> Response:
        return (handler_input.response_builder.speak(LINK_ACCOUNT_SPEECH).ask(LINK_ACCOUNT_REPROMPT)
                .set_card(LinkAccountCard()).response)


class AskVoiceCode(AbstractRequestHandler):
    """With a voice code set, a "yes" (the only way to confirm an order) asks for the code first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        handler_input.attributes_manager.session_attributes.setdefault(CODE_ATTEMPTS, 0)
        return handler_input.response_builder.speak(VOICE_CODE_PROMPT).ask(VOICE_CODE_PROMPT).response


class VoiceCodeHandler(DialogueTurn):
    """The spoken code: the right one confirms ("yes" to the dialogue core); after three wrong
    ones the order is declined ("no"). A code nobody asked for is out of scope."""

    def __init__(self, send: SendToDialogue, voice_code: VoiceCode | None):
        super().__init__(send)
        self.voice_code = voice_code

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("VoiceCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        session = handler_input.attributes_manager.session_attributes
        attempts = session.pop(CODE_ATTEMPTS, None)
        if self.voice_code is None or attempts is None:
            return self.respond(handler_input, self.ask(handler_input, "/out_of_scope")).response
        slot = (handler_input.request_envelope.request.intent.slots or {}).get("code")
        if self.voice_code.matches(slot.value if slot else None):
            return self.respond(handler_input, self.ask(handler_input, "/affirm")).response
        if attempts + 1 < MAX_ATTEMPTS:
            session[CODE_ATTEMPTS] = attempts + 1
            return handler_input.response_builder.speak(WRONG_CODE_AGAIN).ask(WRONG_CODE_AGAIN).response
        declined = self.ask(handler_input, "/deny")
        declined.ssml = declined.ssml.replace("<speak>", f"<speak>{WRONG_CODE_FINAL} ", 1)
        return self.respond(handler_input, declined).response


class ResolveLinkedAccount(AbstractRequestInterceptor):
    """Maps the access token to the web customer it was issued for, once per request."""

    def __init__(self, linker: CustomerTokens):
        self.linker = linker

    def process(self, handler_input: HandlerInput) -> None:
        token = handler_input.request_envelope.context.system.user.access_token
        customer_id = self.linker.customer_id(token)
        if customer_id:
            handler_input.attributes_manager.request_attributes[CUSTOMER_ID] = customer_id


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


def build_skill(send_to_dialogue: SendToDialogue, linker: CustomerTokens | None = None,
                voice_code: VoiceCode | None = None, shop_money: Callable[[], ShopMoney | None] | None = None
                ) -> CustomSkill:
    """The skill; `send_to_dialogue(sender_id, message, metadata)` returns Rasa REST messages.
    With `shop_money` (the live shop's currency and locale), the amounts in those replies are
    said as a speaker says them ("2,000 rupees", not "₹2,000").

    With a `linker` (account linking set up), a linked shopper is the web customer their token
    names, and checkout asks unlinked shoppers to link; without one, everyone shops and
    orders under their Alexa user id. With a `voice_code`, an order needs the code after "yes".
    """
    if shop_money is not None:
        send_to_dialogue = _speaking_amounts(send_to_dialogue, shop_money)
    builder = CustomSkillBuilder(api_client=DefaultApiClient())  # for progressive responses
    if linker is not None:
        builder.add_global_request_interceptor(ResolveLinkedAccount(linker))
        builder.add_request_handler(LinkAccountFirst())
    if voice_code is not None:
        builder.add_request_handler(AskVoiceCode())
    builder.add_request_handler(VoiceCodeHandler(send_to_dialogue, voice_code))
    builder.add_request_handler(LaunchHandler(send_to_dialogue))
    builder.add_request_handler(StopHandler())
    builder.add_request_handler(SessionEndedHandler())
    for intent_name in (*INTENT_MAP, *FIXED_INTENTS):
        builder.add_request_handler(IntentHandler(send_to_dialogue, intent_name))
    builder.add_exception_handler(ApologiseOnError())
    builder.add_global_request_interceptor(LogRequest())
    builder.add_global_response_interceptor(LogResponse())
    return builder.create()


def _speaking_amounts(send: SendToDialogue, shop_money: Callable[[], ShopMoney | None]) -> SendToDialogue:
    def send_and_speak(sender: str, message: str, metadata: dict) -> list:
        return speakable_replies(send(sender, message, metadata), shop_money())
    return send_and_speak
