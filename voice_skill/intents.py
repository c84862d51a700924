"""Alexa intents and slots -> Rasa messages.

Alexa has already understood the shopper, so a request becomes a Rasa intent message with
entities (`/search_product{"category": "running shoes", "size": "10.5", "price_max": 100}`)
that Rasa takes as is, instead of text for Rasa's NLU to parse a second time. Slot values
are normalised with the same functions the NLU uses on typed text, so a spoken "navy" and a
typed "navy" reach the dialogue core as the same colour.
"""
from __future__ import annotations

from typing import Callable

from ask_sdk_model import Intent, Slot
from ask_sdk_model.slu.entityresolution import StatusCode

from contract.payloads import intent_message
from nlu.constraints import ORDINALS
from nlu.normalize import GENDER_PHRASES, normalize_color, normalize_size, words_to_number

# Alexa intent -> (Rasa intent, {Alexa slot: Rasa entity})
INTENT_MAP: dict[str, tuple[str, dict[str, str]]] = {
    "SearchProductIntent": ("search_product", {"category": "category", "color": "color", "size": "size",
                                               "budget": "price_max", "brand": "brand", "gender": "gender"}),
    "RefineSearchIntent": ("refine_search", {"color": "color", "size": "size", "budget": "price_max",
                                             "brand": "brand"}),
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
# Alexa intents that carry a fixed entity rather than slots: Alexa intent -> (Rasa intent, entities).
# "Cheaper" is a refinement below the cheapest price shown, as the NLU reads it from typed text.
FIXED_INTENTS: dict[str, tuple[str, dict]] = {"CheaperIntent": ("refine_search", {"price_direction": "lower"})}



def _number(text: str) -> int | float | None:
    number = words_to_number(text)
    return None if number is None else (int(number) if number.is_integer() else number)


def _ordinal(text: str) -> int | None:
    word = text.lower().removesuffix(" one").strip()
    return ORDINALS.get(word) or (int(word) if word.isdigit() else None)


# Rasa entity -> normaliser of a resolved or heard value (None drops the entity)
ENTITY_VALUES: dict[str, Callable[[str], object]] = {
    "category": str.lower,
    "brand": str,  # the catalog's own spelling, as entity resolution returns it
    "color": lambda text: normalize_color(text) or text.lower(),
    "size": lambda text: normalize_size(text) or text,
    "gender": lambda text: GENDER_PHRASES.get(text.lower(), text.lower()),
    "price_max": _number,
    "quantity": _number,
    "ordinal": _ordinal,
    "item": str,
}


def slot_value(slot: Slot | None) -> str | None:
    """The canonical value when entity resolution matched one, else what was heard."""
    if slot is None or not slot.value:
        return None
    for authority in (slot.resolutions.resolutions_per_authority if slot.resolutions else None) or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            return authority.values[0].value.name
    return slot.value


def entities(intent: Intent) -> dict:
    """The filled slots of `intent` as Rasa entities, normalised; empty slots are left out."""
    _, slot_entities = INTENT_MAP[intent.name]
    found = {}
    for slot_name, entity in slot_entities.items():
        raw = slot_value((intent.slots or {}).get(slot_name))
        value = ENTITY_VALUES[entity](raw.strip()) if raw and raw.strip() else None
        if value not in (None, ""):
            found[entity] = value
    return found


def rasa_message(intent: Intent) -> str:
    """The intent message for Rasa: `/intent` with the intent's entities, never text to parse."""
    if intent.name in FIXED_INTENTS:
        rasa_intent, fixed = FIXED_INTENTS[intent.name]
        return intent_message(rasa_intent, **fixed)
    rasa_intent, _ = INTENT_MAP[intent.name]
    return intent_message(rasa_intent, **entities(intent))
