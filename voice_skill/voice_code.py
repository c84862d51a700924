"""An optional spoken voice code before an order is placed (off by default).

A speaker answers anyone in the room, so a retailer may want more than "yes" before an order
is placed: with `OMNISHOP_ALEXA_VOICE_CODE` set to four digits, every "yes" is answered with
a request for the code, and only the right code sends the "yes" on to the dialogue core.
Four digits because that is what Alexa's `AMAZON.FOUR_DIGIT_NUMBER` slot hears reliably.
One code per deployment (a store or household account); per-customer codes would come from
the retailer's account system.
"""
from __future__ import annotations

import hmac

from runtime.settings import VoiceSettings

CODE_ENV = "OMNISHOP_ALEXA_VOICE_CODE"
MAX_ATTEMPTS = 3


class VoiceCode:
    def __init__(self, code: str):
        if len(code) != 4 or not code.isdigit():
            raise ValueError(f"{CODE_ENV} must be exactly four digits")
        self._code = code

    def matches(self, said: str | None) -> bool:
        return bool(said) and hmac.compare_digest(said.strip(), self._code)


def voice_code_from_settings(voice: VoiceSettings) -> VoiceCode | None:
    """The configured code, or None (the default: a spoken "yes" places the order)."""
    return VoiceCode(voice.voice_code) if voice.voice_code else None
