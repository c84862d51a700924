"""`POST /alexa`: the Alexa skill endpoint (verified, then handled by ask-sdk-core).

Our own Flask view around `Skill.invoke` instead of flask-ask-sdk: importing flask-ask-sdk
pulls in `certvalidator`/`oscrypto`, which cannot load this platform's OpenSSL 3 (see
`voice_skill.verification`).

Alexa may send the same request again when an answer is slow or lost; a request id already
answered gets the first answer again instead of a second dialogue turn, so a retried "yes"
to a checkout never asks the dialogue core twice.
"""
from __future__ import annotations

import json
from typing import Callable

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Blueprint, Response, jsonify, request

from contract.money import ShopMoney
from index_artefact import layout
from runtime.customer_tokens import CustomerTokens
from runtime.settings import Settings, SettingError
from voice_skill.skill import SendToDialogue, build_skill
from voice_skill.verification import RequestVerifier, VerificationError
from voice_skill.voice_code import VoiceCode
from web.chat import ReplayCache


def create_alexa_blueprint(send_to_dialogue: SendToDialogue, verifier: RequestVerifier | None,
                           linker: CustomerTokens | None = None, voice_code: VoiceCode | None = None,
                           shop_money: Callable[[], ShopMoney | None] | None = None) -> Blueprint:
    """`verifier=None` means verification was explicitly switched off (see `verifier_from_settings`);
    `linker=None` means account linking is not set up (see `customer_tokens_from_settings`); `voice_code=None`
    means a spoken "yes" places an order (see `voice_code_from_settings`); `shop_money` says how the live
    shop writes amounts (see `shop_money_from_settings`), so they are spoken as words."""
    bp = Blueprint("alexa", __name__)
    skill = build_skill(send_to_dialogue, linker, voice_code, shop_money)
    serializer = DefaultSerializer()
    answered = ReplayCache()

    @bp.post("/alexa")
    def alexa():
        body = request.get_data(cache=False)
        try:
            if verifier is not None:
                verifier.verify(request.headers, body)
            envelope = serializer.deserialize(body.decode("utf-8"), RequestEnvelope)
        except VerificationError as exc:
            return jsonify({"error": exc.reason}), exc.status
        except Exception:  # noqa: BLE001 - bad UTF-8, bad JSON, or the SDK's errors on a wrong shape
            return jsonify({"error": "body is not an Alexa request envelope"}), 400
        if envelope is None or envelope.request is None or envelope.context is None:
            return jsonify({"error": "body is not an Alexa request envelope"}), 400

        def turn() -> str:
            return json.dumps(serializer.serialize(skill.invoke(request_envelope=envelope, context=None)))

        user = envelope.context.system.user if envelope.context.system else None
        request_id = envelope.request.request_id
        body = answered.run_once((user.user_id, request_id), turn) if user and request_id else turn()
        return Response(body, mimetype="application/json")

    return bp


def shop_money_from_settings(settings: Settings) -> Callable[[], ShopMoney | None]:
    """The live shop's currency (its index build's) in OMNISHOP_LOCALE, read again after a new
    build is published; None while no index is built. An OMNISHOP_LOCALE that CLDR does not know
    stops the web app at start, naming the variable."""
    try:
        ShopMoney.of("USD", settings.shop.locale)
    except ValueError as exc:
        raise SettingError(f"OMNISHOP_LOCALE={settings.shop.locale!r}: {exc}") from None

    def shop_money() -> ShopMoney | None:
        try:
            return ShopMoney.of(layout.shop_currency(layout.current_build(settings.index_dir)), settings.shop.locale)
        except FileNotFoundError:  # no index built yet (IndexNotBuilt is one)
            return None
    return shop_money
